package driver

import (
	"context"
	"errors"
	"net/netip"

	"github.com/vipd/vipd/internal/fsm"
	"github.com/vipd/vipd/internal/netif"
)

// ErrNotRunning says the group's loop is not running (not started, or
// stopped).
var ErrNotRunning = errors.New("driver: group is not running")

// command is a request the loop runs on its own goroutine.
type command struct {
	run  func(ctx context.Context, g *Group)
	done chan struct{}
}

// do runs f on the loop and waits for it, or fails when ctx ends first.
func (g *Group) do(ctx context.Context, f func(ctx context.Context, g *Group)) error {
	c := command{done: make(chan struct{})}
	c.run = func(ctx context.Context, g *Group) {
		f(ctx, g)
		close(c.done)
	}
	select {
	case g.commands <- c:
	case <-g.exited:
		return ErrNotRunning
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case <-c.done:
		return nil
	case <-g.exited:
		return ErrNotRunning
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Status is a snapshot of one group.
type Status struct {
	Name     string
	Protocol Protocol
	ID       uint8
	Link     netif.LinkState
	// Source is the address the adverts leave from now.
	Source   netip.Addr
	Machine  fsm.Status
	Holding  bool
	Counters Counters
}

// Status returns a snapshot taken by the loop.
func (g *Group) Status(ctx context.Context) (Status, error) {
	var st Status
	err := g.do(ctx, func(_ context.Context, g *Group) {
		st = Status{
			Name: g.cfg.Name, Protocol: g.cfg.Protocol, ID: g.cfg.ID,
			Link: g.link, Source: g.src, Machine: g.machine.Status(), Holding: g.holding,
			Counters: g.counters.clone(),
		}
		st.Counters.Relayed = g.relayed()
	})
	return st, err
}

// Admin hands an operator command to the machine.
func (g *Group) Admin(ctx context.Context, c fsm.Command) error {
	return g.do(ctx, func(ctx context.Context, g *Group) { g.step(ctx, fsm.Admin{Command: c}) })
}

// Health hands the group's combined health to the machine.
func (g *Group) Health(ctx context.Context, h fsm.HealthChanged) error {
	return g.do(ctx, func(ctx context.Context, g *Group) { g.step(ctx, h) })
}

// Shutdown starts the graceful stop: a master hands over (make-before-break)
// and Run returns nil once the group has stopped.
func (g *Group) Shutdown(ctx context.Context) error {
	return g.do(ctx, func(ctx context.Context, g *Group) { g.step(ctx, fsm.Shutdown{}) })
}
