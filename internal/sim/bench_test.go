package sim

import (
	"testing"
	"time"
)

// BenchmarkVRRPv3 simulates 60 s of a three-host VRRPv3 group advertising
// every 10 ms: about 6,000 adverts, each delivered to two backups. ns/step
// is the cost per Machine.Step including the simulator's event handling
// (and, in the first case, the invariants checked after every event).
func BenchmarkVRRPv3(b *testing.B) {
	const interval = 10 * time.Millisecond
	for _, bc := range []struct {
		name string
		skip Checks
	}{
		{"invariants", 0},
		{"no-invariants", AllChecks},
	} {
		b.Run(bc.name, func(b *testing.B) {
			cfg := segment(vrrp3(0, 200, interval), vrrp3(1, 150, interval), vrrp3(2, 100, interval))
			cfg.Skip = bc.skip
			b.ReportAllocs()
			steps := 0
			for b.Loop() {
				s, err := New(cfg)
				if err != nil {
					b.Fatal(err)
				}
				if err := s.RunUntil(60 * time.Second); err != nil {
					b.Fatal(err)
				}
				steps += s.Steps()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(steps), "ns/step")
			b.ReportMetric(float64(steps)/float64(b.N), "steps/op")
		})
	}
}
