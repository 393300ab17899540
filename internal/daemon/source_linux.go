package daemon

import (
	"errors"
	"net/netip"
	"slices"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"

	"github.com/vipd/vipd/internal/config"
)

// resolveSource finds a group's primary address on its interface: for IPv6
// the link-local address (RFC 5798 §5.1.2.1), for IPv4 the first global
// address that is not one of the group's VIPs.
func resolveSource(g *config.Group) (netip.Addr, error) {
	if g.Source.IsValid() {
		return g.Source, nil
	}
	link, err := netlink.LinkByName(g.Interface)
	if err != nil {
		return netip.Addr{}, err
	}
	family := netlink.FAMILY_V4
	if g.IPv6() {
		family = netlink.FAMILY_V6
	}
	addrs, err := netlink.AddrList(link, family)
	if err != nil {
		return netip.Addr{}, err
	}
	for _, a := range addrs {
		ip, ok := netip.AddrFromSlice(a.IP)
		if !ok {
			continue
		}
		ip = ip.Unmap()
		isVIP := slices.ContainsFunc(g.VIPs, func(p netip.Prefix) bool { return p.Addr() == ip })
		switch {
		case isVIP, a.Flags&unix.IFA_F_TENTATIVE != 0:
			continue
		case g.IPv6() && ip.IsLinkLocalUnicast():
			return ip, nil
		case !g.IPv6() && ip.IsGlobalUnicast():
			return ip, nil
		}
	}
	return netip.Addr{}, errors.New("no usable address")
}
