package hooks

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults for Config fields left zero.
const (
	// DefaultQueueLen is how many events of one group may wait while its
	// hook runs.
	DefaultQueueLen = 16
	// DefaultKillGrace is how long a timed-out hook has between SIGTERM and
	// SIGKILL.
	DefaultKillGrace = 2 * time.Second
)

// Config configures a Runner. The zero Config is usable.
type Config struct {
	// Logger receives hook results and output; nil discards them.
	Logger *slog.Logger
	// QueueLen bounds the events of one group waiting to run; zero means
	// DefaultQueueLen. When full, the oldest waiting event is dropped.
	QueueLen int
	// KillGrace is the time between SIGTERM and SIGKILL for a hook that ran
	// past its timeout or outlived Run; zero means DefaultKillGrace.
	KillGrace time.Duration
	// MaxLineBytes cuts longer output lines; zero means DefaultMaxLineBytes.
	MaxLineBytes int
	// MaxOutputBytes bounds the output logged per run; zero means
	// DefaultMaxOutputBytes.
	MaxOutputBytes int
	// OnResult, if set, is called after every hook run, from the group's
	// worker goroutine, before the next hook of that group starts. It must
	// return quickly; it may be called concurrently for different groups.
	OnResult func(Result)
}

// Runner runs the hooks of many groups: one at a time and in order within a
// group, groups independently of each other. New starts nothing; Run owns
// all goroutines.
type Runner struct {
	cfg Config
	log *slog.Logger

	wake    chan struct{} // Submit tells Run there is work; capacity 1
	dropped atomic.Uint64

	mu      sync.Mutex
	phase   phase
	groups  map[string]*queue // groups with waiting or running events
	pending int               // events waiting or running, all groups
	idle    chan struct{}     // closed when pending drops to 0; nil while 0
}

type phase uint8

const (
	phaseNew phase = iota
	phaseRunning
	phaseStopped
)

// queue is one group's waiting events and whether its worker is running.
type queue struct {
	group  string
	events []Event
	busy   bool
}

// New returns a Runner. It starts no goroutines: call Run.
func New(cfg Config) *Runner {
	if cfg.QueueLen <= 0 {
		cfg.QueueLen = DefaultQueueLen
	}
	if cfg.KillGrace <= 0 {
		cfg.KillGrace = DefaultKillGrace
	}
	if cfg.MaxLineBytes <= 0 {
		cfg.MaxLineBytes = DefaultMaxLineBytes
	}
	if cfg.MaxOutputBytes <= 0 {
		cfg.MaxOutputBytes = DefaultMaxOutputBytes
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Runner{
		cfg:    cfg,
		log:    log,
		wake:   make(chan struct{}, 1),
		groups: make(map[string]*queue),
	}
}

// Submit queues the hooks of ev to run after those already submitted for
// the same group. It never blocks. Events submitted before Run starts wait
// for it. When the group's queue is full the oldest waiting event is dropped
// (logged and counted by Dropped); after Run has returned, ev itself is.
// An event whose transition has no configured hook is ignored.
func (r *Runner) Submit(ev Event) {
	if len(ev.kinds()) == 0 {
		return
	}
	ev.VIPs = slices.Clone(ev.VIPs)

	r.mu.Lock()
	if r.phase == phaseStopped {
		r.mu.Unlock()
		r.drop(ev, "runner stopped")
		return
	}
	q := r.groups[ev.Group]
	if q == nil {
		q = &queue{group: ev.Group}
		r.groups[ev.Group] = q
	}
	var lost Event
	full := len(q.events) >= r.cfg.QueueLen
	if full {
		lost = q.events[0]
		q.events[0] = Event{}
		q.events = q.events[1:]
	} else {
		r.pending++
		if r.idle == nil {
			r.idle = make(chan struct{})
		}
	}
	q.events = append(q.events, ev)
	start := !q.busy
	r.mu.Unlock()

	if full {
		r.drop(lost, "queue full")
	}
	if start {
		select {
		case r.wake <- struct{}{}:
		default:
		}
	}
}

func (r *Runner) drop(ev Event, why string) {
	r.dropped.Add(1)
	r.log.Error("hook event dropped: "+why, "group", ev.Group,
		"from", ev.From.String(), "to", ev.To.String(), "reason", ev.Reason.String())
}

// Dropped returns how many events were dropped without running their hooks:
// pushed out of a full queue, submitted after Run returned, or still waiting
// when Run's context ended.
func (r *Runner) Dropped() uint64 { return r.dropped.Load() }

// Run runs submitted hooks until ctx ends, then kills the hooks still
// running (SIGTERM, then SIGKILL after Config.KillGrace), drops the events
// still waiting and returns nil once every goroutine it started has exited.
// A Runner runs once; a second call returns an error.
func (r *Runner) Run(ctx context.Context) error {
	r.mu.Lock()
	if r.phase != phaseNew {
		r.mu.Unlock()
		return errors.New("hooks: Run called more than once")
	}
	r.phase = phaseRunning
	r.mu.Unlock()

	var workers sync.WaitGroup
	for {
		r.startWorkers(ctx, &workers)
		select {
		case <-ctx.Done():
			workers.Wait()
			r.stop()
			return nil
		case <-r.wake:
		}
	}
}

// startWorkers starts a worker for every group with waiting events and none.
func (r *Runner) startWorkers(ctx context.Context, workers *sync.WaitGroup) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, q := range r.groups {
		if !q.busy && len(q.events) > 0 {
			q.busy = true
			workers.Go(func() { r.work(ctx, q) })
		}
	}
}

