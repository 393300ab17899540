//go:build e2e

package interop

import (
	"net/netip"
	"testing"
	"time"

	"github.com/vipd/vipd/internal/lab"
)

// The profiles the pairings speak. VRRPv3 uses e2e's quick test timing
// (100 ms adverts); VRRPv2 and ucarp's CARP count their interval in whole
// seconds, so they run at 1 s.
var (
	vrrp3Profile = lab.Profile{Name: "interop-vrrp3", Interval: 100 * time.Millisecond, DownAdverts: 3,
		AddressLifetime: time.Second}
	vrrp2Profile = lab.Profile{Name: "interop-vrrp2", Protocol: lab.VRRP2, Interval: time.Second, DownAdverts: 3}
	carpProfile  = lab.Profile{Name: "interop-carp", Protocol: lab.CARP, Interval: time.Second, DownAdverts: 3}
)

// pairing is a peer implementation and the protocol vipd speaks with it.
type pairing struct {
	name    string
	peer    lab.Impl
	profile lab.Profile
	ipv6    bool
	// unicast sends adverts to the peer's address, not the multicast
	// group (keepalived unicast_peer; over IPv6 its link-local address).
	unicast bool
	// passB is group b's password (VRRPv2 PASS): group a runs without
	// authentication, so one lab covers both.
	passB string
	// resigns: the peer sends a resign advert when stopped gracefully
	// (keepalived: priority 0). ucarp does not, so its backups wait for
	// the master-down interval.
	resigns bool
	// rejoin is how long the peer may take to notice that its link came
	// back: ucarp looks at a down link again only every 10 s.
	rejoin time.Duration
	// heardResign is what the peer logs when a vipd master resigns and
	// the peer takes over at once: keepalived notes the priority-0
	// advert; ucarp treats vipd's advbase 255 as a master bound to time
	// out (or, with -P, as a slower master to preempt) and says so.
	heardResign string
	// backupLog is what the peer logs on entering backup (and so on
	// rejoining after its link returned), or "" if it logs nothing then.
	backupLog string
}

// pairings are the mixed groups under test.
var pairings = []pairing{
	{name: "keepalived-vrrp3-ipv4", peer: lab.Keepalived, profile: vrrp3Profile, resigns: true,
		heardResign: keepalivedResign, backupLog: keepalivedBackup},
	{name: "keepalived-vrrp3-ipv6", peer: lab.Keepalived, profile: vrrp3Profile, ipv6: true, resigns: true,
		heardResign: keepalivedResign, backupLog: keepalivedBackup},
	{name: "keepalived-vrrp3-ipv4-unicast", peer: lab.Keepalived, profile: vrrp3Profile, unicast: true, resigns: true,
		heardResign: keepalivedResign, backupLog: keepalivedBackup},
	{name: "keepalived-vrrp3-ipv6-unicast", peer: lab.Keepalived, profile: vrrp3Profile, ipv6: true, unicast: true, resigns: true,
		heardResign: keepalivedResign, backupLog: keepalivedBackup},
	{name: "keepalived-vrrp2", peer: lab.Keepalived, profile: vrrp2Profile, passB: "vipd-v2", resigns: true,
		heardResign: keepalivedResign, backupLog: keepalivedBackup},
	{name: "ucarp-carp", peer: lab.Ucarp, profile: carpProfile, rejoin: 10 * time.Second,
		heardResign: "Putting MASTER"},
}

// keepalived 2.2.7's log lines.
const (
	keepalivedResign = "Backup received priority 0 advertisement"
	keepalivedBackup = "Entering BACKUP STATE"
)

// vip returns the pairing's i-th VIP: 192.0.2.100+i/24 or 2001:db8::100+i/64.
func (p pairing) vip(i int) netip.Prefix {
	if p.ipv6 {
		a := lab.VIP6.Addr().As16()
		a[15] += byte(i)
		return netip.PrefixFrom(netip.AddrFrom16(a), lab.VIP6.Bits())
	}
	a := lab.VIP4.Addr().As4()
	a[3] += byte(i)
	return netip.PrefixFrom(netip.AddrFrom4(a), lab.VIP4.Bits())
}

// options returns a two-host lab, vipd on h1 and the peer on h2, with
// groups a (h1 preferred) and b (h2 preferred): both orders of priority at
// once, as the seeds' Pinky and Brain.
func (p pairing) options(noPreempt bool) lab.Options {
	return lab.Options{
		Hosts:     2,
		HostImpls: []lab.Impl{lab.Vipd, p.peer},
		Profile:   p.profile,
		Unicast:   p.unicast,
		Groups: []lab.Group{
			{Name: "a", ID: 10, VIP: p.vip(0), Order: []int{0, 1}, NoPreempt: noPreempt},
			{Name: "b", ID: 11, VIP: p.vip(1), Order: []int{1, 0}, NoPreempt: noPreempt, Password: p.passB},
		},
	}
}

// quiet is how long to watch for a VIP that should not move: three
// master-down intervals (at least 4 s), plus the time the peer may take
// to notice its link again.
func (p pairing) quiet() time.Duration {
	md := time.Duration(p.profile.DownAdverts+1) * p.profile.Interval
	return max(4*time.Second, 3*md) + p.rejoin
}

// resignReason is the transition reason vipd reports when it takes over
// from a peer stopped with SIGTERM.
func (p pairing) resignReason() string {
	if p.resigns {
		return "peer-resigned"
	}
	return "master-down"
}

// eachPairing runs f for every pairing as parallel subtests.
func eachPairing(t *testing.T, f func(t *testing.T, p pairing)) {
	for _, p := range pairings {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			f(t, p)
		})
	}
}
