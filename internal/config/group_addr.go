package config

import (
	"net/netip"
	"strings"
)

// addresses decodes vips, source and peers, and checks their families
// against the protocol: CARP and VRRPv2 carry IPv4 only, and a VRRPv3 group
// is one family (RFC 5798 runs IPv4 and IPv6 as separate virtual routers).
func (gd *groupDecoder) addresses() {
	gd.vips()
	gd.source()
	gd.peers()
}

func (gd *groupDecoder) vips() {
	g := &gd.g
	v, p, ok := gd.get("vips")
	if !ok {
		gd.missing("vips", " (the addresses the master holds)")
		return
	}
	items, ok := gd.nonEmptyList(v, p, "a group needs at least one VIP")
	if !ok {
		return
	}
	seen := map[netip.Addr]int{}
	var first string // the first valid VIP, which sets a VRRPv3 group's family
	for i, item := range items {
		ip := indexPath(p, i)
		s, ok := gd.str(item, ip)
		if !ok {
			continue
		}
		pfx, reason := parseVIP(s)
		if reason != "" {
			gd.errorf(item.line, ip, "%q %s", s, reason)
			continue
		}
		a := pfx.Addr()
		if j, dup := seen[a]; dup {
			gd.errorf(item.line, ip, "%s is listed twice (also vips[%d])", a, j)
			continue
		}
		seen[a] = i
		if gd.protocolOK {
			if reason := familyReason(g.Protocol, a, first, g.VIPs); reason != "" {
				gd.errorf(item.line, ip, "%s %s", a, reason)
				continue
			}
		}
		if first == "" {
			first = ip
		}
		g.VIPs = append(g.VIPs, pfx)
		gd.info.vips = append(gd.info.vips, position{path: ip, line: item.line})
	}
	gd.familyOK = gd.protocolOK && len(g.VIPs) > 0
	if gd.familyOK && g.Protocol == CARP && len(g.VIPs) > 1 {
		gd.warnf(v.line, p, "carp with %d VIPs signs them all as OpenBSD does; ucarp signs one address, so only vipd and OpenBSD peers can share this group", len(g.VIPs))
	}
}

// familyReason returns why a cannot join a group of protocol proto whose
// VIPs so far are vips (the first at path first), or "".
func familyReason(proto Protocol, a netip.Addr, first string, vips []netip.Prefix) string {
	switch {
	case proto == CARP && a.Is6():
		return "is IPv6: carp carries IPv4 only (as ucarp does); put IPv6 VIPs in a vrrp3 group"
	case proto == VRRP2 && a.Is6():
		return "is IPv6: vrrp2 carries IPv4 only (RFC 3768); put IPv6 VIPs in a vrrp3 group"
	case len(vips) > 0 && vips[0].Addr().Is6() != a.Is6():
		return "is " + family(a) + " but " + first + " is " + family(vips[0].Addr()) +
			": vrrp3 runs IPv4 and IPv6 as separate virtual routers (RFC 5798), so put it in a second group"
	}
	return ""
}

func family(a netip.Addr) string {
	if a.Is6() {
		return "IPv6"
	}
	return "IPv4"
}

// parseVIP parses "192.0.2.100/24", or "192.0.2.100" as a /32 (/128 for
// IPv6), and returns why it cannot be a VIP, if it cannot.
func parseVIP(s string) (netip.Prefix, string) {
	var pfx netip.Prefix
	if strings.Contains(s, "/") {
		var err error
		if pfx, err = netip.ParsePrefix(s); err != nil {
			if a, _, _ := strings.Cut(s, "/"); strings.Contains(a, "%") {
				return pfx, "has a zone: the group's interface is the VIP's link"
			}
			return pfx, "is not an IP address or address/prefix-length"
		}
	} else {
		a, reason := parseAddr(s)
		if reason != "" {
			return pfx, reason
		}
		pfx = netip.PrefixFrom(a, a.BitLen())
	}
	a := pfx.Addr()
	if reason := unicastReason(a); reason != "" {
		return pfx, reason
	}
	bits, hostBits := pfx.Bits(), a.BitLen()-pfx.Bits()
	switch {
	case bits == 0:
		return pfx, "has prefix length 0, which would route every address to the group's link"
	case hostBits >= 2 && a == pfx.Masked().Addr():
		return pfx, "is the network address of its prefix: write the VIP's own address, e.g. " + nthAddr(pfx, 100)
	case a.Is4() && hostBits >= 2 && a == lastAddr(pfx):
		return pfx, "is the broadcast address of its prefix"
	}
	return pfx, ""
}

