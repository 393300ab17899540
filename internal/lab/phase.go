package lab

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"time"
)

// Where a failure falls in the master's advert schedule decides much of the
// takeover time: a backup takes over a fixed time after the last advert it
// heard, so a failure φ after an advert is seen φ sooner. Runs that fail the
// master at random phases compare implementations by chance; Options.Phase
// puts every run's failure at a chosen phase instead, and Bench gives run r
// of N the phase (r − 0.5)/N, so every implementation meets the same evenly
// spread phases.

// advertPeriod is how often the host at rank r, running impl, sends an
// advert under p: the interval divided by vipd's adverts per interval, or
// for CARP (ucarp always speaks it) advbase + advskew/256 s, as carpTiming
// sets them.
func advertPeriod(p Profile, impl Impl, r int) time.Duration {
	iv := p.Interval
	if p.Protocol == CARP || impl == Ucarp {
		base, skew := carpTiming(p, r)
		iv = time.Duration(base)*time.Second + time.Duration(skew)*time.Second/256
	}
	return iv / time.Duration(max(1, p.AdvertsPerInterval))
}

// benchPhase returns the phase of run (1-based) of runs: (run − 0.5)/runs,
// the middles of runs equal slices of the advert period.
func benchPhase(run, runs int) float64 { return (float64(run) - 0.5) / float64(runs) }

// start waits until the lab is Ready, then places the failure that follows
// in the master's advert schedule, and returns the master and the arrival
// of the advert the failure was placed after (zero with a random phase).
//
// With Options.Phase set, it waits for the master's next advert of the
// target group on its switch port, then Phase × the master's advert
// period. Without, it waits a random part of one advert interval: Ready
// returns at a fixed offset from the master's election, and so from its
// advert schedule; without any wait every run would cut the master at the
// same point between two adverts.
func (l *Lab) start(ctx context.Context, target int) (*Host, time.Time, error) {
	h, err := l.Ready(ctx, target)
	if err != nil {
		return nil, time.Time{}, err
	}
	p := l.opts.Profile
	if l.opts.Phase == 0 {
		return h, time.Time{}, sleep(ctx, rand.N(p.Interval))
	}
	g := l.opts.Groups[target]
	period := advertPeriod(p, h.Impl(), g.rank(h.Index))
	// Bounded so that a master that does not advertise fails the run
	// instead of hanging it: three adverts missed, and a second to spare.
	at, err := l.nextAdvert(ctx, h, g.ID, 3*max(period, p.Interval)+time.Second)
	if err != nil {
		return nil, time.Time{}, err
	}
	return h, at, sleepUntil(ctx, at.Add(time.Duration(l.opts.Phase*float64(period))))
}

// spinBefore is how long before a placed failure sleepUntil stops sleeping
// and spins: Go's timers wake up to a few milliseconds late (epoll's
// millisecond timeout and its slack), more than vipd's fast advert period.
const spinBefore = 3 * time.Millisecond

// sleepUntil waits until t, to within microseconds, or until ctx ends.
func sleepUntil(ctx context.Context, t time.Time) error {
	if err := sleep(ctx, time.Until(t)-spinBefore); err != nil {
		return err
	}
	for time.Now().Before(t) {
		runtime.Gosched()
	}
	return nil
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return fmt.Errorf("lab: %w", ctx.Err())
	case <-t.C:
		return nil
	}
}

// placed records in r where the failure fell: the lab's phase and, when
// the failure was placed after an advert arriving at advert, how long after
// it r began.
func (l *Lab) placed(r Result, advert time.Time) Result {
	r.Phase = l.opts.Phase
	if !advert.IsZero() && !r.Start.IsZero() {
		r.AfterAdvert = r.Start.Sub(advert)
	}
	return r
}
