package linuxnet

import (
	"testing"
	"time"

	"github.com/vipd/vipd/internal/netif"
	"github.com/vipd/vipd/internal/netif/netiftest"
)

func newTestTimer(t *testing.T) netif.Timer {
	t.Helper()
	tm, err := Timers{}.NewTimer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tm.Stop)
	return tm
}

// waitFire returns when tm fires, failing the test if it has not within
// a bound far beyond any wait used here.
func waitFire(t *testing.T, tm netif.Timer) time.Time {
	t.Helper()
	select {
	case at := <-tm.C():
		return at
	case <-time.After(10 * time.Second):
		t.Fatal("timer did not fire")
		return time.Time{}
	}
}

func TestTimerFiresNotBeforeItsDeadline(t *testing.T) {
	tm := newTestTimer(t)
	for _, d := range []time.Duration{0, time.Millisecond, 30 * time.Millisecond} {
		start := time.Now()
		tm.Reset(d)
		if at := waitFire(t, tm); at.Sub(start) < d {
			t.Errorf("Reset(%v) fired after %v", d, at.Sub(start))
		}
	}
}

func TestTimerResetReplacesTheEarlierArming(t *testing.T) {
	tm := newTestTimer(t)
	// Later: the earlier, shorter arming must not fire.
	tm.Reset(5 * time.Millisecond)
	tm.Reset(time.Hour)
	select {
	case <-tm.C():
		t.Fatal("fired at the replaced 5ms deadline")
	case <-time.After(100 * time.Millisecond):
	}
	// Sooner: fires at the new deadline, not an hour from now.
	start := time.Now()
	tm.Reset(20 * time.Millisecond)
	if at := waitFire(t, tm); at.Sub(start) < 20*time.Millisecond {
		t.Errorf("fired after %v, before its 20ms deadline", at.Sub(start))
	}
}

func TestTimerStopEndsDeliveryAndIsFinal(t *testing.T) {
	tm, err := Timers{}.NewTimer()
	if err != nil {
		t.Fatal(err)
	}
	tm.Reset(0)
	tm.Stop()
	select {
	case <-tm.(*timerFD).done:
	default:
		t.Fatal("Stop returned while the delivering goroutine still runs")
	}
	tm.Stop()   // again: nothing left to do
	tm.Reset(0) // must not touch the closed descriptor
}

// BenchmarkTimerLateness reports how long after its deadline each kind of
// timer wakes its reader (late-µs/op), for a backup's wait at 10 ms adverts
// (about 22 ms) and at 1 s adverts (about 3.2 s; run with -benchtime=5x).
//
//	go test -run - -bench TimerLateness -benchtime 5x ./internal/linuxnet
func BenchmarkTimerLateness(b *testing.B) {
	waits := []time.Duration{21875 * time.Microsecond, 3218750 * time.Microsecond}
	kinds := []struct {
		name string
		new  func() (netif.Timer, error)
	}{
		{"timerfd", Timers{}.NewTimer},
		{"go-runtime", netiftest.Timers{}.NewTimer},
	}
	for _, k := range kinds {
		for _, wait := range waits {
			b.Run(k.name+"/"+wait.String(), func(b *testing.B) {
				tm, err := k.new()
				if err != nil {
					b.Fatal(err)
				}
				defer tm.Stop()
				var late time.Duration
				for b.Loop() {
					start := time.Now()
					tm.Reset(wait)
					<-tm.C()
					// The reader's clock, not the value sent: Go's timer
					// sends its deadline, not when it woke the reader.
					late += time.Since(start) - wait
				}
				b.ReportMetric(float64(late.Microseconds())/float64(b.N), "late-µs/op")
			})
		}
	}
}
