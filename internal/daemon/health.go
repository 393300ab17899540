package daemon

import (
	"context"
	"errors"

	"github.com/vipd/vipd/internal/config"
	"github.com/vipd/vipd/internal/driver"
	"github.com/vipd/vipd/internal/fsm"
	"github.com/vipd/vipd/internal/health"
)

// newMonitor builds the monitor of g's checks, which hands the group's
// combined health to grp and every probe's result to the events and
// metrics; nil when g has no checks. It starts nothing.
func (d *Daemon) newMonitor(g *config.Group, grp *driver.Group) (*health.Monitor, error) {
	if len(g.Checks) == 0 {
		return nil, nil
	}
	checks, err := healthChecks(g, d.log)
	if err != nil {
		return nil, err
	}
	mon, err := health.New(health.Config{
		Group: g.Name, Checks: checks, Logger: d.log,
		OnHealth: healthTo(grp),
		OnResult: d.checkResult,
	})
	if err != nil {
		return nil, err
	}
	d.checks.restart(g.Name)
	return mon, nil
}

// healthTo delivers health to grp's loop. A loop that has ended is not an
// error worth a warning: its monitor is being stopped right after it.
func healthTo(grp *driver.Group) func(context.Context, fsm.HealthChanged) error {
	return func(ctx context.Context, h fsm.HealthChanged) error {
		if err := grp.Health(ctx, h); err != nil && !errors.Is(err, driver.ErrNotRunning) {
			return err
		}
		return nil
	}
}

// checkResult counts a probe for the metrics and publishes each change of
// a check's state as an event. The monitor calls it from its own goroutine
// and it must not block: both only take short locks.
func (d *Daemon) checkResult(r health.Result) {
	was := d.checks.add(r)
	if r.Changed {
		d.hub.Publish(checkEvent(r, was))
	}
}

// runGroup runs a group's loop and, beside it, the group's health monitor
// (if any), and returns when the loop has ended and the monitor with it.
// The monitor has goroutines of its own, so a slow or hanging check never
// holds up the loop's adverts; it hands health over through the loop's
// command channel like any other input.
func runGroup(ctx context.Context, grp *driver.Group, mon *health.Monitor) error {
	if mon == nil {
		return grp.Run(ctx)
	}
	monCtx, stopMonitor := context.WithCancel(ctx)
	monDone := make(chan struct{})
	go func() {
		defer close(monDone)
		_ = mon.Run(monCtx) // fails only when run twice
	}()
	err := grp.Run(ctx)
	stopMonitor()
	<-monDone
	return err
}
