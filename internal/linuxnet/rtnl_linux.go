package linuxnet

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"syscall"

	"github.com/mdlayher/socket"
	"golang.org/x/sys/unix"

	"github.com/vipd/vipd/internal/netif"
)

// This file is a small rtnetlink client: just the address and link messages
// vipd needs, written against the kernel's structures because the netlink
// libraries at hand do not carry the address protocol (IFA_PROTO).

// Attribute and configuration numbers not (yet) in x/sys/unix.
const (
	ifaProto                     = 11 // IFA_PROTO, linux/if_addr.h, Linux ≥ 6.1
	ipv4DevconfPromoteSecondries = 20 // IPV4_DEVCONF_PROMOTE_SECONDARIES, linux/ip.h
	ipv6DevconfForwarding        = 0  // DEVCONF_FORWARDING, linux/ipv6.h
	foreverLifetime              = ^uint32(0)
)

// errDumpInterrupted says the kernel's tables changed during a dump
// (NLM_F_DUMP_INTR); the dump is repeated.
var errDumpInterrupted = errors.New("netlink dump interrupted")

// rtnl is one rtnetlink socket. Its methods serialise on a mutex: one
// request is in flight at a time.
type rtnl struct {
	c    *socket.Conn
	pid  uint32 // the socket's port id, the nlmsg_pid of answers to it
	mu   sync.Mutex
	seq  uint32
	rbuf []byte
}

// dialRTNL opens a NETLINK_ROUTE socket in the calling thread's network
// namespace, subscribed to the multicast groups in groups (a RTMGRP_ mask).
func dialRTNL(groups uint32) (*rtnl, error) {
	c, err := socket.Socket(unix.AF_NETLINK, unix.SOCK_RAW, unix.NETLINK_ROUTE, "rtnetlink", nil)
	if err != nil {
		return nil, fmt.Errorf("open rtnetlink socket: %w", err)
	}
	// Extended acks carry the kernel's error message text; strict checking
	// makes the kernel filter dumps by interface index.
	_ = c.SetsockoptInt(unix.SOL_NETLINK, unix.NETLINK_EXT_ACK, 1)
	_ = c.SetsockoptInt(unix.SOL_NETLINK, unix.NETLINK_GET_STRICT_CHK, 1)
	if err := c.Bind(&unix.SockaddrNetlink{Family: unix.AF_NETLINK, Groups: groups}); err != nil {
		_ = c.Close()
		return nil, fmt.Errorf("bind rtnetlink socket: %w", err)
	}
	sa, err := c.Getsockname()
	if err != nil {
		_ = c.Close()
		return nil, fmt.Errorf("rtnetlink socket name: %w", err)
	}
	var pid uint32
	if nsa, ok := sa.(*unix.SockaddrNetlink); ok {
		pid = nsa.Pid
	}
	return &rtnl{c: c, pid: pid, rbuf: make([]byte, 1<<16)}, nil
}

func (r *rtnl) close() error { return r.c.Close() }

// nlMsg builds one netlink message.
type nlMsg struct{ b []byte }

func newMsg(typ, flags uint16, fixed []byte) *nlMsg {
	m := &nlMsg{b: make([]byte, unix.NLMSG_HDRLEN, 128)}
	binary.NativeEndian.PutUint16(m.b[4:], typ)
	binary.NativeEndian.PutUint16(m.b[6:], flags|unix.NLM_F_REQUEST)
	m.b = append(m.b, fixed...)
	m.pad()
	return m
}

func (m *nlMsg) pad() {
	for len(m.b)%unix.NLMSG_ALIGNTO != 0 {
		m.b = append(m.b, 0)
	}
}

// attr appends a route attribute (struct rtattr and its data, padded).
func (m *nlMsg) attr(typ uint16, data []byte) {
	var h [unix.SizeofRtAttr]byte
	binary.NativeEndian.PutUint16(h[0:], uint16(unix.SizeofRtAttr+len(data)))
	binary.NativeEndian.PutUint16(h[2:], typ)
	m.b = append(m.b, h[:]...)
	m.b = append(m.b, data...)
	m.pad()
}

// nest appends a nested attribute whose payload is built by f.
func (m *nlMsg) nest(typ uint16, f func()) {
	start := len(m.b)
	m.attr(typ, nil)
	f()
	binary.NativeEndian.PutUint16(m.b[start:], uint16(len(m.b)-start))
}

func (m *nlMsg) bytes(seq uint32) []byte {
	binary.NativeEndian.PutUint32(m.b[0:], uint32(len(m.b)))
	binary.NativeEndian.PutUint32(m.b[8:], seq)
	return m.b
}

