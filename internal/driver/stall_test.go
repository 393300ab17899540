package driver

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/vipd/vipd/internal/fsm"
	"github.com/vipd/vipd/internal/netif/netiftest"
)

// TestStalledBackupReadsWaitingAdvertsFirst: the master falls silent for
// 23 ms (its loop stalls), long enough for the backup's check before its
// deadline to run, on time. The master speaks again just before that
// deadline while the backup's own loop is stalled, until just after it
// (mostly less than lateFire late, so no catch-up read): the backup wakes
// with its timer due and the advert waiting, reads the advert first and
// stays backup. Twenty rounds at offsets spread over the master's 2 ms
// send period: with select's random choice about half would take over.
func TestStalledBackupReadsWaitingAdvertsFirst(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		a, b := fastPair(t, ctx, netiftest.NewSegment(), false)

		// b's deadline is 26.09 ms after the last advert, sent at most
		// 2 ms before the round starts: 24.09 to 26.09 ms into it, its
		// check 5 ms earlier. a speaks again 23 ms in; b is stalled from
		// 22 to 26.6 ms.
		for i := range 20 {
			time.Sleep(7*time.Millisecond + time.Duration(i)*100*time.Microsecond)
			resumed := make(chan struct{})
			go func() {
				a.stall(t, 23*time.Millisecond)
				close(resumed)
			}()
			time.Sleep(22 * time.Millisecond)
			b.stall(t, 4600*time.Microsecond)
			<-resumed
			synctest.Wait()
		}
		if n := b.status(t).Counters.Transitions[fsm.ReasonMasterDown.String()]; n != 0 {
			t.Errorf("the backup took over %d times in 20 rounds", n)
		}
		stopHosts(cancel, a, b)
	})
}

// TestFrozenHostBackupWaitsForThawedMaster: the whole host freezes (every
// loop stops at once), the backup thaws just before its master-down
// deadline and the master 3 ms later, past it. The backup's check before
// the deadline fired late, so it reads for catchUpWindow before taking
// over, and hears the master. Ten freezes at offsets spread over the
// master's 2 ms send period.
func TestFrozenHostBackupWaitsForThawedMaster(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		a, b := fastPair(t, ctx, netiftest.NewSegment(), false)

		// b's deadline is 26.09 ms after the last advert, sent at most
		// 2 ms before the freeze: between 24.09 and 26.09 ms into it.
		for i := range 10 {
			time.Sleep(7*time.Millisecond + time.Duration(i)*200*time.Microsecond)
			thawed := make(chan struct{})
			go func() {
				a.stall(t, 27*time.Millisecond)
				close(thawed)
			}()
			b.stall(t, 24*time.Millisecond)
			<-thawed
			synctest.Wait()
		}
		if n := b.status(t).Counters.Transitions[fsm.ReasonMasterDown.String()]; n != 0 {
			t.Errorf("the backup took over %d times in 10 freezes", n)
		}
		stopHosts(cancel, a, b)
	})
}
