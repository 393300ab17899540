package sim

import (
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/vipd/vipd/internal/fsm"
)

// Stories: hand-written runs that read as what an operator would see. Each
// also runs under every invariant.

// A VRRPv3 group of three: the best host is master; when it crashes the
// next best takes over within its master-down interval (RFC 5798 §6.4.2:
// 3 × Master_Adver_Interval + Skew_Time) plus the delivery delay.
func TestStoryVRRPv3MasterCrash(t *testing.T) {
	const interval = 100 * time.Millisecond
	s := newSim(t, segment(vrrp3(0, 200, interval), vrrp3(1, 150, interval), vrrp3(2, 100, interval)))

	runUntil(t, s, 2*time.Second)
	wantMasters(t, s, 0)

	const crashAt = 2*time.Second + 5*time.Millisecond
	s.At(crashAt, Crash{Host: 0})
	runUntil(t, s, 4*time.Second)
	wantMasters(t, s, 1)

	// h1's timer ran from h0's last advert, sent at most one interval
	// before the crash and received 1 ms later.
	down := fsm.VRRP{Version: 3}.MasterDown(vrrp3(1, 150, interval).Self, vrrp3(0, 200, interval).Self)
	got := transitionsOf(s, 1, crashAt)
	want := []TransitionRecord{{Host: 1, From: fsm.Backup, To: fsm.Master, Reason: fsm.ReasonMasterDown}}
	if diff := cmp.Diff(want, got, cmpIgnoreAt); diff != "" {
		t.Fatalf("h1 transitions after the crash (-want +got):\n%s", diff)
	}
	if late := got[0].At - crashAt; late > down+time.Millisecond || late < down-interval {
		t.Errorf("h1 took over %s after the crash, want within (%s, %s]", late, down-interval, down+time.Millisecond)
	}
	if diff := cmp.Diff([]int(nil), transitionsHosts(transitionsOf(s, 2, crashAt))); diff != "" {
		t.Errorf("h2 moved after the crash (-want +got):\n%s", diff)
	}
}

var cmpIgnoreAt = cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".At" }, cmp.Ignore())

func transitionsHosts(rs []TransitionRecord) []int {
	var hs []int
	for _, r := range rs {
		hs = append(hs, r.Host)
	}
	return hs
}

// The preferred host crashes and comes back. With preemption it takes the
// VIPs back after one master-down interval (RFC 5798 §6.4.2 discards the
// lesser master's adverts); without preemption it stays backup.
func TestStoryPreferredReturns(t *testing.T) {
	const interval = 50 * time.Millisecond
	for _, tc := range []struct {
		name       string
		preempt    bool
		wantMaster int
		wantH0     []fsm.Reason
	}{
		{"preempt", true, 0, []fsm.Reason{fsm.ReasonStartup, fsm.ReasonPreempt}},
		{"no-preempt", false, 1, []fsm.Reason{fsm.ReasonStartup}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h0 := vrrp3(0, 200, interval)
			h0.Preempt = tc.preempt
			s := newSim(t, segment(h0, vrrp3(1, 100, interval)))
			s.At(time.Second, Crash{Host: 0})
			s.At(2*time.Second, Restart{Host: 0})
			runUntil(t, s, 4*time.Second)
			wantMasters(t, s, tc.wantMaster)

			var reasons []fsm.Reason
			for _, r := range transitionsOf(s, 0, 2*time.Second) {
				reasons = append(reasons, r.Reason)
			}
			if diff := cmp.Diff(tc.wantH0, reasons); diff != "" {
				t.Errorf("h0's transition reasons after the restart (-want +got):\n%s", diff)
			}
		})
	}
}

