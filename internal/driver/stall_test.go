package driver

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/vipd/vipd/internal/fsm"
	"github.com/vipd/vipd/internal/netif/netiftest"
)

// TestStalledBackupReadsWaitingAdvertsFirst: a backup whose loop stalls
// until just after its master-down deadline (less than lateFire late, so
// no catch-up read) wakes with its timer due and the master's adverts
// waiting; it reads the adverts first and stays backup. Twenty stalls at
// offsets spread over the master's 2 ms send period: with select's random
// choice each would take over about half the time.
func TestStalledBackupReadsWaitingAdvertsFirst(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		a, b := fastPair(t, ctx, netiftest.NewSegment(), false)

		// b waits 2 × 10 ms + (256 − 100)/256 × 10 ms = 26.09 ms after the
		// last advert it read, which came at most 2 ms before the stall.
		const stall = 26*time.Millisecond + 600*time.Microsecond
		for i := range 20 {
			time.Sleep(7*time.Millisecond + time.Duration(i)*100*time.Microsecond)
			b.stall(t, stall)
			synctest.Wait()
		}
		if n := b.status(t).Counters.Transitions[fsm.ReasonMasterDown.String()]; n != 0 {
			t.Errorf("the backup took over %d times in 20 stalls", n)
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
