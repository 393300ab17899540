package netiftest

import (
	"time"

	"github.com/vipd/vipd/internal/netif"
)

// Timers makes Go runtime timers (netif.Timers), which testing/synctest
// bubbles control.
type Timers struct{}

var _ netif.Timers = Timers{}

// NewTimer returns a timer that is not armed until Reset.
func (Timers) NewTimer() (netif.Timer, error) {
	t := time.NewTimer(time.Hour)
	t.Stop()
	return goTimer{t}, nil
}

type goTimer struct{ t *time.Timer }

func (g goTimer) C() <-chan time.Time   { return g.t.C }
func (g goTimer) Reset(d time.Duration) { g.t.Reset(d) }
func (g goTimer) Stop()                 { g.t.Stop() }
