package sim

import (
	"time"

	"github.com/vipd/vipd/internal/fsm"
)

// bigWeight moves any standing to the end of its policy's range.
const bigWeight = 1 << 20

// bounds are a group's timing bounds, computed once from its members'
// configurations and the network's delay. The invariants' windows are built
// from them (see invariants.go). Weights can move a member's standing, so
// each bound takes the worst standing a health weight can give.
type bounds struct {
	down     time.Duration // D: the longest master-down interval a member can wait
	interval time.Duration // I: the longest advert interval
	handover time.Duration // H: the longest make-before-break hand-over
	resign   time.Duration // R: the longest wait after a resign advert
	preempt  time.Duration // P: the longest preempt delay
	delay    time.Duration // δ: the longest delivery delay

	settle   time.Duration // W1: at most one master
	converge time.Duration // W4: a heal or the end of loss converges
	stable   time.Duration // W2: the preferred master, no transitions
}

// standings returns the standings a member can advertise: its base, and
// the extremes health weights can move it to.
func standings(c fsm.Config) [3]fsm.Advert {
	return [3]fsm.Advert{c.Self, c.Policy.Weighted(c.Self, -bigWeight), c.Policy.Weighted(c.Self, bigWeight)}
}

// groupBounds computes the bounds of a group whose members have these
// configurations.
func groupBounds(members []Member, n Network) bounds {
	b := bounds{delay: n.maxDelay()}
	for _, h := range members {
		p := h.Config.Policy
		hs := standings(h.Config)
		worst := hs[1]
		b.preempt = max(b.preempt, h.Config.PreemptDelay)
		ho := h.Config.HandoverTimeout
		if ho <= 0 {
			// fsm's default: the longest wait of the lowest backup,
			// resign heard or lost, plus an interval for its advert.
			self, lo := h.Config.Self, p.Lowest(h.Config.Self)
			ho = max(p.MasterDown(lo, self), p.MasterDown(worst, self),
				p.ResignWait(lo, self), p.ResignWait(worst, self)) + self.Interval
		}
		b.handover = max(b.handover, ho)
		for _, st := range hs {
			b.interval = max(b.interval, st.Interval)
		}
		for _, m := range members {
			for _, ms := range standings(m.Config) {
				b.down = max(b.down, p.MasterDown(worst, ms))
				b.resign = max(b.resign, p.ResignWait(worst, ms))
			}
		}
	}
	d := b.delay
	b.settle = max(b.down, b.interval, b.resign) + 2*d
	b.converge = max(b.down, b.interval) + 2*d
	if n.Jitter > 0 {
		// Adverts can be reordered: one more round (see invariants.go).
		b.settle, b.converge = 2*b.settle, 2*b.converge
	}
	b.stable = max(b.handover+b.resign+2*b.down+2*b.interval+4*d, b.settle)
	return b
}
