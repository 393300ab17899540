package health

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/vipd/vipd/internal/fsm"
)

// scripted is a fake Checker whose probes follow outcomes, one byte a
// probe, the last repeated once they run out:
//
//   - passes at once      -  fails at once
//     s  passes after slow   h  hangs until the probe's context ends
type scripted struct {
	outcomes string
	slow     time.Duration

	mu    sync.Mutex
	probe int
}

var errDown = errors.New("down")

func (s *scripted) Check(ctx context.Context) error {
	s.mu.Lock()
	o := s.outcomes[min(s.probe, len(s.outcomes)-1)]
	s.probe++
	s.mu.Unlock()
	switch o {
	case '+':
		return nil
	case '-':
		return errDown
	case 's':
		select {
		case <-time.After(s.slow):
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	case 'h':
		<-ctx.Done()
		return ctx.Err()
	}
	panic(fmt.Sprintf("scripted: unknown outcome %q", o))
}

// report is one call of OnHealth, at a time since the test started.
type report struct {
	At     time.Duration
	Health fsm.HealthChanged
}

// recorder collects OnHealth calls and results, timed from start.
type recorder struct {
	start time.Time
	// block, if set, runs inside OnHealth before the call is recorded.
	block func(n int)

	mu      sync.Mutex
	reports []report
	results []Result
}

func newRecorder() *recorder { return &recorder{start: time.Now()} }

func (r *recorder) onHealth(_ context.Context, h fsm.HealthChanged) error {
	r.mu.Lock()
	n := len(r.reports)
	r.mu.Unlock()
	if r.block != nil {
		r.block(n)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reports = append(r.reports, report{time.Since(r.start), h})
	return nil
}

func (r *recorder) onResult(res Result) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.results = append(r.results, res)
}

func (r *recorder) got() []report {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]report(nil), r.reports...)
}

func (r *recorder) resultsOf(check string) []Result {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Result
	for _, res := range r.results {
		if res.Check == check {
			out = append(out, res)
		}
	}
	return out
}

// runFor runs a Monitor over checks for d of the bubble's fake time, then
// stops it and waits for Run to return. It must be called inside a
// synctest bubble.
func runFor(t *testing.T, d time.Duration, rec *recorder, checks ...Check) {
	t.Helper()
	m, err := New(Config{Group: "web", Checks: checks, OnHealth: rec.onHealth, OnResult: rec.onResult})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	time.Sleep(d)
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run: %v", err)
	}
}

// check returns a fault check over outcomes, every second with a timeout
// of 500ms.
func check(name, outcomes string, rise, fall int) Check {
	return Check{
		Name: name, Kind: KindExec, Checker: &scripted{outcomes: outcomes, slow: 300 * time.Millisecond},
		Interval: time.Second, Timeout: 500 * time.Millisecond, Rise: rise, Fall: fall, Fault: true,
	}
}

func weighted(c Check, w int) Check {
	c.Fault, c.Weight = false, w
	return c
}
