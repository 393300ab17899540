package driver

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/vipd/vipd/internal/fsm"
	"github.com/vipd/vipd/internal/netif/netiftest"
)

// pullCable takes the carrier from the host's link and cuts it off the
// segment, or gives both back: a pulled cable, plugged in again.
func (h *testHost) pullCable(pulled bool) {
	h.net.Cut(pulled)
	h.setCarrier(!pulled)
}

// TestCarrierLoss: by default a master that loses carrier goes to Fault and
// lets the VIP go. With IgnoreCarrier (track_link: false, ucarp -S) it
// stays master with the VIP on the same connection, as ucarp does; the
// backup, which no longer hears it, takes over too, and gives way again
// when the cable is back and the better master's adverts reach it.
func TestCarrierLoss(t *testing.T) {
	for _, tc := range []struct {
		name          string
		ignoreCarrier bool
		wantA, wantB  []string
	}{
		{
			name:  "tracked",
			wantA: []string{"init->backup startup", "backup->master master-down", "master->fault link-down", "fault->backup link-up", "backup->master preempt"},
			wantB: []string{"init->backup startup", "backup->master master-down", "master->backup higher-priority-peer"},
		},
		{
			name:          "ignored",
			ignoreCarrier: true,
			wantA:         []string{"init->backup startup", "backup->master master-down"},
			wantB:         []string{"init->backup startup", "backup->master master-down", "master->backup higher-priority-peer"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				seg := netiftest.NewSegment()
				cfgA := vrrpConfig("192.0.2.1", 200)
				cfgA.IgnoreCarrier = tc.ignoreCarrier
				a := startHost(t, ctx, seg, cfgA)
				b := startHost(t, ctx, seg, vrrpConfig("192.0.2.2", 100))
				a.settle(t, fsm.Master)

				a.pullCable(true)
				synctest.Wait()
				wantState := fsm.Fault
				if tc.ignoreCarrier {
					wantState = fsm.Master
				}
				if got := a.state(t); got != wantState || a.holdsVIP() != tc.ignoreCarrier {
					t.Fatalf("without carrier a is %v holding=%v, want %v holding=%v", got, a.holdsVIP(), wantState, tc.ignoreCarrier)
				}
				time.Sleep(5 * time.Second)
				synctest.Wait()
				if got := a.state(t); got != wantState {
					t.Errorf("5 s without carrier a is %v, want %v", got, wantState)
				}
				if b.state(t) != fsm.Master || !b.holdsVIP() {
					t.Fatalf("b is %v holding=%v, want master with the VIP (it no longer hears a)", b.state(t), b.holdsVIP())
				}

				a.pullCable(false)
				time.Sleep(5 * time.Second)
				synctest.Wait()
				if a.state(t) != fsm.Master || !a.holdsVIP() || b.state(t) != fsm.Backup || b.holdsVIP() {
					t.Fatalf("with the cable back: a=%v(%v) b=%v(%v), want a master with the VIP, b backup",
						a.state(t), a.holdsVIP(), b.state(t), b.holdsVIP())
				}
				if diff := cmp.Diff(tc.wantA, a.hooks.list()); diff != "" {
					t.Errorf("a's hooks (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(tc.wantB, b.hooks.list()); diff != "" {
					t.Errorf("b's hooks (-want +got):\n%s", diff)
				}
				stopHosts(cancel, a, b)
			})
		})
	}
}

// TestIgnoreCarrierStillNeedsTheLink: ignoring carrier does not ignore the
// interface itself. Set administratively down or deleted, it cannot carry
// the group's socket or its VIPs, so the group goes to Fault.
func TestIgnoreCarrierStillNeedsTheLink(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(h *testHost)
	}{
		{"down", func(h *testHost) {
			st := netiftest.Usable(testLink, 2)
			st.Up, st.Carrier = false, false
			h.links.Set(st)
		}},
		{"deleted", func(h *testHost) { h.deleteLink() }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				cfg := vrrpConfig("192.0.2.1", 200)
				cfg.IgnoreCarrier = true
				a := startHost(t, ctx, netiftest.NewSegment(), cfg)
				a.settle(t, fsm.Master)
				tc.change(a)
				synctest.Wait()
				if a.state(t) != fsm.Fault || a.holdsVIP() {
					t.Errorf("a is %v holding=%v, want fault without the VIP", a.state(t), a.holdsVIP())
				}
				stopHosts(cancel, a)
			})
		})
	}
}