// do sends m and reads the answer: each data message is passed to f; the
// call ends at the acknowledgement (NLMSG_ERROR) or, for dumps, NLMSG_DONE.
// A non-zero error in either becomes a syscall.Errno, with the kernel's
// extended-ack text if there is one.
func (r *rtnl) do(ctx context.Context, m *nlMsg, f func(syscall.NetlinkMessage) error) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seq++
	seq := r.seq
	if err := r.c.Sendto(ctx, m.bytes(seq), 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		return fmt.Errorf("send netlink request: %w", err)
	}
	var ferr error
	interrupted := false
	for {
		n, _, err := r.c.Recvfrom(ctx, r.rbuf, 0)
		if err != nil {
			return fmt.Errorf("receive netlink answer: %w", err)
		}
		msgs, err := syscall.ParseNetlinkMessage(r.rbuf[:n])
		if err != nil {
			return fmt.Errorf("parse netlink answer: %w", err)
		}
		for _, msg := range msgs {
			if msg.Header.Seq != seq || msg.Header.Pid != r.pid {
				continue // an answer to an earlier, abandoned request
			}
			if msg.Header.Flags&unix.NLM_F_DUMP_INTR != 0 {
				interrupted = true
			}
			switch msg.Header.Type {
			case unix.NLMSG_DONE:
				if err := nlError(msg); err != nil {
					return err
				}
				if interrupted {
					return errDumpInterrupted
				}
				return ferr
			case unix.NLMSG_ERROR:
				if err := nlError(msg); err != nil {
					return err
				}
				return ferr
			default:
				if ferr == nil {
					ferr = f(msg)
				}
			}
		}
	}
}

// kernelError is an error answer from the kernel.
type kernelError struct {
	errno syscall.Errno
	msg   string // extended ack text, may be empty
}

func (e *kernelError) Error() string {
	if e.msg != "" {
		return e.errno.Error() + " (" + e.msg + ")"
	}
	return e.errno.Error()
}

func (e *kernelError) Unwrap() error { return e.errno }

// nlError decodes the error code of an NLMSG_ERROR or NLMSG_DONE message
// (struct nlmsgerr, linux/netlink.h) with its extended-ack message.
func nlError(msg syscall.NetlinkMessage) error {
	if len(msg.Data) < 4 {
		return nil
	}
	code := int32(binary.NativeEndian.Uint32(msg.Data))
	if code == 0 {
		return nil
	}
	ke := &kernelError{errno: syscall.Errno(-code)}
	if msg.Header.Type == unix.NLMSG_ERROR && msg.Header.Flags&unix.NLM_F_ACK_TLVS != 0 {
		// After the code comes the request's header, and the whole request
		// unless NLM_F_CAPPED, then the TLVs.
		off := 4 + unix.NLMSG_HDRLEN
		if msg.Header.Flags&unix.NLM_F_CAPPED == 0 && len(msg.Data) >= 4+unix.NLMSG_HDRLEN {
			off = 4 + nlmAlign(int(binary.NativeEndian.Uint32(msg.Data[4:])))
		}
		if off <= len(msg.Data) {
			if attrs, err := parseAttrs(msg.Data[off:]); err == nil {
				if b, ok := attrs[unix.NLMSGERR_ATTR_MSG]; ok {
					ke.msg = cString(b)
				}
			}
		}
	}
	return ke
}

func nlmAlign(n int) int { return (n + unix.NLMSG_ALIGNTO - 1) &^ (unix.NLMSG_ALIGNTO - 1) }

// parseAttrs splits route attributes into a map by type (nested flag
// cleared); a later attribute of the same type wins.
func parseAttrs(b []byte) (map[uint16][]byte, error) {
	out := make(map[uint16][]byte)
	for len(b) >= unix.SizeofRtAttr {
		l := int(binary.NativeEndian.Uint16(b))
		typ := binary.NativeEndian.Uint16(b[2:]) &^ (unix.NLA_F_NESTED | unix.NLA_F_NET_BYTEORDER)
		if l < unix.SizeofRtAttr || l > len(b) {
			return nil, errors.New("malformed netlink attribute")
		}
		out[typ] = b[unix.SizeofRtAttr:l]
		al := (l + unix.RTA_ALIGNTO - 1) &^ (unix.RTA_ALIGNTO - 1)
		if al > len(b) {
			break
		}
		b = b[al:]
	}
	return out, nil
}

func cString(b []byte) string {
	for i, c := range b {
		if c == 0 {
			return string(b[:i])
		}
	}
	return string(b)
}

// linkInfo is what vipd needs to know of an interface.
type linkInfo struct {
	index   int
	name    string
	flags   uint32 // IFF_*
	mac     net.HardwareAddr
	mtu     int
	forward bool // IPv6 forwarding enabled on the link (it is a router)
}

