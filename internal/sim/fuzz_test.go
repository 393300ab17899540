package sim

import (
	"math/rand/v2"
	"testing"
	"time"
)

// maxFuzzAdverts keeps each fuzz input fast: a fast group next to a slow
// one makes a long run of many adverts, which the randomized test covers.
const maxFuzzAdverts = 20000

// adverts estimates a scenario's adverts: per group, the run's length over
// its fastest member's interval.
func adverts(sc Scenario) int {
	n := 0
	for _, g := range sc.Config.Groups {
		fastest := time.Duration(1<<63 - 1)
		for _, m := range g.Members {
			fastest = min(fastest, max(m.Config.Self.Interval, time.Millisecond))
		}
		n += int(sc.End / fastest)
	}
	return n
}

// FuzzScenario turns the fuzzer's bytes into a scenario (FromBytes: 2–3
// hosts, a protocol, settings, network and up to 16 disturbances, then a
// quiet tail) and runs it under every invariant: the safety ones (single
// master after the settling window, maintenance, VIPs, silence) and the
// windowed ones, which the quiet tail makes apply.
func FuzzScenario(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	rng := rand.New(rand.NewPCG(1, 2))
	for range 16 {
		b := make([]byte, 32+rng.IntN(96))
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sc := FromBytes(data)
		if adverts(sc) > maxFuzzAdverts {
			t.Skip("too many adverts for one fuzz input")
		}
		s, err := sc.Run()
		if err != nil {
			trace := ""
			if s != nil {
				trace = s.Trace()
			}
			t.Fatalf("%v\n\nscenario:\n%s\ntrace:\n%s", err, sc, trace)
		}
	})
}
