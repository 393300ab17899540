package health

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"syscall"
	"time"

	"golang.org/x/net/icmp"
	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"
	"golang.org/x/sys/unix"
)

// PingOptions configures a ping check.
type PingOptions struct {
	// Target is the IPv4 or IPv6 address pinged, without a zone.
	Target netip.Addr
	// Interface, if set, is the link pings go out of and replies come in
	// on (SO_BINDTODEVICE); it is the zone of a link-local Target, which
	// needs one.
	Interface string
}

// Ping is a check that sends one ICMP echo request (ICMPv6 for an IPv6
// target) and is healthy when the matching echo reply comes from the target
// (KindPing).
//
// It opens a raw ICMP socket for each probe, so it needs CAP_NET_RAW, which
// vipd needs anyway for its adverts. Raw sockets work whatever
// net.ipv4.ping_group_range says (it is per network namespace and off in a
// new one). Each probe uses a random identifier and a new sequence number
// and checks the echoed payload, so replies to other programs' pings and
// late replies to earlier probes do not count. The socket is created in the
// network namespace of the calling thread.
type Ping struct {
	target netip.Addr
	iface  string
	seq    uint16
}

// NewPing returns a ping check.
func NewPing(o PingOptions) (*Ping, error) {
	t := o.Target
	switch {
	case !t.IsValid() || t.IsUnspecified() || t.IsMulticast():
		return nil, fmt.Errorf("health: ping target %s is not a unicast address", t)
	case t.Zone() != "":
		return nil, fmt.Errorf("health: ping target %s has a zone: set the interface instead", t)
	case t.Is4In6():
		t = t.Unmap()
	case t.Is6() && t.IsLinkLocalUnicast() && o.Interface == "":
		return nil, fmt.Errorf("health: ping target %s is link-local and needs an interface", t)
	}
	return &Ping{target: t, iface: o.Interface}, nil
}

// Check sends one echo request and waits for its reply until ctx ends.
func (p *Ping) Check(ctx context.Context) error {
	network, request, reply := "ip4:icmp", icmp.Type(ipv4.ICMPTypeEcho), icmp.Type(ipv4.ICMPTypeEchoReply)
	proto := 1 // iana.ProtocolICMP
	if p.target.Is6() {
		network, request, reply = "ip6:ipv6-icmp", ipv6.ICMPTypeEchoRequest, ipv6.ICMPTypeEchoReply
		proto = 58 // iana.ProtocolIPv6ICMP
	}
	lc := net.ListenConfig{Control: p.bindToDevice}
	pc, err := lc.ListenPacket(ctx, network, "")
	if err != nil {
		return fmt.Errorf("health: ping %s: %w", p.target, err)
	}
	defer pc.Close()
	if err := onlyEchoReplies(pc, p.target.Is6()); err != nil {
		return fmt.Errorf("health: ping %s: %w", p.target, err)
	}
	stop := context.AfterFunc(ctx, func() { _ = pc.SetReadDeadline(time.Unix(1, 0)) })
	defer stop()

	p.seq++
	id := uint16(rand.Uint32())
	token := binary.BigEndian.AppendUint64(nil, rand.Uint64())
	msg := icmp.Message{Type: request, Body: &icmp.Echo{ID: int(id), Seq: int(p.seq), Data: token}}
	b, err := msg.Marshal(nil) // the kernel fills in the ICMPv6 checksum
	if err != nil {
		return fmt.Errorf("health: ping %s: %w", p.target, err)
	}
	dst := &net.IPAddr{IP: p.target.AsSlice()}
	if p.target.Is6() && p.target.IsLinkLocalUnicast() {
		dst.Zone = p.iface
	}
	if _, err := pc.WriteTo(b, dst); err != nil {
		return fmt.Errorf("health: ping %s: %w", p.target, err)
	}
	buf := make([]byte, 1500)
	for {
		n, from, err := pc.ReadFrom(buf)
		if err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("health: ping %s: no echo reply: %w", p.target, ctx.Err())
			}
			return fmt.Errorf("health: ping %s: %w", p.target, err)
		}
		if !fromTarget(from, p.target) {
			continue
		}
		m, err := icmp.ParseMessage(proto, buf[:n])
		if err != nil || m.Type != reply {
			continue
		}
		if e, ok := m.Body.(*icmp.Echo); ok && e.ID == int(id) && e.Seq == int(p.seq) && bytes.Equal(e.Data, token) {
			return nil
		}
	}
}

// bindToDevice binds the socket to the check's interface, if it has one.
func (p *Ping) bindToDevice(_, _ string, rc syscall.RawConn) error {
	if p.iface == "" {
		return nil
	}
	var serr error
	err := rc.Control(func(fd uintptr) {
		serr = unix.SetsockoptString(int(fd), unix.SOL_SOCKET, unix.SO_BINDTODEVICE, p.iface)
	})
	if err == nil {
		err = serr
	}
	if err != nil {
		return fmt.Errorf("bind to %s: %w", p.iface, err)
	}
	return nil
}

// onlyEchoReplies sets the raw socket's ICMP filter so that the kernel
// hands it echo replies only, not every ICMP message the host receives.
func onlyEchoReplies(pc net.PacketConn, v6 bool) error {
	if v6 {
		var f ipv6.ICMPFilter
		f.SetAll(true)
		f.Accept(ipv6.ICMPTypeEchoReply)
		return ipv6.NewPacketConn(pc).SetICMPFilter(&f)
	}
	var f ipv4.ICMPFilter
	f.SetAll(true)
	f.Accept(ipv4.ICMPTypeEchoReply)
	return ipv4.NewPacketConn(pc).SetICMPFilter(&f)
}

// fromTarget says whether a packet's source is the target.
func fromTarget(from net.Addr, target netip.Addr) bool {
	ipa, ok := from.(*net.IPAddr)
	if !ok {
		return false
	}
	a, ok := netip.AddrFromSlice(ipa.IP)
	return ok && a.Unmap() == target.WithZone("")
}
