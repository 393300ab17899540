package lab

import (
	"fmt"
	"net/netip"
	"slices"
	"time"
)

// Mixed labs run vipd next to keepalived or ucarp in one group, to test
// that they interoperate (test/interop): Options.HostImpls names each
// host's implementation, Group.Password the group's key, and
// Options.Sources the addresses adverts leave from. The profile's protocol
// is what every host speaks: VRRP3 or VRRP2 for vipd with keepalived, CARP
// for vipd with ucarp.

// NetAlt4 is a second IPv4 range (RFC 5737's TEST-NET-2) for advert
// sources other than the hosts' own addresses (Options.Sources): CARP
// breaks ties by source address, and only addresses that differ before
// their last octet tell ucarp's byte order from network order.
var NetAlt4 = netip.MustParsePrefix("198.51.100.0/24")

// hostImpl returns the implementation of the host with index i.
func (o *Options) hostImpl(i int) Impl {
	if len(o.HostImpls) > 0 {
		return o.HostImpls[i]
	}
	return o.Impl
}

// impls returns the implementations the lab runs, each once.
func (o *Options) impls() []Impl {
	if len(o.HostImpls) == 0 {
		return []Impl{o.Impl}
	}
	var out []Impl
	for _, i := range o.HostImpls {
		if !slices.Contains(out, i) {
			out = append(out, i)
		}
	}
	return out
}

// checkImpls checks that every host's implementation can run the profile,
// that the implementations share a protocol, and the groups' passwords
// and the advert sources.
func (o *Options) checkImpls() error {
	if n := len(o.HostImpls); n > 0 && n != o.Hosts {
		return fmt.Errorf("lab: %d host implementations for %d hosts", n, o.Hosts)
	}
	impls := o.impls()
	has := func(i Impl) bool { return slices.Contains(impls, i) }
	p := o.Profile.Protocol
	switch {
	case has(Keepalived) && has(Ucarp):
		return fmt.Errorf("lab: keepalived (VRRP) and ucarp (CARP) share no protocol")
	case has(Vipd) && has(Ucarp) && p != CARP:
		return fmt.Errorf("lab: vipd must speak carp next to ucarp, not %s", p)
	}
	for _, impl := range impls {
		why := o.Profile.supports(impl, o)
		if why == "" {
			why = o.Profile.supportsVRRP2(impl)
		}
		if why != "" {
			return fmt.Errorf("lab: %s cannot run profile %s: %s", impl, o.Profile.Name, why)
		}
	}
	for _, g := range o.Groups {
		if err := g.checkPassword(p); err != nil {
			return err
		}
	}
	return o.checkSources()
}

// supportsVRRP2 reports why impl cannot run p when p is VRRPv2, or "":
// VRRPv2 intervals are whole seconds (RFC 3768's Adver_Int field) and
// VIPs IPv4.
func (p Profile) supportsVRRP2(impl Impl) string {
	if p.Protocol != VRRP2 {
		return ""
	}
	switch impl {
	case Ucarp:
		return "ucarp does not speak VRRPv2"
	case Keepalived, Vipd:
		if p.Interval < time.Second || p.Interval > 255*time.Second || p.Interval%time.Second != 0 {
			return "VRRPv2's advert interval is 1-255 whole seconds"
		}
	}
	return ""
}

// password returns the key g's hosts use under protocol p: g.Password, or
// for CARP the lab's Password when g has none. VRRPv2 without one runs
// unauthenticated; VRRPv3 has no authentication.
func (g Group) password(p Protocol) string {
	if g.Password == "" && p == CARP {
		return Password
	}
	return g.Password
}

// checkPassword checks g.Password against what protocol p and the
// implementations accept.
func (g Group) checkPassword(p Protocol) error {
	n := len(g.Password)
	switch {
	case n == 0:
		return nil
	case p == VRRP3:
		return fmt.Errorf("lab: group %s: VRRPv3 has no password", g.Name)
	case p == VRRP2 && n > 8:
		return fmt.Errorf("lab: group %s: a VRRPv2 password is at most 8 bytes", g.Name)
	case p == CARP && n > 19:
		return fmt.Errorf("lab: group %s: a CARP password is at most 19 bytes (ucarp)", g.Name)
	}
	return nil
}

// checkSources checks Options.Sources: one per host, each unset or an
// IPv4 address of Net4 or NetAlt4 that is neither a VIP nor another
// host's address.
func (o *Options) checkSources() error {
	if len(o.Sources) == 0 {
		return nil
	}
	if len(o.Sources) != o.Hosts {
		return fmt.Errorf("lab: %d advert sources for %d hosts", len(o.Sources), o.Hosts)
	}
	for i, a := range o.Sources {
		if !a.IsValid() {
			continue
		}
		if !a.Is4() || !Net4.Contains(a) && !NetAlt4.Contains(a) {
			return fmt.Errorf("lab: advert source %s of h%d: want an IPv4 address of %s or %s", a, i+1, Net4, NetAlt4)
		}
		for j := range o.Hosts {
			if own, _ := nodeAddr(j + 1); j != i && own == a {
				return fmt.Errorf("lab: advert source %s of h%d is h%d's address", a, i+1, j+1)
			}
		}
		if slices.ContainsFunc(o.Groups, func(g Group) bool { return g.VIP.Addr() == a }) {
			return fmt.Errorf("lab: advert source %s of h%d is a VIP", a, i+1)
		}
		if a.As4()[3] == 0 || a.As4()[3] == 255 {
			return fmt.Errorf("lab: advert source %s of h%d is a network or broadcast address", a, i+1)
		}
	}
	return nil
}

// Impl returns the implementation the host runs.
func (h *Host) Impl() Impl { return h.lab.opts.hostImpl(h.Index) }

// Source returns the IPv4 address the host's IPv4 adverts leave from:
// its Options.Sources entry, or its own address.
func (h *Host) Source() netip.Addr {
	if s := h.lab.opts.Sources; len(s) > 0 && s[h.Index].IsValid() {
		return s[h.Index]
	}
	return h.Addr4
}

// addSources gives every host whose advert source is not its own address
// that address (a /24, as the lab's own) and, if any source lies outside
// Net4, turns reverse-path filtering off on every host, so that adverts
// from a subnet no host routes are not dropped on receipt.
func (l *Lab) addSources() error {
	alt := false
	for _, h := range l.hosts {
		src := h.Source()
		if src == h.Addr4 {
			continue
		}
		alt = alt || !Net4.Contains(src)
		if err := h.addAddr(netip.PrefixFrom(src, 24)); err != nil {
			return err
		}
	}
	if !alt {
		return nil
	}
	for _, h := range l.hosts {
		for _, conf := range []string{"all", LinkName} {
			if err := h.ns.sysctl("net/ipv4/conf/"+conf+"/rp_filter", "0"); err != nil {
				return err
			}
		}
	}
	return nil
}

// vipdHostSettings applies the per-group keys and the host's advert
// source to its generated vipd configuration: the settings vipdFile
// leaves at the lab's defaults.
func (l *Lab) vipdHostSettings(h *Host, f *VipdFile) {
	p := l.opts.Profile.Protocol
	for i, g := range l.opts.Groups {
		if i >= len(f.Groups) {
			break
		}
		vg := &f.Groups[i]
		if p != VRRP3 {
			vg.Password = g.password(p)
		}
		if src := h.Source(); src != h.Addr4 && g.VIP.Addr().Is4() {
			vg.Source = src.String()
		}
	}
}
