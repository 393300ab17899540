package lab

import (
	"fmt"
	"log/slog"
	"net/netip"
	"os/exec"
	"time"
)

// Impl is a failover implementation the lab runs on its hosts.
type Impl int

// The implementations.
const (
	// Vipd runs `vipd run -c FILE` (Options.VipdBin).
	Vipd Impl = iota
	// Keepalived runs keepalived's VRRP subsystem in the foreground.
	Keepalived
	// Ucarp runs ucarp with up and down scripts that add and remove the VIP.
	Ucarp
)

// Impls lists every implementation, in the order benchmark tables use.
var Impls = []Impl{Vipd, Keepalived, Ucarp}

// String returns the implementation's program name.
func (i Impl) String() string {
	switch i {
	case Vipd:
		return "vipd"
	case Keepalived:
		return "keepalived"
	case Ucarp:
		return "ucarp"
	}
	return fmt.Sprintf("Impl(%d)", int(i))
}

// ParseImpl reads an implementation's program name.
func ParseImpl(s string) (Impl, error) {
	for _, i := range Impls {
		if i.String() == s {
			return i, nil
		}
	}
	return 0, fmt.Errorf("lab: unknown implementation %q: want vipd, keepalived or ucarp", s)
}

// Installed reports whether the implementation's program can be run:
// keepalived and ucarp are looked up in PATH (and /usr/sbin, /sbin);
// vipd is whatever VipdBin names and is checked when it starts.
func (i Impl) Installed() bool {
	switch i {
	case Keepalived, Ucarp:
		_, err := lookPath(i.String())
		return err == nil
	}
	return true
}