// parseLink decodes an RTM_NEWLINK or RTM_DELLINK message (struct ifinfomsg
// and attributes).
func parseLink(data []byte) (linkInfo, error) {
	if len(data) < unix.SizeofIfInfomsg {
		return linkInfo{}, errors.New("short ifinfomsg")
	}
	li := linkInfo{
		index: int(int32(binary.NativeEndian.Uint32(data[4:]))),
		flags: binary.NativeEndian.Uint32(data[8:]),
	}
	attrs, err := parseAttrs(data[unix.SizeofIfInfomsg:])
	if err != nil {
		return linkInfo{}, err
	}
	li.name = cString(attrs[unix.IFLA_IFNAME])
	if a := attrs[unix.IFLA_ADDRESS]; len(a) > 0 {
		li.mac = net.HardwareAddr(append([]byte(nil), a...))
	}
	if a := attrs[unix.IFLA_MTU]; len(a) >= 4 {
		li.mtu = int(binary.NativeEndian.Uint32(a))
	}
	if spec, ok := attrs[unix.IFLA_AF_SPEC]; ok {
		if fams, err := parseAttrs(spec); err == nil {
			if in6, ok := fams[unix.AF_INET6]; ok {
				if a, err := parseAttrs(in6); err == nil {
					conf := a[unix.IFLA_INET6_CONF]
					if off := 4 * ipv6DevconfForwarding; len(conf) >= off+4 {
						li.forward = binary.NativeEndian.Uint32(conf[off:]) != 0
					}
				}
			}
		}
	}
	return li, nil
}

// linkByName asks the kernel for one interface by name. A missing one gives
// an error wrapping netif.ErrNoLink.
func (r *rtnl) linkByName(ctx context.Context, name string) (linkInfo, error) {
	m := newMsg(unix.RTM_GETLINK, unix.NLM_F_ACK, make([]byte, unix.SizeofIfInfomsg))
	m.attr(unix.IFLA_IFNAME, append([]byte(name), 0))
	var li linkInfo
	found := false
	err := r.do(ctx, m, func(msg syscall.NetlinkMessage) error {
		if msg.Header.Type != unix.RTM_NEWLINK {
			return nil
		}
		var err error
		li, err = parseLink(msg.Data)
		found = err == nil
		return err
	})
	if errors.Is(err, unix.ENODEV) || (err == nil && !found) {
		return linkInfo{}, fmt.Errorf("link %s: %w", name, netif.ErrNoLink)
	}
	if err != nil {
		return linkInfo{}, fmt.Errorf("look up link %s: %w", name, err)
	}
	return li, nil
}

