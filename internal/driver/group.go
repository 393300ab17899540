package driver

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"sync"
	"time"

	"github.com/vipd/vipd/internal/fsm"
	"github.com/vipd/vipd/internal/netif"
)

// HookEvent is what the hook runner needs to run a transition's hooks.
type HookEvent struct {
	Group     string
	Protocol  Protocol
	ID        uint8
	Interface string
	VIPs      []netip.Prefix
	From, To  fsm.State
	Reason    fsm.Reason
	Priority  uint8
}

// Hooks receives hook events. Submit must not block: hooks run off the
// protocol loop.
type Hooks interface {
	Submit(HookEvent)
}

// Deps are the group's connections to the world.
type Deps struct {
	Addresses netif.Addresses
	Announcer netif.Announcer
	Adverts   netif.Adverts
	Links     netif.LinkWatcher
	Hooks     Hooks
	Log       *slog.Logger
	// Events, if set, is called from the loop for every transition, so the
	// daemon can feed `vipd events` and metrics. It must not block.
	Events func(Event)
}

// Event is a transition as the loop reports it.
type Event struct {
	Time     time.Time
	Group    string
	From, To fsm.State
	Reason   fsm.Reason
}

// Group runs one failover group. Create it with New, run it with Run.
type Group struct {
	cfg  Config
	deps Deps
	log  *slog.Logger

	machine *fsm.Machine
	enc     encoder
	dec     decoder

	commands chan command
	exited   chan struct{} // closed when Run returns
	// Owned by the loop.
	conn     netif.AdvertConn
	link     netif.LinkState
	holding  bool
	renewAt  time.Time
	counters Counters
	sendBuf  []byte
	stopped  bool
}

// New checks the configuration and builds the group; it starts nothing.
func New(cfg Config, deps Deps) (*Group, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if deps.Addresses == nil || deps.Announcer == nil || deps.Adverts == nil || deps.Links == nil || deps.Hooks == nil {
		return nil, fmt.Errorf("driver: group %s is missing a dependency", cfg.Name)
	}
	m, err := fsm.New(cfg.Machine)
	if err != nil {
		return nil, fmt.Errorf("driver: group %s: %w", cfg.Name, err)
	}
	enc, dec, err := newWire(&cfg)
	if err != nil {
		return nil, fmt.Errorf("driver: group %s: %w", cfg.Name, err)
	}
	log := deps.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Group{
		cfg:      cfg,
		deps:     deps,
		log:      log.With("group", cfg.Name),
		machine:  m,
		enc:      enc,
		dec:      dec,
		commands: make(chan command),
		exited:   make(chan struct{}),
		counters: newCounters(),
	}, nil
}

// Name returns the group's name.
func (g *Group) Name() string { return g.cfg.Name }

// Run runs the group until it has stopped after Shutdown (returning nil) or
// ctx ends (returning ctx.Err(), with VIPs released). All goroutines it
// starts have ended when it returns.
func (g *Group) Run(ctx context.Context) error {
	defer close(g.exited)
	ctx, cancel := context.WithCancel(ctx)
	var receivers sync.WaitGroup
	links := make(chan netif.LinkState)
	watchDone := make(chan error, 1)
	go func() { watchDone <- g.deps.Links.Watch(ctx, g.cfg.Link, links) }()
	packets := make(chan received)
	defer func() {
		cancel()
		g.closeConn()
		for watching := true; watching; {
			select {
			case <-links:
			case <-watchDone:
				watching = false
			}
		}
		receivers.Wait()
	}()
	open := func() {
		if conn := g.openConn(); conn != nil {
			receivers.Add(1)
			go func() {
				defer receivers.Done()
				receive(ctx, conn, packets)
			}()
		}
	}

	// The first link state comes at once: start the election under it.
	select {
	case st := <-links:
		g.linkChanged(ctx, st, open)
	case err := <-watchDone:
		watchDone <- err
		return fmt.Errorf("driver: group %s: watching %s: %w", g.cfg.Name, g.cfg.Link, err)
	case <-ctx.Done():
		return ctx.Err()
	}
	if g.cfg.StartInMaintenance {
		g.step(ctx, fsm.Admin{Command: fsm.CommandMaintenance})
	}
	g.step(ctx, fsm.Start{})

	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for !g.stopped {
		g.armTimer(timer)
		select {
		case <-ctx.Done():
			g.abandon()
			return ctx.Err()
		case <-timer.C:
			g.timerFired(ctx)
		case r := <-packets:
			g.packet(ctx, r, open)
		case st := <-links:
			g.linkChanged(ctx, st, open)
		case err := <-watchDone:
			watchDone <- err // for the deferred wait
			g.abandon()
			return fmt.Errorf("driver: group %s: watching %s: %w", g.cfg.Name, g.cfg.Link, err)
		case c := <-g.commands:
			c.run(ctx, g)
		}
	}
	return nil
}

func (g *Group) timerFired(ctx context.Context) {
	now := time.Now()
	if d := g.machine.Deadline(); !d.IsZero() && !now.Before(d) {
		g.step(ctx, fsm.Timeout{})
	}
	if g.holding && !g.renewAt.IsZero() && !now.Before(g.renewAt) {
		g.setVIPs(ctx, true)
	}
}

// armTimer sets the one timer to the earliest of the machine's deadline and
// the VIP lifetime renewal.
func (g *Group) armTimer(t *time.Timer) {
	next := g.machine.Deadline()
	if g.holding && !g.renewAt.IsZero() && (next.IsZero() || g.renewAt.Before(next)) {
		next = g.renewAt
	}
	d := time.Hour
	if !next.IsZero() {
		d = max(time.Until(next), 0)
	}
	t.Reset(d)
}

// abandon is the hard stop (context ended without Shutdown): release the
// VIPs so nothing stays behind, skip the hand-over.
func (g *Group) abandon() {
	if g.holding {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		g.holding = true
		g.setVIPs(ctx, false)
	}
}