// CARP with equal intervals: when both hosts claim mastership, ucarp keeps
// the lower source address read as a little-endian integer, so the last
// octet weighs most: 198.51.100.2 beats 192.0.2.10 although it is the
// greater address in network order.
func TestStoryCARPTie(t *testing.T) {
	hi, lo := netip.MustParseAddr("192.0.2.10"), netip.MustParseAddr("198.51.100.2")

	t.Run("both start", func(t *testing.T) {
		s := newSim(t, segment(carp(hi, 0), carp(lo, 0)))
		runUntil(t, s, 10*time.Second)
		wantMasters(t, s, 1)
	})
	t.Run("partition heals", func(t *testing.T) {
		s := newSim(t, segment(carp(hi, 0), carp(lo, 0)))
		s.At(5*time.Second, Partition{Sides: [][]int{{0}, {1}}})
		s.At(15*time.Second, Heal{})
		runUntil(t, s, 14*time.Second)
		wantMasters(t, s, 0, 1)
		runUntil(t, s, 20*time.Second)
		wantMasters(t, s, 1)
	})
	t.Run("tie never preempts", func(t *testing.T) {
		cfg := segment(carp(hi, 0), carp(lo, 0))
		cfg.Hosts[1].Boot = 5 * time.Second
		s := newSim(t, cfg)
		runUntil(t, s, 15*time.Second)
		wantMasters(t, s, 0)
	})
}

// Shutdown of the master hands over make-before-break: it resigns, the
// best backup takes over after its skew wait, and the old master keeps the
// VIPs until it hears the successor, so there is no instant without a
// holder.
func TestStoryShutdownHandover(t *testing.T) {
	const interval = 100 * time.Millisecond
	for _, tc := range []struct {
		name string
		cfgs []fsm.Config
		// wait is how long after the resign the successor takes over.
		wait time.Duration
		// h2 is what the third host goes through.
		h2 []fsm.Reason
	}{
		// The backups wait Skew_Time, (256 − priority)/256 × 100 ms: h1
		// takes over first and h2 hears it before its own wait ends.
		{"vrrp3", []fsm.Config{vrrp3(0, 200, interval), vrrp3(1, 150, interval), vrrp3(2, 100, interval)},
			(256 - 150) * interval / 256, nil},
		// ucarp takes over at once on a resign: both backups claim
		// mastership and h2 steps down on hearing h1's shorter interval.
		{"carp", []fsm.Config{carp(addr(0), 0), carp(addr(1), 50), carp(addr(2), 100)},
			0, []fsm.Reason{fsm.ReasonPeerResigned, fsm.ReasonHigherPriorityPeer}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSim(t, segment(tc.cfgs...))
			runUntil(t, s, 10*time.Second)
			wantMasters(t, s, 0)

			const stopAt = 10*time.Second + 3*time.Millisecond
			s.At(stopAt, Shutdown{Host: 0})
			runUntil(t, s, 20*time.Second)
			wantMasters(t, s, 1)

			if diff := cmp.Diff([]Gap(nil), s.Gaps(0)); diff != "" {
				t.Errorf("spans without a VIP holder (-want +got):\n%s", diff)
			}
			took := transitionsOf(s, 1, stopAt)
			stopped := transitionsOf(s, 0, stopAt)
			want := []TransitionRecord{{Host: 1, From: fsm.Backup, To: fsm.Master, Reason: fsm.ReasonPeerResigned}}
			if diff := cmp.Diff(want, took, cmpIgnoreAt); diff != "" {
				t.Fatalf("h1 after the shutdown (-want +got):\n%s", diff)
			}
			wantStop := []TransitionRecord{{Host: 0, From: fsm.Master, To: fsm.Stopped, Reason: fsm.ReasonShutdown}}
			if diff := cmp.Diff(wantStop, stopped, cmpIgnoreAt); diff != "" {
				t.Fatalf("h0 after the shutdown (-want +got):\n%s", diff)
			}
			// Resign delivered after 1 ms, then the skew wait; h0 stops
			// when h1's first advert reaches it 1 ms later.
			if got, want := took[0].At, stopAt+time.Millisecond+tc.wait; got != want {
				t.Errorf("h1 took over at %s, want %s", fmtTime(got), fmtTime(want))
			}
			if got, want := stopped[0].At, took[0].At+time.Millisecond; got != want {
				t.Errorf("h0 stopped at %s, want %s (when h1's advert arrived)", fmtTime(got), fmtTime(want))
			}
			var h2 []fsm.Reason
			for _, r := range transitionsOf(s, 2, stopAt) {
				h2 = append(h2, r.Reason)
			}
			if diff := cmp.Diff(tc.h2, h2); diff != "" {
				t.Errorf("h2 after the shutdown (-want +got):\n%s", diff)
			}
		})
	}
}

