package linuxnet

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/vipd/vipd/internal/netif"
)

// Receive implements netif.AdvertConn.
func (c *advertConn) Receive(b []byte) (netif.Packet, error) {
	for {
		c.rbuf = b
		if err := c.rc.Read(c.readFn); err != nil {
			return netif.Packet{}, fmt.Errorf("linuxnet: receive advert on %s: %w", c.link, err)
		}
		if c.rerr != nil {
			return netif.Packet{}, fmt.Errorf("linuxnet: receive advert on %s: %w", c.link, c.rerr)
		}
		read := time.Now()
		var p netif.Packet
		var ok bool
		if c.family == netif.IPv4 {
			p, ok = parseIPv4(b[:c.n])
		} else {
			p, ok = netif.Packet{Payload: b[:c.n], Src: netip.AddrFrom16(c.name.Addr), TTL: -1}, true
		}
		if ok {
			controls(c.oob[:c.oobn], &p)
			p.At = arrival(p.At, read)
			p.Link = c.link
			return p, nil
		}
		// Not an IP packet we can read: the kernel does not deliver those.
	}
}

// read calls recvmsg(2) with the connection's message header, so that the
// source address and control messages need no allocation. IPv4 raw
// sockets deliver the IP header with the payload; IPv6 ones do not.
func (c *advertConn) read(fd uintptr) bool {
	if len(c.rbuf) == 0 {
		c.n, c.rerr = 0, errors.New("empty receive buffer")
		return true
	}
	c.iov.Base = &c.rbuf[0]
	c.iov.SetLen(len(c.rbuf))
	c.msg = unix.Msghdr{
		Name:    (*byte)(unsafe.Pointer(&c.name)),
		Namelen: unix.SizeofSockaddrInet6,
		Iov:     &c.iov,
		Iovlen:  1,
		Control: &c.oob[0],
	}
	c.msg.SetControllen(len(c.oob))
	for {
		n, _, errno := unix.Syscall(unix.SYS_RECVMSG, fd, uintptr(unsafe.Pointer(&c.msg)), 0)
		switch errno {
		case 0:
			c.n, c.oobn, c.rerr = int(n), int(c.msg.Controllen), nil
			return true
		case unix.EINTR:
			continue
		case unix.EAGAIN:
			return false
		}
		c.n, c.rerr = 0, errno
		return true
	}
}

// parseIPv4 takes the addresses and TTL from a raw IPv4 datagram and moves
// its payload to the front of b.
func parseIPv4(b []byte) (netif.Packet, bool) {
	if len(b) < 20 || b[0]>>4 != 4 {
		return netif.Packet{}, false
	}
	hl := int(b[0]&0x0f) * 4
	if hl < 20 || hl > len(b) {
		return netif.Packet{}, false
	}
	p := netif.Packet{
		TTL: int(b[8]),
		Src: netip.AddrFrom4([4]byte(b[12:16])),
		Dst: netip.AddrFrom4([4]byte(b[16:20])),
	}
	n := copy(b, b[hl:])
	p.Payload = b[:n]
	return p, true
}

// controls fills p from the control messages: the IPv6 destination and
// hop limit (IPV6_PKTINFO, IPV6_HOPLIMIT) and the kernel's receive time
// (SCM_TIMESTAMPNS, wall clock) into p.At.
func controls(oob []byte, p *netif.Packet) {
	for len(oob) >= unix.SizeofCmsghdr {
		h := (*unix.Cmsghdr)(unsafe.Pointer(&oob[0]))
		l := int(h.Len)
		if l < unix.SizeofCmsghdr || l > len(oob) {
			break
		}
		data := oob[unix.CmsgLen(0):l]
		switch {
		case h.Level == unix.IPPROTO_IPV6 && h.Type == unix.IPV6_HOPLIMIT && len(data) >= 4:
			p.TTL = int(int32(binary.NativeEndian.Uint32(data)))
		case h.Level == unix.IPPROTO_IPV6 && h.Type == unix.IPV6_PKTINFO && len(data) >= unix.SizeofInet6Pktinfo:
			p.Dst = netip.AddrFrom16([16]byte(data[:16]))
		case h.Level == unix.SOL_SOCKET && h.Type == unix.SCM_TIMESTAMPNS && len(data) >= int(unsafe.Sizeof(unix.Timespec{})):
			ts := (*unix.Timespec)(unsafe.Pointer(&data[0]))
			p.At = time.Unix(ts.Unix())
		}
		next := unix.CmsgSpace(l - unix.CmsgLen(0))
		if next > len(oob) {
			break
		}
		oob = oob[next:]
	}
}

// maxArrivalAge bounds how far before its read a packet may be dated: a
// larger age means the wall clock was stepped in between.
const maxArrivalAge = time.Second

// arrival turns the kernel's wall-clock receive time into a time on the
// monotonic clock of read, when the packet was read: read less the
// packet's age. Without a usable stamp it is read.
func arrival(stamp, read time.Time) time.Time {
	if stamp.IsZero() {
		return read
	}
	// stamp has no monotonic reading, so this compares wall clocks.
	age := read.Sub(stamp)
	if age < 0 || age > maxArrivalAge {
		return read
	}
	return read.Add(-age)
}