// parseAddr parses a single address without a zone or IPv4-in-IPv6 form.
func parseAddr(s string) (netip.Addr, string) {
	a, err := netip.ParseAddr(s)
	switch {
	case err != nil:
		return a, "is not an IP address"
	case a.Zone() != "":
		return a, "has a zone: the group's interface is the link"
	case a.Is4In6():
		return a, "is an IPv4-mapped IPv6 address: write " + a.Unmap().String()
	}
	return a, ""
}

// unicastReason returns why a is not a usable unicast address, or "".
func unicastReason(a netip.Addr) string {
	switch {
	case a.IsUnspecified():
		return "is the unspecified address"
	case a.IsLoopback():
		return "is a loopback address"
	case a.IsMulticast():
		return "is a multicast address"
	case a == netip.AddrFrom4([4]byte{255, 255, 255, 255}):
		return "is the broadcast address"
	}
	return ""
}

// nthAddr returns the address n into pfx, or its first host, as an example.
func nthAddr(pfx netip.Prefix, n int) string {
	a := pfx.Masked().Addr()
	for i := 0; i < n; i++ {
		next := a.Next()
		if !pfx.Contains(next) {
			break
		}
		a = next
	}
	return netip.PrefixFrom(a, pfx.Bits()).String()
}

// lastAddr returns the highest address of pfx.
func lastAddr(pfx netip.Prefix) netip.Addr {
	b := pfx.Masked().Addr().AsSlice()
	for i := pfx.Bits(); i < len(b)*8; i++ {
		b[i/8] |= 0x80 >> (i % 8)
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}

// groupAddr parses a source or peer address and checks it against the
// group's VIPs. It reports problems itself.
func (gd *groupDecoder) groupAddr(v value, path string) (netip.Addr, bool) {
	s, ok := gd.str(v, path)
	if !ok {
		return netip.Addr{}, false
	}
	a, reason := parseAddr(s)
	if reason == "" {
		reason = unicastReason(a)
	}
	if reason != "" {
		gd.errorf(v.line, path, "%q %s", s, reason)
		return a, false
	}
	g := &gd.g
	if gd.familyOK && a.Is6() != g.IPv6() {
		gd.errorf(v.line, path, "%s is %s but the group's VIPs are %s", a, family(a), family(g.VIPs[0].Addr()))
		return a, false
	}
	for _, vip := range g.VIPs {
		if vip.Addr() == a {
			gd.errorf(v.line, path, "%s is one of the group's VIPs: it must be a host's own address", a)
			return a, false
		}
	}
	return a, true
}

func (gd *groupDecoder) source() {
	g := &gd.g
	v, p, ok := gd.get("source")
	if !ok {
		return
	}
	a, ok := gd.groupAddr(v, p)
	if !ok {
		return
	}
	if gd.familyOK && g.Protocol == VRRP3 && a.Is6() && !a.IsLinkLocalUnicast() {
		gd.errorf(v.line, p, "%s is not link-local: vrrp3 sends IPv6 adverts from the link's link-local address (RFC 5798 §5.1.2.1); leave source out to use it", a)
		return
	}
	g.Source = a
}

func (gd *groupDecoder) peers() {
	g := &gd.g
	v, p, ok := gd.get("peers")
	if !ok {
		return
	}
	items, ok := gd.nonEmptyList(v, p, "leave peers out to advertise by multicast")
	if !ok {
		return
	}
	seen := map[netip.Addr]int{}
	for i, item := range items {
		ip := indexPath(p, i)
		a, ok := gd.groupAddr(item, ip)
		if !ok {
			continue
		}
		switch j, dup := seen[a]; {
		case dup:
			gd.errorf(item.line, ip, "%s is listed twice (also peers[%d])", a, j)
		case a == g.Source:
			gd.errorf(item.line, ip, "%s is this host's source address", a)
		default:
			seen[a] = i
			g.Peers = append(g.Peers, a)
		}
	}
}
