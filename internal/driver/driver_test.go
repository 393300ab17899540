package driver

import (
	"context"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/vipd/vipd/internal/fsm"
	"github.com/vipd/vipd/internal/netif"
	"github.com/vipd/vipd/internal/netif/netiftest"
)

// recordedHooks collects hook events as "from->to reason" lines.
type recordedHooks struct {
	mu     sync.Mutex
	events []string
}

func (h *recordedHooks) Submit(ev HookEvent) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.events = append(h.events, ev.From.String()+"->"+ev.To.String()+" "+ev.Reason.String())
}

func (h *recordedHooks) list() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.events...)
}

// testHost is one vipd host on a fake segment: a driver loop with fakes.
type testHost struct {
	group   *Group
	addrs   *netiftest.Addresses
	ann     *netiftest.Announcer
	links   *netiftest.Links
	net     *netiftest.Host
	claims  *netiftest.Claims
	sources *netiftest.Sources // nil: the configured source is used
	relays  *netiftest.Relays  // nil: no relay
	hooks   *recordedHooks
	done    chan error
}

const testLink = "eth0"

var testVIP = netip.MustParsePrefix("192.0.2.100/24")

func vrrpConfig(addr string, prio uint8) Config {
	return Config{
		Name: "web", Link: testLink, Protocol: VRRP3, ID: 7,
		VIPs: []netip.Prefix{testVIP},
		Machine: fsm.Config{
			Policy:  fsm.VRRP{Version: 3, ResignSkewBase: 10 * time.Millisecond},
			Self:    fsm.Advert{From: netip.MustParseAddr(addr), Priority: prio, Interval: time.Second},
			Preempt: true,
		},
		AddressLifetime: 3 * time.Second,
	}
}

func carpConfig(addr string, advskew int, password string) Config {
	return Config{
		Name: "web", Link: testLink, Protocol: CARP, ID: 7,
		VIPs: []netip.Prefix{testVIP},
		Machine: fsm.Config{
			Policy: fsm.CARP{},
			Self:   fsm.Advert{From: netip.MustParseAddr(addr), Interval: time.Second + time.Duration(advskew)*(time.Second/256)},
		},
		Password: []byte(password),
	}
}

func startHost(t *testing.T, ctx context.Context, seg *netiftest.Segment, cfg Config) *testHost {
	t.Helper()
	h := newHost(seg, cfg)
	h.start(t, ctx, cfg)
	return h
}

// electPair starts a (priority 200) and b (priority 100) on seg and lets the
// election settle: a master, b backup.
func electPair(t *testing.T, ctx context.Context, seg *netiftest.Segment) (a, b *testHost) {
	t.Helper()
	a = startHost(t, ctx, seg, vrrpConfig("192.0.2.1", 200))
	b = startHost(t, ctx, seg, vrrpConfig("192.0.2.2", 100))
	time.Sleep(5 * time.Second)
	synctest.Wait()
	if a.state(t) != fsm.Master || b.state(t) != fsm.Backup {
		t.Fatalf("after start: a=%v b=%v, want master and backup", a.state(t), b.state(t))
	}
	return a, b
}

// settle lets the election run for 5 s of the bubble's time and fails t
// unless h is then in state want.
func (h *testHost) settle(t *testing.T, want fsm.State) {
	t.Helper()
	time.Sleep(5 * time.Second)
	synctest.Wait()
	if got := h.state(t); got != want {
		t.Fatalf("host is %v after the election, want %v", got, want)
	}
}

// stopHosts ends the hosts' groups and waits until their loops returned.
func stopHosts(cancel context.CancelFunc, hs ...*testHost) {
	cancel()
	for _, h := range hs {
		<-h.done
	}
}