// A host in maintenance hands over, never becomes master, not even when
// it is the only host left, and takes the VIPs back once recovered.
func TestStoryMaintenance(t *testing.T) {
	const interval = 20 * time.Millisecond
	s := newSim(t, segment(vrrp3(0, 200, interval), vrrp3(1, 150, interval)))
	s.At(time.Second, Admin{Host: 0, Group: 0, Command: fsm.CommandMaintenance})
	s.At(2*time.Second, Crash{Host: 1})
	s.At(3*time.Second, Restart{Host: 0}) // maintenance is persisted
	runUntil(t, s, 4*time.Second)
	if got := s.Member(0, 0); got.State != fsm.Maintenance || got.HoldsVIPs {
		t.Fatalf("h0 = %+v, want maintenance without VIPs", got)
	}
	wantMasters(t, s)
	if diff := cmp.Diff([]Gap{{From: 2 * time.Second, Open: true}}, s.Gaps(0)); diff != "" {
		t.Errorf("gaps (-want +got):\n%s", diff)
	}

	s.At(5*time.Second, Restart{Host: 1})
	s.At(6*time.Second, Admin{Host: 0, Group: 0, Command: fsm.CommandRecover})
	runUntil(t, s, 8*time.Second)
	wantMasters(t, s, 0)
	for _, r := range transitionsOf(s, 0, 0) {
		if r.To == fsm.Master && r.At > time.Second && r.At < 6*time.Second {
			t.Errorf("h0 became master during maintenance: %s", r)
		}
	}
}

// A partition splits the group; each side elects a master (split brain).
// When it heals, the lesser master hears the better one and steps down
// within one advert interval plus the delay: exactly one master remains.
func TestStorySplitBrainHeals(t *testing.T) {
	const interval = 50 * time.Millisecond
	s := newSim(t, segment(vrrp3(0, 200, interval), vrrp3(1, 150, interval), vrrp3(2, 100, interval)))
	s.At(time.Second, Partition{Sides: [][]int{{0}, {1, 2}}})
	s.At(3*time.Second, Heal{})
	runUntil(t, s, 3*time.Second-time.Millisecond)
	wantMasters(t, s, 0, 1)

	runUntil(t, s, 3*time.Second+interval+2*time.Millisecond)
	wantMasters(t, s, 0)
	want := []TransitionRecord{{Host: 1, From: fsm.Master, To: fsm.Backup, Reason: fsm.ReasonHigherPriorityPeer}}
	if diff := cmp.Diff(want, transitionsOf(s, 1, 3*time.Second), cmpIgnoreAt); diff != "" {
		t.Errorf("h1 after the heal (-want +got):\n%s", diff)
	}
	runUntil(t, s, 6*time.Second)
	wantMasters(t, s, 0)
}

// A lossy period may cause spurious takeovers; once loss stops the group
// converges on the preferred master.
func TestStoryLossConverges(t *testing.T) {
	const interval = 10 * time.Millisecond
	cfg := segment(vrrp3(0, 200, interval), vrrp3(1, 150, interval), vrrp3(2, 100, interval))
	cfg.Seed = 7
	cfg.Network.Jitter = 3 * time.Millisecond
	s := newSim(t, cfg)
	s.At(time.Second, SetLoss{Rate: 0.5})
	s.At(6*time.Second, SetLoss{Rate: 0})
	runUntil(t, s, 6*time.Second)
	spurious := 0
	for _, r := range s.Transitions() {
		if r.To == fsm.Master && r.At > time.Second {
			spurious++
		}
	}
	if spurious == 0 {
		t.Errorf("50%% loss for 5 s at 10 ms adverts caused no takeover; is loss applied?")
	}
	runUntil(t, s, 7*time.Second)
	wantMasters(t, s, 0)
	if err := s.CheckSettled(); err != nil {
		t.Error(err)
	}
}
