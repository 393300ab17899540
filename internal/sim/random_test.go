package sim

import (
	"errors"
	"flag"
	"fmt"
	"strings"
	"testing"
)

var (
	seedFlag  = flag.Int64("seed", -1, "run TestRandom for this seed only, with the full trace")
	seedsFlag = flag.Int("seeds", 0, "number of seeds for TestRandom (default 1000, 100 with -short)")
)

// TestRandom runs a random scenario per seed (Generate) under every
// invariant. A failure prints the seed, the scenario, the trace and the
// command that replays it:
//
//	go test ./internal/sim -run TestRandom -seed=123 -v
//	go test ./internal/sim -run 'TestRandom/seed=123$'
func TestRandom(t *testing.T) {
	if *seedFlag >= 0 {
		runSeed(t, uint64(*seedFlag), true)
		return
	}
	seeds := 1000
	if testing.Short() {
		seeds = 100
	}
	if *seedsFlag > 0 {
		seeds = *seedsFlag
	}
	for seed := range uint64(seeds) {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			t.Parallel()
			runSeed(t, seed, false)
		})
	}
}

// runSeed runs one seed's scenario. On failure it runs it again with every
// advert traced (the run is deterministic) and prints the tail of that.
func runSeed(t *testing.T, seed uint64, verbose bool) {
	sc := Generate(seed)
	s, err := sc.Run()
	if verbose && s != nil {
		t.Logf("scenario:\n%s\ntrace:\n%s", sc, s.Trace())
	}
	if err == nil {
		return
	}
	if s == nil {
		t.Fatalf("seed %d: %v\n%s", seed, err, sc)
	}
	sc.Config.TraceAdverts = true
	detail, _ := sc.Run()
	lines := detail.TraceLines()
	const tail = 150
	if len(lines) > tail {
		lines = lines[len(lines)-tail:]
	}
	var v *Violation
	if !errors.As(err, &v) {
		t.Fatalf("seed %d: %v", seed, err)
	}
	t.Fatalf("%v\n\nscenario:\n%s\ntrace:\n%s\n\nlast %d lines with adverts:\n%s\n\nreplay: go test ./internal/sim -run TestRandom -seed=%d -v",
		err, sc, s.Trace(), tail, strings.Join(lines, "\n"), seed)
}
