package carp

import (
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var t0 = time.Date(2026, 11, 22, 5, 0, 0, 0, time.UTC)

// at returns vipd's counter for t0 + d, as NextCounter would with no
// earlier counter.
func at(d time.Duration) uint64 { return NextCounter(0, t0.Add(d)) }

func TestNextCounter(t *testing.T) {
	tests := []struct {
		name string
		prev uint64
		now  time.Time
		want uint64
	}{
		{"first counter is the tagged send time", 0, t0, 0x76697<<44 | uint64(t0.UnixMilli())},
		{"follows the clock", at(0), t0.Add(time.Second), at(time.Second)},
		{"clock behind prev: prev + 1 (strictly increasing across restarts)", at(time.Hour), t0, at(time.Hour) + 1},
		{"same millisecond: prev + 1", at(0), t0, at(0) + 1},
		{"sub-millisecond intervals still increase", at(0) + 1, t0.Add(500 * time.Microsecond), at(0) + 2},
		{"clock before 1970 clamps to the tag", 0, time.Unix(-5, 0), 0x76697 << 44},
		{"a prev vipd did not make is ignored: the result stays tagged", math.MaxUint64 - 1, t0, at(0)},
		{"strictly increasing even at the end of the tagged range (year 2527)", counterTag<<stampBits | stampMask, t0, (counterTag + 1) << stampBits},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NextCounter(tt.prev, tt.now); got != tt.want {
				t.Errorf("NextCounter(%#x, %v) = %#x, want %#x", tt.prev, tt.now, got, tt.want)
			}
		})
	}
}

func TestCounterTime(t *testing.T) {
	got, ok := CounterTime(at(1500 * time.Millisecond))
	if !ok || !got.Equal(t0.Add(1500*time.Millisecond)) {
		t.Errorf("CounterTime(vipd counter) = %v, %v, want %v, true", got, ok, t0.Add(1500*time.Millisecond))
	}
	// ucarp's counter from testdata/ucarp-vhid1-default.txt.
	if got, ok := CounterTime(0x114cb961e0666a6a); ok {
		t.Errorf("CounterTime(ucarp counter) = %v, true, want false", got)
	}
}

// A step drives a ReplayGuard: "check" calls Check, "admit" calls Check and
// then Accept if it passed (the driver's order after Verify), "next" calls
// Next and compares its result with counter.
type step struct {
	op      string
	counter uint64
	now     time.Duration // since t0
	want    error
}

func run(t *testing.T, g *ReplayGuard, steps []step) {
	t.Helper()
	for i, s := range steps {
		now := t0.Add(s.now)
		switch s.op {
		case "check", "admit":
			err := g.Check(s.counter, now)
			if diff := cmp.Diff(s.want, err, cmpopts.EquateErrors()); diff != "" {
				t.Errorf("step %d: %s(%#x) error (-want +got):\n%s", i, s.op, s.counter, diff)
			}
			if s.op == "admit" && err == nil {
				g.Accept(s.counter)
			}
		case "next":
			if got := g.Next(now); got != s.counter {
				t.Errorf("step %d: Next() = %#x, want %#x", i, got, s.counter)
			}
		default:
			t.Fatalf("step %d: unknown op %q", i, s.op)
		}
	}
}

// ucarpA holds the random counters of ucarp host A in
// testdata/ucarp-failover-vhid42.txt, in send order.
var ucarpA = []uint64{0xa2b5977d8873f292, 0x0907a4f73d2c77f2, 0x913db6d209ed70e5, 0xd7e72a2d44457000}

