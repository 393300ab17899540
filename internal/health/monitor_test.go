package health

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/vipd/vipd/internal/fsm"
)

const ms = time.Millisecond

func ok() fsm.HealthChanged                          { return fsm.HealthChanged{} }
func faulty() fsm.HealthChanged                      { return fsm.HealthChanged{Fault: true} }
func weight(w int) fsm.HealthChanged                 { return fsm.HealthChanged{Weight: w} }
func faultWeight(w int) fsm.HealthChanged            { return fsm.HealthChanged{Fault: true, Weight: w} }
func at(d time.Duration, h fsm.HealthChanged) report { return report{d, h} }

// TestMonitorReports runs checks with scripted outcomes (one a second, see
// scripted) under a fake clock and compares every OnHealth call with its
// time.
func TestMonitorReports(t *testing.T) {
	for _, tc := range []struct {
		name   string
		checks []Check
		want   []report
	}{
		{
			"healthy from the first probe, reported once",
			[]Check{check("web", "+", 2, 3)},
			[]report{at(0, ok())},
		},
		{
			"failing from the first probe",
			[]Check{check("web", "-", 2, 3)},
			[]report{at(0, faulty())},
		},
		{
			"fall 3 then rise 2",
			[]Check{check("web", "++---+-+++", 2, 3)},
			[]report{at(0, ok()), at(4*time.Second, faulty()), at(8*time.Second, ok())},
		},
		{
			"fewer failures than fall change nothing",
			[]Check{check("web", "+--+--+", 2, 3)},
			[]report{at(0, ok())},
		},
		{
			"the initial health waits for the slowest first result",
			[]Check{check("fast", "+", 1, 1), check("slow", "s+", 1, 1)},
			[]report{at(300*ms, ok())},
		},
		{
			"a check that hangs counts as failed at its timeout",
			[]Check{check("fast", "+", 1, 1), check("hung", "h+", 1, 1)},
			[]report{at(500*ms, faulty()), at(time.Second, ok())},
		},
		{
			"positive weight while healthy, negative while failing",
			[]Check{weighted(check("up", "+-", 1, 1), 10), weighted(check("down", "++-", 1, 1), -20)},
			[]report{at(0, weight(10)), at(time.Second, ok()), at(2*time.Second, weight(-20))},
		},
		{
			"weights and fault combine",
			[]Check{check("gw", "+++-", 1, 1), weighted(check("db", "+-", 1, 1), -50)},
			[]report{at(0, ok()), at(time.Second, weight(-50)), at(3*time.Second, faultWeight(-50))},
		},
		{
			"a check's change that leaves the total alone is not reported",
			[]Check{check("a", "-", 1, 1), check("b", "+-", 1, 1)},
			[]report{at(0, faulty())},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				rec := newRecorder()
				runFor(t, 9500*ms, rec, tc.checks...)
				if diff := cmp.Diff(tc.want, rec.got()); diff != "" {
					t.Errorf("OnHealth calls (-want +got):\n%s", diff)
				}
			})
		})
	}
}

func TestMonitorWithoutChecksReportsHealthyOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := newRecorder()
		runFor(t, time.Minute, rec)
		if diff := cmp.Diff([]report{at(0, ok())}, rec.got()); diff != "" {
			t.Errorf("OnHealth calls (-want +got):\n%s", diff)
		}
	})
}

// TestSlowCheckDelaysNoOther runs a check that hangs to its timeout at every
// probe next to a fast one: the fast one keeps its schedule to the
// nanosecond.
func TestSlowCheckDelaysNoOther(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := newRecorder()
		hung := check("hung", "h", 1, 1)
		hung.Timeout = 900 * ms
		fast := check("fast", "+", 1, 1)
		fast.Interval, fast.Timeout = 100*ms, 50*ms
		runFor(t, 2050*ms, rec, hung, fast)

		var times []time.Duration
		for _, r := range rec.resultsOf("fast") {
			times = append(times, r.Time.Sub(rec.start))
		}
		var want []time.Duration
		for i := range 21 {
			want = append(want, time.Duration(i)*100*ms)
		}
		if diff := cmp.Diff(want, times); diff != "" {
			t.Errorf("fast probe start times (-want +got):\n%s", diff)
		}
		hungResults := rec.resultsOf("hung")
		if len(hungResults) != 2 {
			t.Fatalf("hung check has %d results, want 2 (at 900ms and 1.9s)", len(hungResults))
		}
		if r := hungResults[0]; r.OK || !errors.Is(r.Err, context.DeadlineExceeded) || r.Latency != 900*ms {
			t.Errorf("hung check's first result = %+v, want a failure after 900ms", r)
		}
	})
}

// TestOnHealthCoalesces blocks the first OnHealth call while the health
// changes three times: the next call carries only the latest value.
func TestOnHealthCoalesces(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := newRecorder()
		rec.block = func(n int) {
			if n == 0 {
				time.Sleep(3500 * ms)
			}
		}
		runFor(t, 4500*ms, rec, check("web", "+-+-+", 1, 1))
		want := []report{at(3500*ms, ok()), at(3500*ms, faulty()), at(4*time.Second, ok())}
		if diff := cmp.Diff(want, rec.got()); diff != "" {
			t.Errorf("OnHealth calls (-want +got):\n%s", diff)
		}
	})
}

