package daemon

import (
	"context"
	"errors"
	"log/slog"
	"net/netip"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/vipd/vipd/internal/control"
	"github.com/vipd/vipd/internal/driver"
	"github.com/vipd/vipd/internal/fsm"
	"github.com/vipd/vipd/internal/health"
	"github.com/vipd/vipd/internal/netif/netiftest"
)

// nopHooks discards hook events.
type nopHooks struct{}

func (nopHooks) Submit(driver.HookEvent) {}

// testGroup builds a VRRPv3 group with a 1 s interval on fakes: alone on
// its segment, it becomes master after the master-down interval.
func testGroup(t *testing.T, seg *netiftest.Segment) *driver.Group {
	t.Helper()
	src := netip.MustParseAddr("192.0.2.1")
	addrs := netiftest.NewAddresses()
	addrs.SetLink("eth0", true)
	grp, err := driver.New(driver.Config{
		Name: "web", Link: "eth0", Protocol: driver.VRRP3, ID: 7,
		VIPs: []netip.Prefix{netip.MustParsePrefix("192.0.2.100/24")},
		Machine: fsm.Config{
			Policy:  fsm.VRRP{Version: 3},
			Self:    fsm.Advert{From: src, Priority: 200, Interval: time.Second},
			Preempt: true,
		},
	}, driver.Deps{
		Addresses: addrs, Announcer: &netiftest.Announcer{}, Adverts: seg.Host(src),
		Links: netiftest.NewLinks(netiftest.Usable("eth0", 2)), Hooks: nopHooks{},
		Timers: netiftest.Timers{},
	})
	if err != nil {
		t.Fatal(err)
	}
	return grp
}

// testDaemon is the part of a Daemon that health results reach.
func testDaemon() *Daemon {
	return &Daemon{log: slog.New(slog.DiscardHandler), hub: control.NewHub()}
}

func groupState(t *testing.T, grp *driver.Group) fsm.State {
	t.Helper()
	st, err := grp.Status(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return st.Machine.State
}

// TestFaultCheckMovesGroupThroughFault: a fault check that starts failing
// puts the master in Fault (releasing the VIPs), its recovery brings the
// group back, every change of the check is an event, and the monitor
// stops with the group's loop.
func TestFaultCheckMovesGroupThroughFault(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := testDaemon()
		grp := testGroup(t, netiftest.NewSegment())
		var failing atomic.Bool
		mon, err := health.New(health.Config{
			Group: "web",
			Checks: []health.Check{{
				Name: "api", Kind: health.KindHTTP, Interval: time.Second, Timeout: 500 * time.Millisecond,
				Rise: 2, Fall: 2, Fault: true,
				Checker: health.CheckerFunc(func(context.Context) error {
					if failing.Load() {
						return errors.New("status 500")
					}
					return nil
				}),
			}},
			OnHealth: healthTo(grp), OnResult: d.checkResult,
		})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() { done <- runGroup(ctx, grp, mon) }()

		time.Sleep(5 * time.Second)
		synctest.Wait()
		if s := groupState(t, grp); s != fsm.Master {
			t.Fatalf("with a healthy check the group is %v, want master", s)
		}
		failing.Store(true)
		time.Sleep(2 * time.Second) // fall 2
		synctest.Wait()
		if s := groupState(t, grp); s != fsm.Fault {
			t.Fatalf("after the check failed twice the group is %v, want fault", s)
		}
		failing.Store(false)
		time.Sleep(2*time.Second + 4*time.Second) // rise 2, then the master-down wait
		synctest.Wait()
		if s := groupState(t, grp); s != fsm.Master {
			t.Fatalf("after the check recovered the group is %v, want master", s)
		}

		recent, _, unsubscribe := d.hub.Subscribe()
		unsubscribe()
		var got []string
		for _, ev := range recent {
			if ev.Kind == "check" {
				got = append(got, ev.Check+" "+ev.From+"->"+ev.To)
			}
		}
		want := []string{"api unknown->healthy", "api healthy->failing", "api failing->healthy"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("check events (-want +got):\n%s", diff)
		}

		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("runGroup = %v, want context.Canceled", err)
		}
		if _, err := mon.Status(context.Background()); !errors.Is(err, health.ErrNotRunning) {
			t.Errorf("the monitor outlived its group: Status = %v", err)
		}
	})
}

// TestHangingCheckKeepsAdvertsFlowing: a check that hangs until its
// timeout, every time, does not hold up the master's adverts.
func TestHangingCheckKeepsAdvertsFlowing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := testDaemon()
		seg := netiftest.NewSegment()
		grp := testGroup(t, seg)
		mon, err := health.New(health.Config{
			Group: "web",
			Checks: []health.Check{{
				Name: "stuck", Kind: health.KindExec, Interval: 10 * time.Second, Timeout: 9 * time.Second,
				Rise: 1, Fall: 1, Weight: -1,
				Checker: health.CheckerFunc(func(ctx context.Context) error {
					<-ctx.Done()
					return ctx.Err()
				}),
			}},
			OnHealth: healthTo(grp), OnResult: d.checkResult,
		})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		go func() { _ = runGroup(ctx, grp, mon) }()

		time.Sleep(5 * time.Second) // master by now, the first probe hanging
		synctest.Wait()
		before := len(seg.Sent())
		time.Sleep(20 * time.Second)
		synctest.Wait()
		// One advert a second, plus one when the weight arrived.
		if n := len(seg.Sent()) - before; n < 20 {
			t.Errorf("%d adverts in 20 s while the check hung, want at least 20", n)
		}
		st, err := grp.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.Machine.State != fsm.Master || st.Machine.Self.Priority != 199 {
			t.Errorf("group is %v at priority %d, want master at 199 (weight -1 of the failing check)", st.Machine.State, st.Machine.Self.Priority)
		}
	})
}
