package sim

import (
	"testing"
	"time"

	"github.com/vipd/vipd/internal/fsm"
)

// TestFSMRegressions keeps minimal reproductions of internal/fsm bugs the
// simulator found (and fsm has since fixed), each under every invariant.
func TestFSMRegressions(t *testing.T) {
	// fsm.CARP.Weighted clamped advskew to 0–254 and so let advbase 0
	// with advskew 0 through: the master armed its next advert at now + 0
	// and advertised in a loop at one instant (invariant livelock).
	t.Run("carp-weight-zero-interval", func(t *testing.T) {
		a := carp(addr(0), 0)
		a.Self.Interval = 10 * time.Second / 256 // advbase 0, advskew 10
		s := newSim(t, segment(a, carp(addr(1), 0)))
		s.At(time.Second, SetHealth{Host: 0, Group: 0, Weight: 20})
		runUntil(t, s, 2*time.Second)
		wantMasters(t, s, 0)
	})

	// The default hand-over timeout was MasterDown(self at priority 1,
	// self): 39.96 ms for VRRPv3 at 10 ms. A backup that heard the resign
	// waits (256 − 100)/256 × ResignSkewBase = 61 ms at priority 100 with
	// a 100 ms base, so the master gave up first and nobody held the VIPs
	// for 22 ms (invariant handover).
	t.Run("vrrp-resign-skew-base-handover", func(t *testing.T) {
		var cfgs []fsm.Config
		for i, prio := range []uint8{200, 100} {
			c := vrrp3(i, prio, 10*time.Millisecond)
			c.Policy = fsm.VRRP{Version: 3, ResignSkewBase: 100 * time.Millisecond}
			cfgs = append(cfgs, c)
		}
		s := newSim(t, segment(cfgs...))
		s.At(time.Second, Shutdown{Host: 0})
		runUntil(t, s, 2*time.Second)
		wantMasters(t, s, 1)
	})

	// For CARP the default hand-over timeout set Priority = 1, which CARP
	// ignores: it was the master's own master-down interval, with advbase
	// 0 and advskew 1 3.9 ms, less than one 5 ms delivery (invariant
	// handover).
	t.Run("carp-advbase0-handover", func(t *testing.T) {
		a := carp(addr(0), 0)
		a.Self.Interval = time.Second / 256 // advbase 0, advskew 1
		cfg := segment(a, carp(addr(1), 0))
		cfg.Network.Delay = 5 * time.Millisecond
		s := newSim(t, cfg)
		s.At(time.Second, Shutdown{Host: 0})
		runUntil(t, s, 2*time.Second)
		wantMasters(t, s, 1)
	})
}
