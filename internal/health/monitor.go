package health

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vipd/vipd/internal/fsm"
)

// ErrNotRunning says the Monitor's Run has returned.
var ErrNotRunning = errors.New("health: monitor is not running")

// Config configures a group's Monitor.
type Config struct {
	// Group names the group, for logs and results.
	Group string
	// Checks are the group's checks; names must be unique. With none, the
	// Monitor reports a healthy group once and then waits.
	Checks []Check
	// Logger receives check state changes and probe results; nil discards
	// them.
	Logger *slog.Logger
	// OnHealth receives the group's combined health: once every check has
	// its first result (the initial health, reported even when it is the
	// zero value), then on every change. It is called from one goroutine of
	// Run, one call at a time, never from the goroutines that probe, so it
	// may block, as driver.Group.Health does until the group's loop takes
	// the input; changes that come meanwhile are coalesced into the latest.
	// It must return soon after ctx ends. An error is logged and the value
	// dropped. Required.
	OnHealth func(ctx context.Context, h fsm.HealthChanged) error
	// OnResult, if set, receives every probe's result, from Run's own
	// goroutine: it must not block.
	OnResult func(Result)
}

// Monitor runs the checks of one group off the protocol loop, each in its
// own goroutine on its own schedule, so that a slow check delays neither
// another check nor the group's adverts, and reports the combined health.
// Create it with New; Run starts its goroutines and stops them when its
// context ends.
type Monitor struct {
	cfg     Config
	log     *slog.Logger
	started atomic.Bool
	status  chan chan Status // requests for a snapshot, served by Run
	exited  chan struct{}    // closed when Run returns
}

// New checks the configuration and builds the monitor; it starts nothing.
func New(cfg Config) (*Monitor, error) {
	if cfg.OnHealth == nil {
		return nil, fmt.Errorf("health: group %s: no OnHealth", cfg.Group)
	}
	seen := make(map[string]bool, len(cfg.Checks))
	for i := range cfg.Checks {
		c := &cfg.Checks[i]
		if err := c.validate(); err != nil {
			return nil, fmt.Errorf("health: group %s: %w", cfg.Group, err)
		}
		if seen[c.Name] {
			return nil, fmt.Errorf("health: group %s: two checks named %q", cfg.Group, c.Name)
		}
		seen[c.Name] = true
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	cfg.Checks = append([]Check(nil), cfg.Checks...)
	return &Monitor{
		cfg:    cfg,
		log:    log.With("group", cfg.Group),
		status: make(chan chan Status),
		exited: make(chan struct{}),
	}, nil
}

// probe is one probe's outcome, from a check's goroutine to Run.
type probe struct {
	index   int
	start   time.Time
	latency time.Duration
	err     error
}

// Run probes every check on its schedule until ctx ends, then returns nil
// once every goroutine it started has ended. The first probe of each check
// starts at once. Run may be called once.
func (m *Monitor) Run(ctx context.Context) error {
	if !m.started.CompareAndSwap(false, true) {
		return errors.New("health: Run called more than once")
	}
	defer close(m.exited)
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() {
		cancel()
		wg.Wait()
	}()
	probes := make(chan probe)
	for i := range m.cfg.Checks {
		wg.Go(func() { m.schedule(ctx, i, probes) })
	}
	mailbox := make(chan fsm.HealthChanged, 1)
	wg.Go(func() { m.deliver(ctx, mailbox) })

	a := newAggregator(m.cfg.Group, m.cfg.Checks)
	if a.ready() {
		post(mailbox, a.health)
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case p := <-probes:
			res, healthChanged := a.record(p)
			m.logResult(res, &m.cfg.Checks[p.index])
			if m.cfg.OnResult != nil {
				m.cfg.OnResult(res)
			}
			if healthChanged {
				m.log.Info("health changed", "fault", a.health.Fault, "weight", a.health.Weight)
				post(mailbox, a.health)
			}
		case reply := <-m.status:
			reply <- a.snapshot()
		}
	}
}

// Status returns a snapshot of the checks, taken by Run. It waits for Run
// to start and fails with ErrNotRunning once Run has returned.
func (m *Monitor) Status(ctx context.Context) (Status, error) {
	reply := make(chan Status, 1)
	select {
	case m.status <- reply:
		return <-reply, nil
	case <-m.exited:
		return Status{}, ErrNotRunning
	case <-ctx.Done():
		return Status{}, ctx.Err()
	}
}

// schedule probes check i every Interval, measured from the start of one
// probe to the start of the next, and sends each outcome to Run.
func (m *Monitor) schedule(ctx context.Context, i int, out chan<- probe) {
	c := &m.cfg.Checks[i]
	tick := time.NewTicker(c.Interval)
	defer tick.Stop()
	for {
		p := probe{index: i, start: time.Now()}
		pctx, cancel := context.WithTimeout(ctx, c.Timeout)
		p.err = c.Checker.Check(pctx)
		cancel()
		p.latency = time.Since(p.start)
		if ctx.Err() != nil {
			return // stopping: the probe was cut short, not failed
		}
		select {
		case out <- p:
		case <-ctx.Done():
			return
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			return
		}
	}
}

// post leaves h in the one-slot mailbox, replacing a value not yet taken.
// Only Run posts, so the slot is free for the second send.
func post(mailbox chan fsm.HealthChanged, h fsm.HealthChanged) {
	select {
	case mailbox <- h:
	default:
		select {
		case <-mailbox:
		default:
		}
		mailbox <- h
	}
}

// deliver hands each health value posted to OnHealth.
func (m *Monitor) deliver(ctx context.Context, mailbox <-chan fsm.HealthChanged) {
	for {
		select {
		case <-ctx.Done():
			return
		case h := <-mailbox:
			if err := m.cfg.OnHealth(ctx, h); err != nil && ctx.Err() == nil {
				m.log.Warn("health not delivered", "fault", h.Fault, "weight", h.Weight, "err", err)
			}
		}
	}
}

// logResult logs a probe: state changes at info (healthy) or warn
// (failing), a failure that counts towards fall at info, the rest at debug.
func (m *Monitor) logResult(r Result, c *Check) {
	attrs := []any{"check", r.Check, "kind", r.Kind.String(), "latency", r.Latency}
	if r.Err != nil {
		attrs = append(attrs, "err", r.Err)
	}
	switch {
	case r.Changed && r.Healthy:
		m.log.Info("check healthy", append(attrs, "passes", r.Streak)...)
	case r.Changed:
		m.log.Warn("check failing", append(attrs, "fails", r.Streak)...)
	case !r.OK && r.Healthy:
		m.log.Info("check probe failed", append(attrs, "fails", r.Streak, "fall", c.Fall)...)
	default:
		m.log.Debug("check probe", append(attrs, "ok", r.OK, "streak", r.Streak)...)
	}
}