func TestResults(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := newRecorder()
		runFor(t, 3500*ms, rec, check("web", "+--+", 1, 2))
		type row struct {
			At                   time.Duration
			OK, Healthy, Changed bool
			Streak               int
			Err                  string
		}
		var got []row
		for _, r := range rec.resultsOf("web") {
			if r.Group != "web" || r.Kind != KindExec {
				t.Errorf("result names group %q kind %s", r.Group, r.Kind)
			}
			e := ""
			if r.Err != nil {
				e = r.Err.Error()
			}
			got = append(got, row{r.Time.Sub(rec.start), r.OK, r.Healthy, r.Changed, r.Streak, e})
		}
		want := []row{
			{0, true, true, true, 1, ""},
			{time.Second, false, true, false, 1, "down"},
			{2 * time.Second, false, false, true, 2, "down"},
			{3 * time.Second, true, true, true, 1, ""},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("results (-want +got):\n%s", diff)
		}
	})
}

func TestStatus(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := newRecorder()
		m, err := New(Config{Group: "web", OnHealth: rec.onHealth, Checks: []Check{
			check("gw", "-", 1, 1), weighted(check("db", "s", 1, 1), 5),
		}})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() { done <- m.Run(ctx) }()

		synctest.Wait() // gw has its first result, db is still probing
		st, err := m.Status(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if st.Ready || !st.Checks[0].Known || st.Checks[1].Known || st.Checks[0].Last.OK {
			t.Errorf("status while db probes = %+v", st)
		}
		time.Sleep(time.Second)
		st, err = m.Status(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		want := Status{Ready: true, Health: faultWeight(5)}
		if st.Ready != want.Ready || st.Health != want.Health || st.Checks[1].Name != "db" || st.Checks[1].Weight != 5 || !st.Checks[1].Last.OK {
			t.Errorf("status = %+v, want ready with %+v", st, want.Health)
		}
		cancel()
		<-done
		if _, err := m.Status(t.Context()); !errors.Is(err, ErrNotRunning) {
			t.Errorf("Status after Run returned: %v, want ErrNotRunning", err)
		}
	})
}

func TestRunOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := newRecorder()
		m, err := New(Config{Group: "web", OnHealth: rec.onHealth})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() { done <- m.Run(ctx) }()
		synctest.Wait()
		if err := m.Run(ctx); err == nil || !strings.Contains(err.Error(), "more than once") {
			t.Errorf("second Run: %v", err)
		}
		cancel()
		<-done
	})
}

// TestOnHealthErrorIsLoggedAndRunGoesOn: a group that has stopped refuses
// the health; the monitor logs it and keeps reporting.
func TestOnHealthError(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var calls int
		m, err := New(Config{Group: "web", Checks: []Check{check("web", "+-", 1, 1)},
			OnHealth: func(context.Context, fsm.HealthChanged) error {
				calls++
				return errors.New("driver: group is not running")
			}})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(t.Context(), 1500*ms)
		defer cancel()
		if err := m.Run(ctx); err != nil {
			t.Fatal(err)
		}
		if calls != 2 {
			t.Errorf("OnHealth called %d times, want 2", calls)
		}
	})
}

func TestNewRefuses(t *testing.T) {
	good := check("web", "+", 1, 1)
	for _, tc := range []struct {
		name   string
		change func(c *Check)
		want   string
	}{
		{"no name", func(c *Check) { c.Name = "" }, `health: group web: health: check "" has no name`},
		{"no checker", func(c *Check) { c.Checker = nil }, `health: group web: health: check "web" has no checker`},
		{"interval 0", func(c *Check) { c.Interval = 0 }, `health: group web: health: check "web" interval 0s is not positive`},
		{"timeout 0", func(c *Check) { c.Timeout = 0 }, `health: group web: health: check "web" timeout 0s is not between 0 and the interval 1s`},
		{"timeout = interval", func(c *Check) { c.Timeout = c.Interval }, `health: group web: health: check "web" timeout 1s is not between 0 and the interval 1s`},
		{"rise 0", func(c *Check) { c.Rise = 0 }, `health: group web: health: check "web" rise 0 is less than 1`},
		{"fall 0", func(c *Check) { c.Fall = 0 }, `health: group web: health: check "web" fall 0 is less than 1`},
		{"fault and weight", func(c *Check) { c.Weight = 5 }, `health: group web: health: check "web" needs exactly one of fault and a non-zero weight`},
		{"neither", func(c *Check) { c.Fault = false }, `health: group web: health: check "web" needs exactly one of fault and a non-zero weight`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := good
			tc.change(&c)
			_, err := New(Config{Group: "web", Checks: []Check{c}, OnHealth: newRecorder().onHealth})
			if err == nil || err.Error() != tc.want {
				t.Errorf("New: %v\nwant %s", err, tc.want)
			}
		})
	}
	if _, err := New(Config{Group: "web", Checks: []Check{good, good}, OnHealth: newRecorder().onHealth}); err == nil || err.Error() != `health: group web: two checks named "web"` {
		t.Errorf("New with a duplicate: %v", err)
	}
	if _, err := New(Config{Group: "web"}); err == nil || err.Error() != "health: group web: no OnHealth" {
		t.Errorf("New without OnHealth: %v", err)
	}
}