// newHost builds a host's fakes; the test may set them up before start.
func newHost(seg *netiftest.Segment, cfg Config) *testHost {
	h := &testHost{
		addrs:  netiftest.NewAddresses(),
		ann:    &netiftest.Announcer{},
		links:  netiftest.NewLinks(netiftest.Usable(testLink, 2)),
		net:    seg.Host(cfg.Machine.Self.From),
		claims: netiftest.NewClaims(),
		hooks:  &recordedHooks{},
		done:   make(chan error, 1),
	}
	h.addrs.SetLink(testLink, true)
	return h
}

// start runs the host's group with its fakes.
func (h *testHost) start(t *testing.T, ctx context.Context, cfg Config) {
	t.Helper()
	deps := Deps{Addresses: h.addrs, Announcer: h.ann, Adverts: h.net, Links: h.links, Hooks: h.hooks, Claims: h.claims, Timers: netiftest.Timers{}}
	if h.sources != nil {
		deps.Sources = h.sources
	}
	if h.relays != nil {
		deps.Relays = h.relays
	}
	g, err := New(cfg, deps)
	if err != nil {
		t.Fatal(err)
	}
	h.group = g
	go func() { h.done <- g.Run(ctx) }()
}

func (h *testHost) status(t *testing.T) Status {
	t.Helper()
	st, err := h.group.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func (h *testHost) state(t *testing.T) fsm.State { return h.status(t).Machine.State }

func (h *testHost) holdsVIP() bool { return strings.Contains(h.addrs.State(), testVIP.String()) }

func (h *testHost) setCarrier(carrier bool) {
	st := netiftest.Usable(testLink, 2)
	st.Carrier = carrier
	h.links.Set(st)
}

// TestFailoverAndPreemptBack: the better host becomes master and holds the
// VIP; when its link fails the other takes over after the master-down
// interval; when it returns it preempts back and the other releases.
func TestFailoverAndPreemptBack(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		seg := netiftest.NewSegment()
		a, b := electPair(t, ctx, seg)
		if !a.holdsVIP() || b.holdsVIP() {
			t.Fatalf("VIP holders wrong:\na: %s\nb: %s", a.addrs.State(), b.addrs.State())
		}
		if len(a.ann.Calls()) == 0 {
			t.Error("the new master announced nothing")
		}

		a.setCarrier(false)
		synctest.Wait()
		if a.state(t) != fsm.Fault || a.holdsVIP() {
			t.Fatalf("after link loss a is %v holding=%v, want fault without VIP", a.state(t), a.holdsVIP())
		}
		// Master_Down_Interval for priority 100 at 1 s is 3.609375 s from
		// the last advert, which came less than one interval before the cut.
		time.Sleep(2500 * time.Millisecond)
		synctest.Wait()
		if b.state(t) != fsm.Backup {
			t.Fatalf("b took over before the master-down interval")
		}
		time.Sleep(1200 * time.Millisecond)
		synctest.Wait()
		if b.state(t) != fsm.Master || !b.holdsVIP() {
			t.Fatalf("b is %v holding=%v, want master with VIP", b.state(t), b.holdsVIP())
		}

		a.setCarrier(true)
		time.Sleep(5 * time.Second)
		synctest.Wait()
		if a.state(t) != fsm.Master || b.state(t) != fsm.Backup || !a.holdsVIP() || b.holdsVIP() {
			t.Fatalf("after return: a=%v(%v) b=%v(%v), want a master with the VIP", a.state(t), a.holdsVIP(), b.state(t), b.holdsVIP())
		}
		want := []string{"init->backup startup", "backup->master master-down", "master->fault link-down", "fault->backup link-up", "backup->master preempt"}
		if diff := cmp.Diff(want, a.hooks.list()); diff != "" {
			t.Errorf("a's hooks (-want +got):\n%s", diff)
		}
		want = []string{"init->backup startup", "backup->master master-down", "master->backup higher-priority-peer"}
		if diff := cmp.Diff(want, b.hooks.list()); diff != "" {
			t.Errorf("b's hooks (-want +got):\n%s", diff)
		}
		cancel()
		if err := <-a.done; err != context.Canceled {
			t.Errorf("a.Run = %v, want context.Canceled", err)
		}
		<-b.done
		if a.holdsVIP() {
			t.Error("a kept its VIP after its context ended")
		}
	})
}