func TestReplayGuard(t *testing.T) {
	tests := []struct {
		name  string
		guard ReplayGuard
		steps []step
	}{
		{
			name: "vipd peer: increasing counters are accepted",
			steps: []step{
				{"admit", at(0), 0, nil},
				{"admit", at(time.Second), time.Second, nil},
				{"admit", at(2 * time.Second), 2 * time.Second, nil},
			},
		},
		{
			name: "vipd peer: the same advert again is a replay",
			steps: []step{
				{"admit", at(0), 0, nil},
				{"admit", at(0), time.Second, ErrReplay},
			},
		},
		{
			name:  "grace: a ucarp peer's copy of a recent vipd counter is accepted below the mark, an old one is not",
			guard: ReplayGuard{Grace: 3 * time.Second},
			steps: []step{
				{"next", at(10 * time.Second), 10 * time.Second, nil},
				{"admit", at(2 * time.Second), 10500 * time.Millisecond, ErrReplay}, // copied while away
				{"admit", at(9 * time.Second), 11 * time.Second, nil},               // copied just now
				{"admit", at(9 * time.Second), 13 * time.Second, ErrReplay},         // the same, too late
			},
		},
		{
			name: "replay keeping a backup from taking over: older adverts of the gone master are rejected",
			steps: []step{
				{"admit", at(0), 0, nil},
				{"admit", at(time.Second), time.Second, nil},
				{"admit", at(2 * time.Second), 2 * time.Second, nil},
				// master gone; attacker replays captured adverts in order
				{"admit", at(0), 5 * time.Second, ErrReplay},
				{"admit", at(time.Second), 6 * time.Second, ErrReplay},
				{"admit", at(2 * time.Second), 7 * time.Second, ErrReplay},
			},
		},
		{
			name: "replay demoting a master: a captured advert is older than our own counters",
			steps: []step{
				{"admit", at(0), 0, nil}, // heard the old master once
				{"next", at(10 * time.Second), 10 * time.Second, nil},
				{"admit", at(5 * time.Second), 11 * time.Second, ErrReplay},
			},
		},
		{
			name: "the source address plays no part: a second peer cannot send below the group's high-water mark",
			steps: []step{
				{"admit", at(time.Minute), 0, nil},
				{"admit", at(30 * time.Second), time.Second, ErrReplay},
			},
		},
		{
			name: "Check alone records nothing (verify the HMAC before Accept)",
			steps: []step{
				{"check", at(time.Hour), 0, nil},
				{"admit", at(time.Second), time.Second, nil},
			},
		},
		{
			name: "Next follows the clock and stays above every accepted counter",
			steps: []step{
				{"next", at(0), 0, nil},
				{"admit", at(time.Hour), time.Second, nil}, // a peer's clock is an hour ahead
				{"next", at(time.Hour) + 1, 2 * time.Second, nil},
				{"admit", at(time.Hour), 3 * time.Second, ErrReplay},
			},
		},
		{
			name: "two hosts becoming master in the same millisecond compute the same counter and still hear each other",
			steps: []step{
				{"admit", at(0), 0, nil},                                   // the old master's last advert
				{"next", at(3 * time.Second), 3 * time.Second, nil},        // we take over ...
				{"admit", at(3 * time.Second), 3 * time.Second, nil},       // ... and so does the other backup
				{"admit", at(3 * time.Second), 4 * time.Second, ErrReplay}, // but only once
				{"next", at(4 * time.Second), 4 * time.Second, nil},
				{"admit", at(3 * time.Second), 5 * time.Second, ErrReplay}, // below our own last
			},
		},
		{
			name: "ucarp lone master: random counters in any order are accepted",
			steps: []step{
				{"admit", ucarpA[0], 0, nil},
				{"admit", ucarpA[1], time.Second, nil},
				{"admit", ucarpA[2], 2 * time.Second, nil},
				{"admit", ucarpA[3], 3 * time.Second, nil},
				{"admit", ucarpA[1], 4 * time.Second, nil}, // no order to hold ucarp to
			},
		},
		{
			name: "ucarp counters do not move the high-water mark",
			steps: []step{
				{"admit", at(0), 0, nil},
				{"admit", 0xffff_ffff_ffff_fff0, time.Second, nil},
				{"admit", at(time.Second), time.Second, nil},
			},
		},
		{
			name: "ucarp backup copies a vipd counter and continues +1 when it takes over",
			steps: []step{
				{"next", at(0), 0, nil}, // we are master, the ucarp host copies this
				{"admit", at(0) + 1, 4 * time.Second, nil},
				{"admit", at(0) + 2, 5 * time.Second, nil},
			},
		},
		{
			name:  "RequireTagged: counters vipd did not make are rejected",
			guard: ReplayGuard{RequireTagged: true},
			steps: []step{
				{"admit", ucarpA[0], 0, ErrUntagged},
				{"admit", at(0), 0, nil},
			},
		},
		{
			name:  "MaxAge: a counter older than now - MaxAge is stale",
			guard: ReplayGuard{MaxAge: 10 * time.Second},
			steps: []step{
				{"admit", at(0), 10 * time.Second, nil},
				{"admit", at(time.Second), 11*time.Second + time.Millisecond, ErrStale},
			},
		},
		{
			name:  "MaxAge: a counter newer than now + MaxAge is rejected too",
			guard: ReplayGuard{MaxAge: 10 * time.Second},
			steps: []step{
				{"admit", at(10*time.Second + time.Millisecond), 0, ErrStale},
				{"admit", at(10 * time.Second), 0, nil},
			},
		},
		{
			name:  "MaxAge: a replay is reported as a replay, not as stale",
			guard: ReplayGuard{MaxAge: time.Second},
			steps: []step{
				{"admit", at(0), 0, nil},
				{"admit", at(0), time.Hour, ErrReplay},
			},
		},
		{
			name:  "MaxAge does not apply to ucarp counters",
			guard: ReplayGuard{MaxAge: time.Second},
			steps: []step{
				{"admit", ucarpA[0], 0, nil},
			},
		},
		{
			name: "a random ucarp counter that carries the tag raises the mark; Next continues above it",
			steps: []step{
				{"admit", counterTag<<stampBits | 0xfff_0000_0000, 0, nil},
				{"admit", at(time.Second), time.Second, ErrReplay},
				{"next", counterTag<<stampBits | 0xfff_0000_0001, 2 * time.Second, nil},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := tt.guard
			run(t, &g, tt.steps)
		})
	}
}

