package lab

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestAdvertPeriod(t *testing.T) {
	tests := []struct {
		name    string
		profile Profile
		impl    Impl
		rank    int
		want    time.Duration
	}{
		{"default, vipd", DefaultProfile, Vipd, 0, time.Second},
		{"default, keepalived backup", DefaultProfile, Keepalived, 1, time.Second},
		// ucarp speaks CARP whatever the profile: advbase 1, advskew 6.
		{"default, ucarp", DefaultProfile, Ucarp, 0, time.Second + 6*time.Second/256},
		{"carp, vipd rank 1", carpProfile, Vipd, 1, time.Second + 56*time.Second/256},
		{"fast: five adverts per 10 ms", FastProfile, Vipd, 0, 2 * time.Millisecond},
		{"vrrp-10ms", VRRP10msProfile, Keepalived, 0, 10 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := advertPeriod(tt.profile, tt.impl, tt.rank); got != tt.want {
				t.Errorf("advertPeriod = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestBenchPhases checks that the bench's runs meet the advert period at
// evenly spread phases, the same for every row.
func TestBenchPhases(t *testing.T) {
	for runs, want := range map[int][]float64{
		1: {0.5},
		4: {0.125, 0.375, 0.625, 0.875},
	} {
		for i, w := range want {
			if got := benchPhase(i+1, runs); math.Abs(got-w) > 1e-12 {
				t.Errorf("benchPhase(%d, %d) = %v, want %v", i+1, runs, got, w)
			}
		}
	}
}

func TestPhaseOption(t *testing.T) {
	for _, tt := range []struct {
		phase float64
		ok    bool
	}{
		{0, true}, {0.5, true}, {0.999, true},
		{1, false}, {-0.25, false}, {math.NaN(), false},
	} {
		_, err := Options{Phase: tt.phase}.withDefaults()
		if (err == nil) != tt.ok {
			t.Errorf("phase %v: err %v, want ok %v", tt.phase, err, tt.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "phase") {
			t.Errorf("phase %v: error %q does not name the phase", tt.phase, err)
		}
	}
}