// lookPath finds a program in PATH or the sbin directories that PATH of
// an unprivileged user often lacks.
func lookPath(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	for _, dir := range []string{"/usr/sbin", "/sbin", "/usr/local/sbin"} {
		if p, err := exec.LookPath(dir + "/" + name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("lab: %s not found in PATH", name)
}

// Protocol is the wire protocol a profile uses: vipd speaks it, and
// keepalived too (VRRPv3, or VRRPv2 with VRRP2); ucarp always speaks CARP.
type Protocol int

// The protocols.
const (
	// VRRP3 is VRRPv3 (RFC 5798).
	VRRP3 Protocol = iota
	// CARP is CARP as ucarp speaks it.
	CARP
	// VRRP2 is VRRPv2 (RFC 3768), with Group.Password as keepalived's
	// PASS authentication.
	VRRP2
)

// String returns the protocol's configuration name.
func (p Protocol) String() string {
	switch p {
	case CARP:
		return "carp"
	case VRRP2:
		return "vrrp2"
	}
	return "vrrp3"
}

// Profile is a set of timing settings that the lab translates into each
// implementation's own configuration, so that they can be compared (the
// translation is described in the package documentation).
type Profile struct {
	// Name labels the profile in tables ("default", "fast").
	Name string
	// Protocol is what vipd speaks (default VRRP3).
	Protocol Protocol
	// Interval is the master's advert interval: VRRP's advert interval;
	// CARP's advbase (whole seconds, or advbase 0 when shorter: then the
	// hosts' advskew alone sets the interval).
	Interval time.Duration
	// DownAdverts is how many intervals a backup waits for a silent master
	// (VRRP's 3, keepalived's down_timer_adverts, ucarp's --deadratio).
	DownAdverts int
	// ResignSkew is vipd's resign_skew (0: vipd's default).
	ResignSkew time.Duration
	// AddressLifetime is vipd's address_lifetime (0: vipd's default).
	AddressLifetime time.Duration
	// AdvertsPerInterval is vipd's adverts_per_interval (0: vipd's
	// default, 1); keepalived and ucarp send one advert per interval.
	AdvertsPerInterval int
}

// DefaultProfile is every implementation's default: adverts every second,
// takeover after three missed.
var DefaultProfile = Profile{Name: "default", Interval: time.Second, DownAdverts: 3}

// masterDown is an upper bound of the time a backup waits for a silent
// master under p: the interval of the slowest-ranked host times
// DownAdverts, plus a full interval of skew.
func (p Profile) masterDown() time.Duration {
	iv := p.Interval
	if iv < time.Second && p.Protocol == CARP {
		iv = time.Second // advskew up to 255/256 s
	}
	return time.Duration(max(p.DownAdverts, 1)+1) * iv
}

// supports reports why impl cannot run p, or "".
func (p Profile) supports(impl Impl, opts *Options) string {
	switch impl {
	case Keepalived:
		if p.AdvertsPerInterval > 1 {
			return "keepalived sends one advert per interval"
		}
		if p.Protocol == CARP {
			return "keepalived does not speak CARP"
		}
		if p.Interval%(10*time.Millisecond) != 0 {
			return "keepalived's advert_int is in centiseconds"
		}
	case Ucarp:
		if p.AdvertsPerInterval > 1 {
			return "ucarp sends one advert per interval"
		}
		if p.Interval < time.Second || p.Interval%time.Second != 0 {
			return "ucarp's advbase is whole seconds"
		}
		if opts.Unicast {
			return "ucarp has no unicast peers"
		}
		for _, g := range opts.Groups {
			if g.VIP.Addr().Is6() {
				return "ucarp has no IPv6"
			}
		}
	}
	return ""
}

// Group is one failover group of the lab.
type Group struct {
	// Name is the group's name (vipd), instance (keepalived).
	Name string
	// ID is the VRRP VRID or CARP vhid.
	ID uint8
	// VIP is the group's virtual address with its prefix length.
	VIP netip.Prefix
	// Order ranks the hosts by preference for this group, as indexes into
	// the lab's hosts: Order[0] is preferred. Empty means h1, h2, h3….
	Order []int
	// NoPreempt keeps a returning preferred host from taking the VIP back.
	NoPreempt bool
	// Password is the group's key on every host: CARP's HMAC key (empty:
	// the lab's Password) or VRRPv2's simple password (keepalived's
	// auth_type PASS; empty: no authentication). VRRPv3 has none.
	Password string
}

// rank returns host's place in g's order (0 is preferred).
func (g Group) rank(host int) int {
	for r, h := range g.Order {
		if h == host {
			return r
		}
	}
	return host
}

// Preferred returns the index of the host g prefers.
func (g Group) Preferred() int {
	if len(g.Order) > 0 {
		return g.Order[0]
	}
	return 0
}

// priority is the VRRP priority of the host at rank r: 250, 200, 150, …
func priority(r int) int { return max(250-50*r, 1) }

// advskew is the CARP advskew of the host at rank r: 256 − priority, so
// that a CARP backup's down interval (advbase × dead ratio + advskew/256)
// equals a VRRPv3 backup's (3 × interval + (256 − priority)/256 × interval
// at 1 s) at every rank.
func advskew(r int) int { return 256 - priority(r) }

// Options configures a lab.
type Options struct {
	// Hosts is the number of failover hosts, 2-8 (default 3).
	Hosts int
	// Impl is the implementation the hosts run.
	Impl Impl
	// HostImpls, if set, names each host's implementation instead (h1
	// first, one per host), for groups mixing vipd with keepalived or
	// ucarp; the profile's protocol must suit all of them.
	HostImpls []Impl
	// Sources, if set, are the IPv4 addresses the hosts' adverts leave
	// from (h1 first, one per host; the zero Addr keeps the host's own),
	// from Net4 or NetAlt4. The lab adds them to the hosts' links.
	Sources []netip.Addr
	// Profile sets the timing (default DefaultProfile).
	Profile Profile
	// Groups are the failover groups (default: one group "lab", id 10,
	// VIP4, or VIP6 with IPv6).
	Groups []Group
	// IPv6 makes the default group's VIP VIP6.
	IPv6 bool
	// Unicast sends adverts to the other hosts' addresses instead of the
	// multicast group.
	Unicast bool
	// VipdBin is the vipd binary (default: $VIPD_BIN, else vipd in PATH).
	VipdBin string
	// Customize, if set, edits each host's generated vipd configuration
	// before it is written.
	Customize func(h *Host, f *VipdFile)
	// Extra names more namespaces to join to the switch, with addresses
	// .201, .202, … (for example a host that sends forged adverts). Names
	// are at most 15 bytes.
	Extra []string
	// Phase, in (0, 1), places each scenario's failure in the master's
	// advert schedule: after Ready, the scenario waits for the master's
	// next advert of the target group (read off the master's switch port)
	// and then Phase × the master's advert period (Profile.Interval /
	// AdvertsPerInterval; advbase + advskew/256 s for CARP). A backup
	// takes over a fixed time after the last advert it heard, so the
	// phase shifts the measured downtime by up to a period; runs compared
	// at equal phases compare implementations, not luck. 0 waits a random
	// part of one interval instead.
	Phase float64
	// ProbeInterval is how often the client probes each VIP (default 2ms).
	ProbeInterval time.Duration
	// SweepInterval is how often the client asks every host directly
	// whether it answers for each VIP (default 10ms).
	SweepInterval time.Duration
	// Dir is where configurations, pid files and logs go (default: a new
	// temporary directory, removed by Close unless KeepDir).
	Dir string
	// KeepDir keeps the directory after Close, for post-mortems.
	KeepDir bool
	// Logger receives the lab's debug and error messages (default:
	// discarded).
	Logger *slog.Logger
}

// withDefaults fills in the defaults and checks the options.
func (o Options) withDefaults() (Options, error) {
	if o.Hosts == 0 {
		o.Hosts = 3
	}
	if o.Hosts < 2 || o.Hosts > maxHosts {
		return o, fmt.Errorf("lab: %d hosts: want 2-%d", o.Hosts, maxHosts)
	}
	if o.Profile.Name == "" {
		o.Profile = DefaultProfile
	}
	if o.Profile.Interval <= 0 || o.Profile.DownAdverts <= 0 {
		return o, fmt.Errorf("lab: profile %s needs an interval and down adverts", o.Profile.Name)
	}
	if len(o.Groups) == 0 {
		vip := VIP4
		if o.IPv6 {
			vip = VIP6
		}
		o.Groups = []Group{{Name: "lab", ID: 10, VIP: vip}}
	}
	for _, g := range o.Groups {
		if !Net4.Contains(g.VIP.Addr()) && !Net6.Contains(g.VIP.Addr()) {
			return o, fmt.Errorf("lab: group %s: VIP %s is outside %s and %s", g.Name, g.VIP, Net4, Net6)
		}
		for _, h := range g.Order {
			if h < 0 || h >= o.Hosts {
				return o, fmt.Errorf("lab: group %s: no host %d", g.Name, h)
			}
		}
	}
	for _, x := range o.Extra {
		taken := x == "client" || x == "sw"
		for i := range o.Hosts {
			taken = taken || x == fmt.Sprintf("h%d", i+1)
		}
		if len(x) == 0 || len(x) > 15 || taken {
			return o, fmt.Errorf("lab: extra node name %q: want 1-15 bytes, not a host's, client or sw", x)
		}
	}
	if !(o.Phase >= 0 && o.Phase < 1) { // NaN too
		return o, fmt.Errorf("lab: phase %v: want a fraction of the advert period in [0, 1)", o.Phase)
	}
	if err := o.checkImpls(); err != nil {
		return o, err
	}
	if o.ProbeInterval <= 0 {
		o.ProbeInterval = 2 * time.Millisecond
	}
	if o.SweepInterval <= 0 {
		o.SweepInterval = 10 * time.Millisecond
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o, nil
}
