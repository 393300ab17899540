package sim

import (
	"errors"
	"testing"
	"time"

	"github.com/vipd/vipd/internal/fsm"
)

// The invariants must catch what they claim to: each case builds a segment
// that breaks one by configuration (or with a policy that misbehaves) and
// expects that invariant's violation, with the seed in the message.

// stubborn is a VRRPv3 policy whose machine never preempts, although its
// Outranks says it should.
type stubborn struct{ fsm.VRRP }

func (stubborn) Preempts(_, _ fsm.Advert) bool { return false }

func TestInvariantsCatch(t *testing.T) {
	// RFC 3768 §7.1: VRRPv2 routers discard adverts with another Adver
	// Int, so a misconfigured pair never hears each other.
	v2 := func(i int, prio uint8, interval time.Duration) fsm.Config {
		c := vrrp3(i, prio, interval)
		c.Policy = fsm.VRRP{Version: 2}
		return c
	}
	carp0 := func(i, advskew int) fsm.Config {
		return fsm.Config{Policy: fsm.CARP{}, Self: fsm.Advert{From: addr(i), Interval: time.Duration(advskew) * time.Second / 256}}
	}
	for _, tc := range []struct {
		name   string
		cfg    Config
		script []Timed
		skip   Checks
		want   string
	}{
		{
			name: "two masters by interval mismatch",
			cfg:  segment(v2(0, 200, time.Second), v2(1, 100, 2*time.Second)),
			want: "single-master",
		},
		{
			name: "no preemption",
			cfg: func() Config {
				a, b := vrrp3(0, 100, 10*time.Millisecond), vrrp3(1, 200, 10*time.Millisecond)
				a.Policy, b.Policy = stubborn{fsm.VRRP{Version: 3}}, stubborn{fsm.VRRP{Version: 3}}
				c := segment(a, b)
				c.Hosts[1].Boot = time.Second // a is master first
				return c
			}(),
			want: "preferred",
		},
		{
			// ip_carp.c's master-down with advbase 0 equals the interval:
			// with equal advskews any jitter makes the backup time out.
			name: "flapping",
			cfg: func() Config {
				c := segment(carp0(0, 50), carp0(1, 50))
				c.Network.Jitter = 2 * time.Millisecond
				return c
			}(),
			skip: CheckSingleMaster | CheckPreferred,
			want: "quiet",
		},
		{
			name:   "a heal that does not converge",
			cfg:    segment(v2(0, 200, time.Second), v2(1, 100, 2*time.Second)),
			script: []Timed{{30 * time.Second, Partition{Sides: [][]int{{0}}}}, {40 * time.Second, Heal{}}},
			skip:   CheckSingleMaster | CheckPreferred,
			want:   "converge",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.Seed = 42
			tc.cfg.Skip = tc.skip
			s, err := New(tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			for _, ta := range tc.script {
				s.At(ta.At, ta.Action)
			}
			err = s.RunUntil(time.Minute)
			var v *Violation
			if !errors.As(err, &v) || v.Invariant != tc.want || v.Seed != 42 {
				t.Fatalf("got %v, want a violation of %s with seed 42\n%s", err, tc.want, s.Trace())
			}
			t.Log(err)
		})
	}
}

// The same seed and script give the same run, event for event.
func TestDeterministic(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		sc := Generate(seed)
		sc.Config.TraceAdverts = true
		a, errA := sc.Run()
		b, errB := sc.Run()
		if errA != nil || errB != nil {
			t.Fatalf("seed %d: %v / %v", seed, errA, errB)
		}
		if a.Trace() != b.Trace() {
			t.Errorf("seed %d: two runs differ", seed)
		}
	}
}
