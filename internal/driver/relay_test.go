package driver

import (
	"context"
	"net/netip"
	"testing"
	"testing/synctest"
	"time"

	"github.com/vipd/vipd/internal/fsm"
	"github.com/vipd/vipd/internal/netif"
	"github.com/vipd/vipd/internal/netif/netiftest"
)

// fastConfig is the lab's fast profile: 10 ms adverts sent five times per
// interval, backups waiting two intervals plus their skew.
func fastConfig(addr string, prio uint8) Config {
	c := vrrpConfig(addr, prio)
	c.Machine.Policy = fsm.VRRP{Version: 3, DownAdverts: 2}
	c.Machine.Self.Interval = 10 * time.Millisecond
	c.Machine.AdvertsPerInterval = 5
	return c
}

// startFast starts a host with fastConfig, and a relay if relay.
func startFast(t *testing.T, ctx context.Context, seg *netiftest.Segment, addr string, prio uint8, relay bool) *testHost {
	t.Helper()
	cfg := fastConfig(addr, prio)
	h := newHost(seg, cfg)
	if relay {
		h.relays = &netiftest.Relays{}
	}
	h.start(t, ctx, cfg)
	return h
}

// fastPair starts a (192.0.2.1, priority 200, with a relay if relay) and
// b (192.0.2.2, 100) with fastConfig and lets a become master.
func fastPair(t *testing.T, ctx context.Context, seg *netiftest.Segment, relay bool) (a, b *testHost) {
	t.Helper()
	a = startFast(t, ctx, seg, "192.0.2.1", 200, relay)
	b = startFast(t, ctx, seg, "192.0.2.2", 100, false)
	a.settle(t, fsm.Master)
	return a, b
}

// stall blocks h's loop for d, as a CPU the hypervisor does not run would.
func (h *testHost) stall(t *testing.T, d time.Duration) {
	t.Helper()
	if err := h.group.do(t.Context(), func(context.Context, *Group) { time.Sleep(d) }); err != nil {
		t.Fatal(err)
	}
}

// advertsFrom counts the adverts src sent with a priority above 0.
func advertsFrom(seg *netiftest.Segment, src string) int {
	n := 0
	for _, p := range seg.Sent() {
		if p.Src == netip.MustParseAddr(src) && len(p.Payload) > 2 && p.Payload[2] > 0 {
			n++
		}
	}
	return n
}

// TestRelayCoversAStalledMaster: a master whose loop stalls for 40 ms,
// longer than its backup's 26 ms wait (and than the 26 ms stalls measured
// on a small VM), stays master because its relay keeps its adverts going
// from 6 to 20 ms into the stall; without a relay the backup takes over.
func TestRelayCoversAStalledMaster(t *testing.T) {
	for _, relay := range []bool{true, false} {
		name := map[bool]string{true: "with relay", false: "without relay"}[relay]
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				a, b := fastPair(t, ctx, netiftest.NewSegment(), relay)

				a.stall(t, 40*time.Millisecond)
				synctest.Wait()
				took := b.status(t).Counters.Transitions[fsm.ReasonMasterDown.String()] > 0
				if took == relay {
					t.Fatalf("backup took over during the master's stall: %v, want %v", took, !relay)
				}
				if n := a.status(t).Counters.Relayed; relay && n < 7 {
					t.Errorf("relayed %d adverts, want 7 (every 2 ms from 6 to 20 ms)", n)
				}
				stopHosts(cancel, a, b)
			})
		})
	}
}

// checkSilent fails t if src sends an advert with a priority in the next
// 100 ms, five times the relay's For.
func checkSilent(t *testing.T, seg *netiftest.Segment, src, when string) {
	t.Helper()
	before := advertsFrom(seg, src)
	time.Sleep(100 * time.Millisecond)
	synctest.Wait()
	if n := advertsFrom(seg, src) - before; n != 0 {
		t.Errorf("%s sent %d adverts with a priority %s", src, n, when)
	}
}

// TestRelayQuietWhenNotSpeakingForMaster: the relay never speaks for a
// host that resigned or lost the master state, even while its loop is
// silent long enough for the relay to start.
func TestRelayQuietWhenNotSpeakingForMaster(t *testing.T) {
	for _, tc := range []struct {
		name string
		prio uint8
		// leave makes a, master with a relay, stop speaking as master;
		// it returns the hosts it started.
		leave func(t *testing.T, ctx context.Context, seg *netiftest.Segment, a *testHost) []*testHost
	}{
		{"after a resign", 200, func(t *testing.T, ctx context.Context, _ *netiftest.Segment, a *testHost) []*testHost {
			// No backup hears the resign, so the loop waits out its
			// hand-over with the VIPs held and silent.
			if err := a.group.Shutdown(ctx); err != nil {
				t.Fatal(err)
			}
			return nil
		}},
		{"after a better host took over", 100, func(t *testing.T, ctx context.Context, seg *netiftest.Segment, a *testHost) []*testHost {
			b := startFast(t, ctx, seg, "192.0.2.2", 200, false)
			for waited := 0; a.state(t) != fsm.Backup; waited++ {
				if waited == 1000 {
					t.Fatalf("a is still %v a second after b started", a.state(t))
				}
				time.Sleep(time.Millisecond)
			}
			return []*testHost{b}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				seg := netiftest.NewSegment()
				a := startFast(t, ctx, seg, "192.0.2.1", tc.prio, true)
				a.settle(t, fsm.Master)
				others := tc.leave(t, ctx, seg, a)
				checkSilent(t, seg, "192.0.2.1", tc.name)
				stopHosts(cancel, append(others, a)...)
			})
		})
	}
}

// TestRelayStartsForFastVRRPOnly: a relay starts for a VRRP group whose
// backups wait under relayMaxDown; not for one at 1 s adverts (3 s wait),
// nor for CARP (a relay cannot sign new counters).
func TestRelayStartsForFastVRRPOnly(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
		want int
	}{
		{"vrrp fast", fastConfig("192.0.2.1", 100), 1},
		{"vrrp 1 s", vrrpConfig("192.0.2.1", 100), 0},
		{"carp", carpConfig("192.0.2.1", 0, "secret"), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				h := newHost(netiftest.NewSegment(), tc.cfg)
				h.relays = &netiftest.Relays{}
				h.start(t, ctx, tc.cfg)
				time.Sleep(time.Second)
				synctest.Wait()
				if got := len(h.relays.Started()); got != tc.want {
					t.Errorf("%d relays started, want %d", got, tc.want)
				}
				stopHosts(cancel, h)
			})
		})
	}
}

func TestRelayTiming(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
		want netif.RelayTiming
	}{
		// Three 2 ms periods; stop after 2 × 10 ms + skew(255).
		{"fast", fastConfig("192.0.2.1", 200), netif.RelayTiming{Every: 2 * time.Millisecond, After: 6 * time.Millisecond, For: 20*time.Millisecond + 39062*time.Nanosecond}},
		// One advert per second: a third of the 3 s wait is less than a
		// quarter period late, so the relay waits 1.25 s.
		{"default", vrrpConfig("192.0.2.1", 200), netif.RelayTiming{Every: time.Second, After: 1250 * time.Millisecond, For: 3*time.Second + 3906250*time.Nanosecond}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := tc.cfg.Machine
			if got := relayTiming(m.Policy, m.Self, m.AdvertsPerInterval); got != tc.want {
				t.Errorf("relayTiming = %+v, want %+v", got, tc.want)
			}
		})
	}
}
