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
	// Sources, if set, finds the source of the adverts on the interface
	// each time the group opens its connection, so that an interface that
	// was deleted and created again with other addresses is followed. Leave
	// it nil when the configuration names the source: then
	// Config.Machine.Self.From is used.
	Sources netif.Sources
	// Claims, if set, is watched while the group holds its VIPs: another
	// host answering for one of them is logged, counted
	// (Counters.Conflicts) and answered with a re-announcement. Nil turns
	// conflict detection off.
	Claims netif.ClaimWatcher
	Log    *slog.Logger
	// Timers makes the loop's timer: on Linux a timerfd, which fires
	// within microseconds of the deadline where Go's timer can be
	// milliseconds late; in tests Go's (netiftest.Timers), which
	// testing/synctest controls.
	Timers netif.Timers
	// Relays, if set, starts a relay per connection that sends the
	// master's adverts again while the loop is silent (a stalled CPU).
	// VRRP groups only.
	Relays netif.Relays
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

	machine  *fsm.Machine
	lastStep time.Time // the latest time given to machine.Step
	enc      encoder
	dec      decoder

	commands  chan command
	exited    chan struct{}    // closed when Run returns
	packets   chan received    // from the receivers
	claims    chan netif.Claim // from the claim watch
	claimEnds chan claimEnd    // a claim watch that failed
	workers   sync.WaitGroup   // receivers and claim watches
	// Owned by the loop.
	conn     netif.AdvertConn
	link     netif.LinkState
	linkUp   bool       // what the machine was last told of the link
	src      netip.Addr // the adverts' source now
	holding  bool
	renewAt  time.Time
	counters Counters
	sendBufs [][]byte // one encoded advert per destination
	stopped  bool
	open     openState
	claim    claimState
	catchUp  catchUp
	relay    relayState
}

// New checks the configuration and builds the group; it starts nothing.
func New(cfg Config, deps Deps) (*Group, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if deps.Addresses == nil || deps.Announcer == nil || deps.Adverts == nil || deps.Links == nil || deps.Hooks == nil || deps.Timers == nil {
		return nil, fmt.Errorf("driver: group %s is missing a dependency", cfg.Name)
	}
	if !cfg.Machine.Self.From.IsValid() && deps.Sources == nil {
		return nil, fmt.Errorf("driver: group %s has no primary address and no Sources to find one", cfg.Name)
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
		cfg:       cfg,
		deps:      deps,
		log:       log.With("group", cfg.Name),
		machine:   m,
		enc:       enc,
		dec:       dec,
		commands:  make(chan command),
		exited:    make(chan struct{}),
		packets:   make(chan received),
		claims:    make(chan netif.Claim),
		claimEnds: make(chan claimEnd),
		linkUp:    true, // as fsm.New assumes
		src:       cfg.Machine.Self.From,
		counters:  newCounters(),
	}, nil
}

// Name returns the group's name.
func (g *Group) Name() string { return g.cfg.Name }

// Run runs the group until it has stopped after Shutdown (returning nil) or
// ctx ends (returning ctx.Err(), with VIPs released). All goroutines it
// starts have ended when it returns. Run may be called once.
func (g *Group) Run(ctx context.Context) error {
	defer close(g.exited)
	timer, err := g.deps.Timers.NewTimer()
	if err != nil {
		return fmt.Errorf("driver: group %s: %w", g.cfg.Name, err)
	}
	defer timer.Stop()
	ctx, cancel := context.WithCancel(ctx)
	links := make(chan netif.LinkState)
	watchDone := make(chan error, 1)
	go func() { watchDone <- g.deps.Links.Watch(ctx, g.cfg.Link, links) }()
	defer func() {
		cancel()
		g.closeConn()
		g.stopClaims()
		for watching := true; watching; {
			select {
			case <-links:
			case <-watchDone:
				watching = false
			}
		}
		g.workers.Wait()
	}()

	// The first link state comes at once: start the election under it.
	select {
	case st := <-links:
		g.linkChanged(ctx, st)
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
	g.syncClaims(ctx)

	for !g.stopped {
		g.armTimer(timer)
		select {
		case <-ctx.Done():
			g.abandon()
			return ctx.Err()
		case <-timer.C():
			g.timerFired(ctx)
		case r := <-g.packets:
			g.packet(ctx, r)
		case st := <-links:
			g.linkChanged(ctx, st)
		case c := <-g.claims:
			g.claimed(c)
		case e := <-g.claimEnds:
			g.claimEnded(e)
		case err := <-watchDone:
			watchDone <- err // for the deferred wait
			g.abandon()
			return fmt.Errorf("driver: group %s: watching %s: %w", g.cfg.Name, g.cfg.Link, err)
		case c := <-g.commands:
			c.run(ctx, g)
		}
		// Whatever happened may have taken or released the VIPs or
		// replaced the interface: the claim watch follows.
		g.syncClaims(ctx)
	}
	return nil
}

func (g *Group) timerFired(ctx context.Context) {
	now := time.Now()
	g.runCheck(now)
	if g.timeoutDue(ctx, now) {
		g.step(ctx, fsm.Timeout{})
	}
	if g.holding && !g.renewAt.IsZero() && !now.Before(g.renewAt) {
		g.setVIPs(ctx, true)
	}
	if !g.open.retryAt.IsZero() && !now.Before(g.open.retryAt) {
		g.retryOpen(ctx)
	}
	if !g.claim.reclaimAt.IsZero() && !now.Before(g.claim.reclaimAt) {
		g.reclaimDue(ctx, now)
	}
}

// armTimer sets the one timer to the earliest of the machine's deadline,
// the VIP lifetime renewal, the next attempt to open the connection and a
// re-announcement held back by the rate limit.
func (g *Group) armTimer(t netif.Timer) {
	next := g.timeoutAt(g.machine.Deadline())
	if g.holding {
		next = earliest(next, g.renewAt)
	}
	next = earliest(next, g.open.retryAt)
	next = earliest(next, g.claim.reclaimAt)
	d := time.Hour
	if !next.IsZero() {
		d = max(time.Until(next), 0)
	}
	t.Reset(d)
}

// earliest returns the earlier of two times, ignoring zero ones.
func earliest(a, b time.Time) time.Time {
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
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
