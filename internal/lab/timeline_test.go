package lab

import (
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// at returns the send time of probe i at 2 ms intervals.
func at(i int) time.Time { return t0.Add(time.Duration(i) * 2 * time.Millisecond) }

// timeline builds a record from a pattern: one character per probe
// interval, '1' for an answer from h1, '2' from h2, '.' for none.
func timeline(pattern string) *Timeline {
	t := &Timeline{Hosts: []string{"h1", "h2"}, Sent: len(pattern)}
	for i, c := range pattern {
		switch c {
		case '1':
			t.At, t.By = append(t.At, at(i)), append(t.By, 0)
		case '2':
			t.At, t.By = append(t.At, at(i)), append(t.By, 1)
		}
	}
	return t
}

func TestMaxGap(t *testing.T) {
	tests := []struct {
		name                string
		pattern             string
		from, to            int
		wantStart, wantEnd  int
		wantBefore, wantAft int
	}{
		// No outage: consecutive answers are one interval apart.
		{"steady", "1111111111", 2, 9, 2, 3, 0, 0},
		// Probes 4-8 lost: the gap runs from the last answer (3) to the
		// first after (9).
		{"takeover", "1111.....22222", 4, 13, 3, 9, 0, 1},
		// The event happened mid-outage: the gap still starts at the last
		// answer before it.
		{"event mid-outage", "11.....2222", 4, 10, 1, 7, 0, 1},
		// No answer yet at the end of the window: the gap runs to it.
		{"ongoing", "111......", 3, 8, 2, 8, 0, -1},
		// The largest of several gaps.
		{"largest", "1..1....1.1", 0, 10, 3, 8, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := timeline(tt.pattern).MaxGap(at(tt.from), at(tt.to))
			if !g.Start.Equal(at(tt.wantStart)) || !g.End.Equal(at(tt.wantEnd)) || g.Before != tt.wantBefore || g.After != tt.wantAft {
				t.Errorf("MaxGap = [%v, %v] %d->%d, want [%v, %v] %d->%d",
					g.Start.Sub(t0), g.End.Sub(t0), g.Before, g.After,
					at(tt.wantStart).Sub(t0), at(tt.wantEnd).Sub(t0), tt.wantBefore, tt.wantAft)
			}
		})
	}
}

func TestGapDurationCountsIntervals(t *testing.T) {
	// Three probes lost between answers: (3+1) intervals.
	g := timeline("11...11").MaxGap(at(0), at(6))
	if got, want := g.Duration(), 8*time.Millisecond; got != want {
		t.Errorf("Duration = %v, want %v", got, want)
	}
}

func TestSwitchesAndAnsweredBy(t *testing.T) {
	tl := timeline("11.2212..11")
	// Answers 1 1 2 2 1 2 1 1, losses skipped: four changes of host.
	if got := tl.Switches(at(0), at(10)); got != 4 {
		t.Errorf("Switches = %d, want 4", got)
	}
	if got := tl.AnsweredBy(at(0), at(10)); got[0] != 5 || got[1] != 3 {
		t.Errorf("AnsweredBy = %v, want [5 3]", got)
	}
	if at, ok := tl.FirstAnswer(1, at(0)); !ok || !at.Equal(t0.Add(6*time.Millisecond)) {
		t.Errorf("FirstAnswer(h2) = %v, %v; want 6ms", at.Sub(t0), ok)
	}
}

func TestSettledOn(t *testing.T) {
	tests := []struct {
		name    string
		pattern string
		to      int
		window  time.Duration
		maxGap  time.Duration
		want    int
		ok      bool
	}{
		{"steady", "1111111111", 9, 10 * time.Millisecond, 5 * time.Millisecond, 0, true},
		{"switched within the window", "1111122222", 9, 16 * time.Millisecond, 5 * time.Millisecond, -1, false},
		{"switched before the window", "1111122222", 9, 6 * time.Millisecond, 5 * time.Millisecond, 1, true},
		{"gap too long", "22...22222", 9, 16 * time.Millisecond, 5 * time.Millisecond, -1, false},
		{"silent tail", "2222222...", 9, 16 * time.Millisecond, 5 * time.Millisecond, -1, false},
		{"record shorter than window", "22", 1, 16 * time.Millisecond, 5 * time.Millisecond, -1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := timeline(tt.pattern).SettledOn(at(tt.to), tt.window, tt.maxGap)
			if got != tt.want || ok != tt.ok {
				t.Errorf("SettledOn = %d, %v; want %d, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestSweepLog(t *testing.T) {
	s := &SweepLog{Hosts: []string{"h1", "h2", "h3"}}
	// h1 alone, then h1 and h2 for three rounds (a killed daemon's VIP
	// outliving the takeover), then h2 alone.
	for i, set := range []uint8{1, 1, 3, 3, 3, 2, 2, 2} {
		s.Sent = append(s.Sent, at(i))
		s.Answered = append(s.Answered, set)
	}
	rounds, total := s.Overlap(at(0), at(7))
	if rounds != 3 || total != 6*time.Millisecond {
		t.Errorf("Overlap = %d rounds, %v; want 3, 6ms", rounds, total)
	}
	if got := s.Holders(at(0), at(7)); got != 3 {
		t.Errorf("Holders = %b, want 11", got)
	}
	if set, ok := s.StableHolders(at(7), 4*time.Millisecond); !ok || set != 2 {
		t.Errorf("StableHolders(last 4ms) = %b, %v; want 10, true", set, ok)
	}
	if _, ok := s.StableHolders(at(7), 6*time.Millisecond); ok {
		t.Error("StableHolders over a change reported stable")
	}
}
