package driver

import (
	"time"

	"github.com/vipd/vipd/internal/netif"
)

// goTimer is the loop's timer when Deps.Timers is nil: Go's runtime timer,
// which testing/synctest controls in the driver's tests.
type goTimer struct{ t *time.Timer }

func newGoTimer() *goTimer { return &goTimer{t: time.NewTimer(time.Hour)} }

func (g *goTimer) C() <-chan time.Time   { return g.t.C }
func (g *goTimer) Reset(d time.Duration) { g.t.Reset(d) }
func (g *goTimer) Stop()                 { g.t.Stop() }

// newTimer makes the loop's timer from deps, or Go's.
func (g *Group) newTimer() (netif.Timer, error) {
	if g.deps.Timers == nil {
		return newGoTimer(), nil
	}
	return g.deps.Timers.NewTimer()
}
