package netif

import (
	"testing"
	"time"
)

func TestRelayTurn(t *testing.T) {
	ms := time.Millisecond
	timing := RelayTiming{Every: 2 * ms, After: 6 * ms, For: 20 * ms}
	for _, tc := range []struct {
		name    string
		state   RelayState
		now     time.Duration
		send    bool
		next    time.Duration
		relayed time.Duration // RelaySent afterwards
	}{
		{"quiet: park", RelayState{}, 100 * ms, false, 0, 0},
		{"loop on time: wake when it would be late", RelayState{Armed: true, LoopSent: 100 * ms}, 101 * ms, false, 106 * ms, 0},
		{"loop silent for After: send, again in Every", RelayState{Armed: true, LoopSent: 100 * ms}, 106 * ms, true, 108 * ms, 106 * ms},
		{"the other thread just sent: wake after its period", RelayState{Armed: true, LoopSent: 100 * ms, RelaySent: 108 * ms}, 108*ms + 100*time.Microsecond, false, 110 * ms, 108 * ms},
		{"half a period after the other thread: send", RelayState{Armed: true, LoopSent: 100 * ms, RelaySent: 108 * ms}, 109 * ms, true, 111 * ms, 109 * ms},
		{"silent for For: park", RelayState{Armed: true, LoopSent: 100 * ms, RelaySent: 118 * ms}, 120 * ms, false, 0, 118 * ms},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.state
			send, next := timing.Turn(&s, tc.now)
			if send != tc.send || next != tc.next || s.RelaySent != tc.relayed {
				t.Errorf("Turn at %v = %v, %v (relayed at %v); want %v, %v (%v)", tc.now, send, next, s.RelaySent, tc.send, tc.next, tc.relayed)
			}
		})
	}
}

func TestRelayTimingValid(t *testing.T) {
	ms := time.Millisecond
	for _, tc := range []struct {
		t    RelayTiming
		want bool
	}{
		{RelayTiming{Every: 2 * ms, After: 6 * ms, For: 20 * ms}, true},
		{RelayTiming{Every: 2 * ms, After: 2 * ms, For: 20 * ms}, false}, // a loop on time would be doubled
		{RelayTiming{Every: 0, After: 6 * ms, For: 20 * ms}, false},
		{RelayTiming{Every: 2 * ms, After: 6 * ms}, false},
	} {
		if got := tc.t.Valid(); got != tc.want {
			t.Errorf("%+v.Valid() = %v, want %v", tc.t, got, tc.want)
		}
	}
}
