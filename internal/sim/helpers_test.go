package sim

import (
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/vipd/vipd/internal/fsm"
)

// addr returns host i's address in 192.0.2.0/24 (i+1).
func addr(i int) netip.Addr { return netip.AddrFrom4([4]byte{192, 0, 2, byte(i + 1)}) }

// vrrp3 is a VRRPv3 member config with preemption on.
func vrrp3(i int, prio uint8, interval time.Duration) fsm.Config {
	return fsm.Config{
		Policy:  fsm.VRRP{Version: 3},
		Self:    fsm.Advert{From: addr(i), Priority: prio, Interval: interval},
		Preempt: true,
	}
}

// carp is a CARP member config (advbase 1) with preemption on.
func carp(from netip.Addr, advskew int) fsm.Config {
	return fsm.Config{
		Policy:  fsm.CARP{},
		Self:    fsm.Advert{From: from, Interval: time.Second + time.Duration(advskew)*time.Second/256},
		Preempt: true,
	}
}

// segment builds a one-group config with one host per member config, all
// booting at 0, with a 1 ms delay and no jitter.
func segment(cfgs ...fsm.Config) Config {
	c := Config{Network: Network{Delay: time.Millisecond}}
	var g Group
	for i, mc := range cfgs {
		c.Hosts = append(c.Hosts, Host{Name: fmt.Sprintf("h%d", i)})
		g.Members = append(g.Members, Member{Host: i, Config: mc})
	}
	c.Groups = []Group{g}
	return c
}

// newSim builds a simulator and prints its trace if the test fails.
func newSim(t *testing.T, cfg Config) *Sim {
	t.Helper()
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("trace (seed %d):\n%s", s.Seed(), s.Trace())
		}
	})
	return s
}

// runUntil runs the simulator and fails the test on a violation.
func runUntil(t *testing.T, s *Sim, d time.Duration) {
	t.Helper()
	if err := s.RunUntil(d); err != nil {
		t.Fatal(err)
	}
}

// wantMasters checks group 0's masters now.
func wantMasters(t *testing.T, s *Sim, want ...int) {
	t.Helper()
	if diff := cmp.Diff(want, s.Masters(0)); diff != "" {
		t.Errorf("at %s masters (-want +got):\n%s", fmtTime(s.Elapsed()), diff)
	}
}

// transitionsOf lists group 0's transitions of one host from offset `from`.
func transitionsOf(s *Sim, host int, from time.Duration) []TransitionRecord {
	var rs []TransitionRecord
	for _, r := range s.Transitions() {
		if r.Host == host && r.Group == 0 && r.At >= from {
			rs = append(rs, r)
		}
	}
	return rs
}