// work runs q's events in order until it is empty or ctx ends.
func (r *Runner) work(ctx context.Context, q *queue) {
	for {
		r.mu.Lock()
		if len(q.events) == 0 || ctx.Err() != nil {
			q.busy = false
			if len(q.events) == 0 {
				delete(r.groups, q.group)
			}
			r.mu.Unlock()
			return
		}
		ev := q.events[0]
		q.events[0] = Event{}
		q.events = q.events[1:]
		r.mu.Unlock()

		r.runEvent(ctx, ev)

		r.mu.Lock()
		r.done(1)
		r.mu.Unlock()
	}
}

// done accounts for n events finished or dropped; r.mu is held.
func (r *Runner) done(n int) {
	r.pending -= n
	if r.pending == 0 && r.idle != nil {
		close(r.idle)
		r.idle = nil
	}
}

// stop drops the events still waiting after Run's context ended.
func (r *Runner) stop() {
	r.mu.Lock()
	r.phase = phaseStopped
	var lost []Event
	for name, q := range r.groups {
		lost = append(lost, q.events...)
		delete(r.groups, name)
	}
	r.done(len(lost))
	r.mu.Unlock()
	for _, ev := range lost {
		r.drop(ev, "runner stopped")
	}
}

// Drain waits until no hook is running or waiting, or ctx ends (returning
// its error). On shutdown, call it after the last Submit and before ending
// Run's context, with a deadline of at least the longest hook timeout plus
// Config.KillGrace.
func (r *Runner) Drain(ctx context.Context) error {
	r.mu.Lock()
	idle := r.idle
	r.mu.Unlock()
	if idle == nil {
		return nil
	}
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// runEvent runs ev's hooks in order: the state's, then on_change.
func (r *Runner) runEvent(ctx context.Context, ev Event) {
	for _, k := range ev.kinds() {
		h := ev.Hooks.Hook(k)
		for _, argv := range argvs(h, ev) {
			if ctx.Err() != nil {
				return
			}
			res := r.execute(ctx, ev, k, h.timeout(), argv)
			if r.cfg.OnResult != nil {
				r.cfg.OnResult(res)
			}
		}
	}
}