// TestShutdownMakeBeforeBreak: a master that shuts down keeps its VIP until
// the backup has taken over (after the 10 ms resign skew base), then
// releases it and Run returns nil.
func TestShutdownMakeBeforeBreak(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		seg := netiftest.NewSegment()
		a, b := electPair(t, ctx, seg)

		if err := a.group.Shutdown(ctx); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if !a.holdsVIP() || b.state(t) != fsm.Backup {
			t.Fatalf("right after shutdown: a holding=%v, b=%v; want a still holding, b backup", a.holdsVIP(), b.state(t))
		}
		// Skew on the 10 ms base at priority 100: 6.09375 ms.
		time.Sleep(7 * time.Millisecond)
		synctest.Wait()
		if err := <-a.done; err != nil {
			t.Fatalf("a.Run = %v, want nil after shutdown", err)
		}
		if b.state(t) != fsm.Master || !b.holdsVIP() || a.holdsVIP() {
			t.Fatalf("after hand-over: b=%v holding=%v, a holding=%v", b.state(t), b.holdsVIP(), a.holdsVIP())
		}
		if got := a.hooks.list(); got[len(got)-1] != "master->stopped shutdown" {
			t.Errorf("a's last hook = %q, want the stop hook", got[len(got)-1])
		}
		cancel()
		<-b.done
	})
}

// TestCARPPasswordMismatch: as with ucarp, hosts with different passwords
// drop each other's adverts as bad-hmac and both end up master.
func TestCARPPasswordMismatch(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		seg := netiftest.NewSegment()
		a := startHost(t, ctx, seg, carpConfig("192.0.2.1", 0, "right"))
		b := startHost(t, ctx, seg, carpConfig("192.0.2.2", 100, "wrong"))
		time.Sleep(10 * time.Second)
		synctest.Wait()
		if a.state(t) != fsm.Master || b.state(t) != fsm.Master {
			t.Errorf("a=%v b=%v, want both master (nothing authenticates)", a.state(t), b.state(t))
		}
		if n := b.status(t).Counters.Dropped["bad-hmac"]; n == 0 {
			t.Errorf("b dropped no bad-hmac adverts: %v", b.status(t).Counters.Dropped)
		}
		stopHosts(cancel, a, b)
	})
}

// TestCARPElection: with the same password the shorter interval wins and
// the other stays backup, counting received adverts.
func TestCARPElection(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		seg := netiftest.NewSegment()
		a := startHost(t, ctx, seg, carpConfig("192.0.2.1", 0, "secret"))
		b := startHost(t, ctx, seg, carpConfig("192.0.2.2", 100, "secret"))
		time.Sleep(10 * time.Second)
		synctest.Wait()
		if a.state(t) != fsm.Master || b.state(t) != fsm.Backup {
			t.Fatalf("a=%v b=%v, want master and backup", a.state(t), b.state(t))
		}
		if c := b.status(t).Counters; c.Received < 5 || len(c.Dropped) != 0 {
			t.Errorf("b received %d, dropped %v; want adverts accepted and none dropped", c.Received, c.Dropped)
		}
		stopHosts(cancel, a, b)
	})
}

