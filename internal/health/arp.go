package health

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"time"

	"github.com/mdlayher/packet"
	"golang.org/x/sys/unix"
)

// ARPOptions configures an ARP check.
type ARPOptions struct {
	// Target is the IPv4 address asked for, for example the gateway's.
	Target netip.Addr
	// Interface is the Ethernet link the request goes out on.
	Interface string
}

// ARP is a check that broadcasts one ARP request for an IPv4 address on a
// link and is healthy when a reply from that address comes (KindARP). Aimed
// at the gateway, it tells a host that lost its link to the network (and so
// hears no adverts, and would make itself master) from a host whose peer
// died: the classic split-brain guard.
//
// The request's sender address is the link's first IPv4 address in the
// target's subnet, as arping sends, or 0.0.0.0 (an RFC 5227 ARP probe,
// which hosts answer too) when the link has none. It opens an AF_PACKET
// socket for each probe, so it needs CAP_NET_RAW, and looks the link up by
// name each time, so a link that was deleted and created again is used at
// once. The socket is created in the network namespace of the calling
// thread.
type ARP struct {
	target netip.Addr
	iface  string
}

// NewARP returns an ARP check.
func NewARP(o ARPOptions) (*ARP, error) {
	t := o.Target.Unmap()
	if !t.Is4() || t.IsUnspecified() || t.IsMulticast() || t == netip.AddrFrom4([4]byte{255, 255, 255, 255}) {
		return nil, fmt.Errorf("health: arp target %s is not a unicast IPv4 address", o.Target)
	}
	if o.Interface == "" {
		return nil, errors.New("health: arp check needs an interface")
	}
	return &ARP{target: t, iface: o.Interface}, nil
}

var broadcastMAC = net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}

// Check sends one ARP request and waits for the reply until ctx ends.
func (a *ARP) Check(ctx context.Context) error {
	ifi, err := net.InterfaceByName(a.iface)
	if err != nil {
		return fmt.Errorf("health: arp %s: %w", a.target, err)
	}
	switch {
	case ifi.Flags&net.FlagUp == 0:
		return fmt.Errorf("health: arp %s: %s is down", a.target, a.iface)
	case ifi.Flags&net.FlagRunning == 0:
		return fmt.Errorf("health: arp %s: %s has no carrier", a.target, a.iface)
	}
	if len(ifi.HardwareAddr) != 6 {
		return fmt.Errorf("health: arp %s: %s is not an Ethernet link", a.target, a.iface)
	}
	src, err := sourceFor(ifi, a.target)
	if err != nil {
		return fmt.Errorf("health: arp %s: %w", a.target, err)
	}
	conn, err := packet.Listen(ifi, packet.Datagram, unix.ETH_P_ARP, nil)
	if err != nil {
		return fmt.Errorf("health: arp %s on %s: %w", a.target, a.iface, err)
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { _ = conn.SetReadDeadline(time.Unix(1, 0)) })
	defer stop()

	req := appendARP(make([]byte, 0, arpLen), arpPacket{
		op:        arpRequest,
		senderMAC: ifi.HardwareAddr, senderAddr: src,
		targetMAC: make(net.HardwareAddr, 6), targetAddr: a.target,
	})
	if _, err := conn.WriteTo(req, &packet.Addr{HardwareAddr: broadcastMAC}); err != nil {
		return fmt.Errorf("health: arp %s on %s: %w", a.target, a.iface, err)
	}
	buf := make([]byte, 128)
	for {
		n, _, err := conn.ReadFrom(buf)
		if err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("health: arp %s on %s: no reply: %w", a.target, a.iface, ctx.Err())
			}
			return fmt.Errorf("health: arp %s on %s: %w", a.target, a.iface, err)
		}
		p, err := parseARP(buf[:n])
		if err == nil && p.op == arpReply && p.senderAddr == a.target {
			return nil
		}
	}
}

// sourceFor returns the sender address of a request for target on ifi: the
// link's first IPv4 address whose subnet holds target, else 0.0.0.0.
func sourceFor(ifi *net.Interface, target netip.Addr) (netip.Addr, error) {
	addrs, err := ifi.Addrs()
	if err != nil {
		return netip.Addr{}, err
	}
	for _, a := range addrs {
		ipn, ok := a.(*net.IPNet)
		if !ok {
			continue
		}
		ip, ok := netip.AddrFromSlice(ipn.IP)
		ones, _ := ipn.Mask.Size()
		if !ok || !ip.Unmap().Is4() {
			continue
		}
		if p := netip.PrefixFrom(ip.Unmap(), ones); p.Contains(target) && ip.Unmap() != target {
			return ip.Unmap(), nil
		}
	}
	return netip.IPv4Unspecified(), nil
}