// TestReplayGuardRestore: a high-water mark persisted before a restart
// closes the window in which an empty guard accepts captured adverts.
func TestReplayGuardRestore(t *testing.T) {
	var before ReplayGuard
	before.Accept(at(time.Minute))
	saved := before.HighWater()

	var after ReplayGuard
	if err := after.Check(at(30*time.Second), t0.Add(time.Hour)); err != nil {
		t.Fatalf("empty guard: Check = %v, want nil (the window Restore closes)", err)
	}
	after.Restore(saved)
	if err := after.Check(at(30*time.Second), t0.Add(time.Hour)); err != ErrReplay {
		t.Errorf("restored guard: Check = %v, want ErrReplay", err)
	}
	after.Restore(at(0)) // never lowers
	after.Restore(ucarpA[0])
	if got := after.HighWater(); got != saved {
		t.Errorf("HighWater() = %#x, want %#x", got, saved)
	}
}

func TestNextIsStrictlyIncreasing(t *testing.T) {
	var g ReplayGuard
	prev := uint64(0)
	// A clock that jumps back and forth, as after NTP steps.
	for i, d := range []time.Duration{0, time.Second, -time.Hour, 0, time.Millisecond, 2 * time.Second, 2 * time.Second} {
		c := g.Next(t0.Add(d))
		if c <= prev {
			t.Fatalf("Next #%d = %#x, not above %#x", i, c, prev)
		}
		if _, ok := CounterTime(c); !ok {
			t.Fatalf("Next #%d = %#x is not a vipd counter", i, c)
		}
		prev = c
	}
}