// TestInvalidPacketsAreCountedNotObeyed: packets with a TTL other than 255,
// bad checksums, garbage and the other protocol's format move nothing and are
// counted by reason.
func TestInvalidPacketsAreCountedNotObeyed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		seg := netiftest.NewSegment()
		a := startHost(t, ctx, seg, vrrpConfig("192.0.2.1", 200))
		time.Sleep(5 * time.Second)
		synctest.Wait()

		attacker := netip.MustParseAddr("192.0.2.66")
		better := vrrpConfig("192.0.2.66", 255)
		w, _, _ := newVRRPWire(&better)
		valid := w.encode(nil, better.Machine.Self, netif.GroupIPv4, time.Now())
		corrupt := append([]byte(nil), valid...)
		corrupt[2] ^= 0xff
		for _, p := range []netif.Packet{
			{Payload: valid, Src: attacker, Dst: netif.GroupIPv4, TTL: 64},
			{Payload: corrupt, Src: attacker, Dst: netif.GroupIPv4, TTL: 255},
			{Payload: []byte{0x31}, Src: attacker, Dst: netif.GroupIPv4, TTL: 255},
			{Payload: make([]byte, 36), Src: attacker, Dst: netif.GroupIPv4, TTL: 255},
		} {
			p.Link = testLink
			seg.Inject(p)
		}
		time.Sleep(time.Second)
		synctest.Wait()
		st := a.status(t)
		if st.Machine.State != fsm.Master {
			t.Fatalf("a is %v after invalid packets, want master", st.Machine.State)
		}
		want := map[string]uint64{"bad-ttl": 1, "bad-checksum": 1, "too-short": 1, "bad-version": 1}
		if diff := cmp.Diff(want, st.Counters.Dropped); diff != "" {
			t.Errorf("drops by reason (-want +got):\n%s", diff)
		}
		stopHosts(cancel, a)
	})
}

// TestVIPLifetimeRenewedAndRecreatedLink: the master keeps renewing its
// VIP's kernel lifetime, and puts the VIP back when the interface is
// re-created under the same name.
func TestVIPLifetimeRenewedAndRecreatedLink(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		seg := netiftest.NewSegment()
		a := startHost(t, ctx, seg, vrrpConfig("192.0.2.1", 255))
		time.Sleep(30 * time.Second)
		synctest.Wait()
		if !a.holdsVIP() {
			t.Fatalf("VIP expired while master: %s", a.addrs.State())
		}
		a.addrs.Remove(testLink, testVIP)
		a.links.Set(netiftest.Usable(testLink, 9))
		synctest.Wait()
		if !a.holdsVIP() || a.state(t) != fsm.Master {
			t.Fatalf("after the link came back as index 9: state %v, addresses %q", a.state(t), a.addrs.State())
		}
		stopHosts(cancel, a)
	})
}

// TestUnicastPeersPassAnyTTL: a unicast group obeys a configured peer's
// advert whatever its TTL (keepalived's IPv6 unicast adverts carry hop
// limit 64) and still drops one with TTL 64 from any other address.
func TestUnicastPeersPassAnyTTL(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		seg := netiftest.NewSegment()
		cfg := vrrpConfig("192.0.2.1", 100)
		peer := netip.MustParseAddr("192.0.2.2")
		cfg.Peers = []netip.Addr{peer}
		a := startHost(t, ctx, seg, cfg)
		a.settle(t, fsm.Master)

		inject := func(from string) {
			other := vrrpConfig(from, 200)
			w, _, _ := newVRRPWire(&other)
			self := cfg.Machine.Self.From
			seg.Inject(netif.Packet{Payload: w.encode(nil, other.Machine.Self, self, time.Now()),
				Src: netip.MustParseAddr(from), Dst: self, TTL: 64, Link: testLink})
			synctest.Wait()
		}
		inject("192.0.2.66")
		if st := a.status(t); st.Machine.State != fsm.Master || st.Counters.Dropped["bad-ttl"] != 1 {
			t.Fatalf("after TTL 64 from a stranger: %v, drops %v; want master and one bad-ttl", st.Machine.State, st.Counters.Dropped)
		}
		inject(peer.String())
		if st := a.status(t); st.Machine.State != fsm.Backup || st.Counters.Received != 1 {
			t.Fatalf("after TTL 64 from the peer: %v, received %d; want backup and one received", st.Machine.State, st.Counters.Received)
		}
		stopHosts(cancel, a)
	})
}
