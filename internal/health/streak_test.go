package health

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestStreak feeds outcomes ("+" passed, "-" failed) to a check and
// compares the states after each ("H" healthy, "F" failing; lower case when
// the probe did not change the state).
func TestStreak(t *testing.T) {
	for _, tc := range []struct {
		name       string
		rise, fall int
		outcomes   string
		want       string
	}{
		{"first pass decides healthy", 2, 3, "+", "H"},
		{"first failure decides failing", 2, 3, "-", "F"},
		{"fall 3 needs three failures in a row", 2, 3, "+--+---", "HhhhhhF"},
		{"rise 2 needs two passes in a row", 2, 3, "-+-++", "FfffH"},
		{"rise and fall 1 follow every probe", 1, 1, "+-+-", "HFHF"},
		{"passes while healthy change nothing", 2, 2, "++++", "Hhhh"},
		{"a pass resets the failures", 2, 2, "+-+-+--", "HhhhhhF"},
		{"a failure resets the passes", 3, 1, "-++-+++", "FfffffH"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var s streak
			var got strings.Builder
			for _, o := range tc.outcomes {
				changed := s.observe(o == '+', tc.rise, tc.fall)
				c := map[bool]string{true: "H", false: "F"}[s.healthy]
				if !changed {
					c = strings.ToLower(c)
				}
				got.WriteString(c)
			}
			if diff := cmp.Diff(tc.want, got.String()); diff != "" {
				t.Errorf("states (-want +got):\n%s", diff)
			}
		})
	}
}

func TestStreakRun(t *testing.T) {
	var s streak
	var runs []int
	for _, o := range "++-+---" {
		s.observe(o == '+', 1, 1)
		runs = append(runs, s.run())
	}
	if diff := cmp.Diff([]int{1, 2, 1, 1, 1, 2, 3}, runs); diff != "" {
		t.Errorf("runs (-want +got):\n%s", diff)
	}
}