// links dumps every interface.
func (r *rtnl) links(ctx context.Context) ([]linkInfo, error) {
	var out []linkInfo
	err := retryDump(func() error {
		out = out[:0]
		m := newMsg(unix.RTM_GETLINK, unix.NLM_F_DUMP, make([]byte, unix.SizeofIfInfomsg))
		return r.do(ctx, m, func(msg syscall.NetlinkMessage) error {
			if msg.Header.Type != unix.RTM_NEWLINK {
				return nil
			}
			li, err := parseLink(msg.Data)
			if err != nil {
				return err
			}
			out = append(out, li)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list links: %w", err)
	}
	return out, nil
}

func retryDump(f func() error) error {
	var err error
	for range 5 {
		if err = f(); !errors.Is(err, errDumpInterrupted) {
			return err
		}
	}
	return err
}

// kaddr is one address as the kernel reports it.
type kaddr struct {
	index  int
	prefix netip.Prefix
	flags  uint32 // IFA_F_*
	proto  uint8  // IFA_PROTO
	valid  uint32 // seconds left, foreverLifetime for permanent
}

// parseAddr decodes an RTM_NEWADDR message (struct ifaddrmsg and attributes).
func parseAddr(data []byte) (kaddr, bool, error) {
	if len(data) < unix.SizeofIfAddrmsg {
		return kaddr{}, false, errors.New("short ifaddrmsg")
	}
	family, plen := data[0], int(data[1])
	a := kaddr{
		flags: uint32(data[2]),
		index: int(binary.NativeEndian.Uint32(data[4:])),
	}
	attrs, err := parseAttrs(data[unix.SizeofIfAddrmsg:])
	if err != nil {
		return kaddr{}, false, err
	}
	raw := attrs[unix.IFA_LOCAL]
	if raw == nil {
		raw = attrs[unix.IFA_ADDRESS]
	}
	ip, ok := netip.AddrFromSlice(raw)
	if !ok || (family == unix.AF_INET) != ip.Is4() {
		return kaddr{}, false, nil // not an IPv4 or IPv6 address
	}
	a.prefix = netip.PrefixFrom(ip, plen)
	if f := attrs[unix.IFA_FLAGS]; len(f) >= 4 {
		a.flags = binary.NativeEndian.Uint32(f)
	}
	if p := attrs[ifaProto]; len(p) >= 1 {
		a.proto = p[0]
	}
	a.valid = foreverLifetime
	if ci := attrs[unix.IFA_CACHEINFO]; len(ci) >= unix.SizeofIfaCacheinfo {
		a.valid = binary.NativeEndian.Uint32(ci[4:])
	}
	return a, true, nil
}

// addrs dumps the IPv4 and IPv6 addresses of one interface, or of all if
// index is 0.
func (r *rtnl) addrs(ctx context.Context, index int) ([]kaddr, error) {
	var out []kaddr
	err := retryDump(func() error {
		out = out[:0]
		hdr := make([]byte, unix.SizeofIfAddrmsg)
		binary.NativeEndian.PutUint32(hdr[4:], uint32(index))
		m := newMsg(unix.RTM_GETADDR, unix.NLM_F_DUMP, hdr)
		return r.do(ctx, m, func(msg syscall.NetlinkMessage) error {
			if msg.Header.Type != unix.RTM_NEWADDR {
				return nil
			}
			a, ok, err := parseAddr(msg.Data)
			if err != nil {
				return err
			}
			if ok && (index == 0 || a.index == index) {
				out = append(out, a)
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list addresses: %w", err)
	}
	return out, nil
}

// addrMsg builds an RTM_NEWADDR or RTM_DELADDR request for p on index.
func addrMsg(typ, flags uint16, index int, p netip.Prefix) *nlMsg {
	hdr := make([]byte, unix.SizeofIfAddrmsg)
	hdr[0] = unix.AF_INET6
	if p.Addr().Is4() {
		hdr[0] = unix.AF_INET
	}
	hdr[1] = uint8(p.Bits())
	binary.NativeEndian.PutUint32(hdr[4:], uint32(index))
	m := newMsg(typ, flags|unix.NLM_F_ACK, hdr)
	raw := p.Addr().AsSlice()
	m.attr(unix.IFA_LOCAL, raw)
	m.attr(unix.IFA_ADDRESS, raw)
	return m
}

// newAddr adds p to index, tagged with proto and with lifetime seconds
// (valid and preferred). With replace false the kernel refuses an address
// that exists (EEXIST); with replace true it updates it in place, renewing
// the lifetime.
func (r *rtnl) newAddr(ctx context.Context, index int, p netip.Prefix, proto uint8, flags uint32, lifetime uint32, replace bool) error {
	mflags := uint16(unix.NLM_F_CREATE | unix.NLM_F_EXCL)
	if replace {
		mflags = unix.NLM_F_REPLACE
	}
	m := addrMsg(unix.RTM_NEWADDR, mflags, index, p)
	m.b[unix.NLMSG_HDRLEN+2] = uint8(flags) // ifa_flags keeps the low 8 bits
	f := make([]byte, 4)
	binary.NativeEndian.PutUint32(f, flags)
	m.attr(unix.IFA_FLAGS, f)
	ci := make([]byte, unix.SizeofIfaCacheinfo)
	binary.NativeEndian.PutUint32(ci[0:], lifetime) // ifa_prefered
	binary.NativeEndian.PutUint32(ci[4:], lifetime) // ifa_valid
	m.attr(unix.IFA_CACHEINFO, ci)
	m.attr(ifaProto, []byte{proto})
	return r.do(ctx, m, func(syscall.NetlinkMessage) error { return nil })
}

// delAddr removes p from index.
func (r *rtnl) delAddr(ctx context.Context, index int, p netip.Prefix) error {
	return r.do(ctx, addrMsg(unix.RTM_DELADDR, 0, index, p), func(syscall.NetlinkMessage) error { return nil })
}

// setPromoteSecondaries turns on net.ipv4.conf.LINK.promote_secondaries
// through IFLA_AF_SPEC / AF_INET / IFLA_INET_CONF.
func (r *rtnl) setPromoteSecondaries(ctx context.Context, index int) error {
	hdr := make([]byte, unix.SizeofIfInfomsg)
	binary.NativeEndian.PutUint32(hdr[4:], uint32(index))
	m := newMsg(unix.RTM_SETLINK, unix.NLM_F_ACK, hdr)
	m.nest(unix.IFLA_AF_SPEC, func() {
		m.nest(unix.AF_INET, func() {
			m.nest(unix.IFLA_INET_CONF, func() {
				v := make([]byte, 4)
				binary.NativeEndian.PutUint32(v, 1)
				m.attr(ipv4DevconfPromoteSecondries, v)
			})
		})
	})
	return r.do(ctx, m, func(syscall.NetlinkMessage) error { return nil })
}
