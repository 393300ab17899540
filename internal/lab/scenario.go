package lab

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Scenario is one of the lab's failure scenarios.
type Scenario int

// The scenarios, each run against a group whose preferred host is master.
const (
	// LinkCutScenario cuts the master's link (its switch port goes down).
	LinkCutScenario Scenario = iota
	// Kill9Scenario kills the master's daemon with SIGKILL.
	Kill9Scenario
	// TerminateScenario stops the master's daemon with SIGTERM.
	TerminateScenario
	// FailbackScenario fails the master by a link cut, then measures its
	// return: the preferred host takes the VIP back.
	FailbackScenario
	// LossScenario drops a percentage of the master's frames for a while.
	LossScenario
	// SwitchoverScenario moves the VIP to the next host in line with
	// `vipd switchover` (vipd only).
	SwitchoverScenario
)

// Scenarios lists every scenario in table order.
var Scenarios = []Scenario{LinkCutScenario, Kill9Scenario, TerminateScenario, SwitchoverScenario, FailbackScenario, LossScenario}

// String returns the scenario's name.
func (s Scenario) String() string {
	switch s {
	case LinkCutScenario:
		return "link-cut"
	case Kill9Scenario:
		return "kill-9"
	case TerminateScenario:
		return "sigterm"
	case FailbackScenario:
		return "failback"
	case LossScenario:
		return "loss"
	case SwitchoverScenario:
		return "switchover"
	}
	return fmt.Sprintf("Scenario(%d)", int(s))
}

// ParseScenario reads a scenario's name.
func ParseScenario(s string) (Scenario, error) {
	for _, sc := range Scenarios {
		if sc.String() == s {
			return sc, nil
		}
	}
	names := make([]string, len(Scenarios))
	for i, sc := range Scenarios {
		names[i] = sc.String()
	}
	return 0, fmt.Errorf("lab: unknown scenario %q: want one of %s", s, strings.Join(names, ", "))
}

// supports says why impl cannot run s, or "".
func (s Scenario) supports(impl Impl) string {
	if s == SwitchoverScenario && impl != Vipd {
		return fmt.Sprintf("%s has no switchover command", impl)
	}
	return ""
}

// LossOptions configures LossScenario.
type LossOptions struct {
	// Percent of the master's frames dropped in each direction (default 20).
	Percent int
	// Duration of the loss (default 60s).
	Duration time.Duration
}

func (o LossOptions) withDefaults() LossOptions {
	if o.Percent == 0 {
		o.Percent = 20
	}
	if o.Duration == 0 {
		o.Duration = 60 * time.Second
	}
	return o
}

// Run runs scenario s against target (a group's index) and returns what
// the client observed. The lab's daemons must be running. Each scenario
// waits until the lab is Ready, then places its failure in the master's
// advert schedule: Options.Phase × the master's advert period after one of
// its adverts, or, without a phase, after a random part of an advert
// interval, so that failures fall at every point of the schedule over
// repeated runs. Every scenario
// leaves the failed host up again (link restored, daemon restarted, loss
// removed) without waiting for it to take the VIP back.
func Run(ctx context.Context, l *Lab, s Scenario, target int, loss LossOptions) (Result, error) {
	switch s {
	case LinkCutScenario:
		return LinkCut(ctx, l, target)
	case Kill9Scenario:
		return Kill9(ctx, l, target)
	case TerminateScenario:
		return Terminate(ctx, l, target)
	case FailbackScenario:
		return Failback(ctx, l, target)
	case LossScenario:
		return Loss(ctx, l, target, loss)
	case SwitchoverScenario:
		return Switchover(ctx, l, target)
	}
	return Result{}, fmt.Errorf("lab: unknown scenario %d", int(s))
}

// LinkCut cuts the master's link and measures the takeover; then restores
// the link.
func LinkCut(ctx context.Context, l *Lab, target int) (Result, error) {
	old, advert, err := l.start(ctx, target)
	if err != nil {
		return Result{}, err
	}
	r, err := l.Change(ctx, target, LinkCutScenario.String(), old, old.CutLink, other(old))
	return l.placed(r, advert), errors.Join(err, old.RestoreLink())
}

// Terminate stops the master's daemon with SIGTERM and measures the
// hand-over; then waits for the daemon to exit and starts it again.
func Terminate(ctx context.Context, l *Lab, target int) (Result, error) {
	old, advert, err := l.start(ctx, target)
	if err != nil {
		return Result{}, err
	}
	r, err := l.Change(ctx, target, TerminateScenario.String(), old, old.TerminateDaemon, other(old))
	r = l.placed(r, advert)
	if err != nil {
		return r, err
	}
	return r, l.restart(ctx, old)
}

// restart waits (bounded) for h's daemons to exit and starts them again.
func (l *Lab) restart(ctx context.Context, h *Host) error {
	wctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := h.WaitDaemon(wctx); err != nil {
		_ = h.KillDaemon()
		_ = h.WaitDaemon(ctx)
		return fmt.Errorf("lab: %s did not stop after SIGTERM: %w", h.Name, err)
	}
	return h.StartDaemon(ctx)
}

// killWatch is how long Kill9 keeps watching, after the takeover, for the
// dead daemon's host to stop answering: past vipd's address lifetime for
// the profile, so a lifetime that works is seen working.
func (l *Lab) killWatch() time.Duration {
	p := l.opts.Profile
	life := p.AddressLifetime
	if life == 0 {
		// vipd's default: 10s, or 2 × down_adverts intervals rounded up
		// to a second when that is longer.
		life = max(10*time.Second, (2 * time.Duration(p.DownAdverts) * p.Interval).Round(time.Second))
	}
	return life + 2*time.Second
}

// Kill9 kills the master's daemon (and its children) with SIGKILL,
// measures the takeover, then watches whether the dead daemon's host keeps
// answering for the VIP beside the new master (Result.TwoAnswering,
// Result.Overlap); then restarts the daemon.
func Kill9(ctx context.Context, l *Lab, target int) (Result, error) {
	old, advert, err := l.start(ctx, target)
	if err != nil {
		return Result{}, err
	}
	r, err := l.Change(ctx, target, Kill9Scenario.String(), old, old.KillDaemon, other(old))
	r = l.placed(r, advert)
	if err != nil {
		return r, err
	}
	to := l.Host(r.To)
	err = l.WaitSoleAnswerer(ctx, target, to, time.Second, l.killWatch())
	if ctx.Err() != nil {
		return r, fmt.Errorf("lab: %w", ctx.Err())
	}
	r.TwoAnswering = err != nil
	l.prober.view(target, func(_ *Timeline, s *SweepLog) { _, r.Overlap = s.Overlap(r.Start, time.Now()) })
	if err := old.WaitDaemon(ctx); err != nil {
		return r, err
	}
	return r, old.StartDaemon(ctx)
}

// Failback cuts the master's link, waits for a backup to take over, then
// restores the link and measures the preferred host's return: the
// client-observed gap as the VIP moves back, and Takeover, how long after
// the restore it first answered.
func Failback(ctx context.Context, l *Lab, target int) (Result, error) {
	old, _, err := l.start(ctx, target)
	if err != nil {
		return Result{}, err
	}
	cut, err := l.Change(ctx, target, "cut", old, old.CutLink, other(old))
	if err != nil {
		return Result{}, errors.Join(err, old.RestoreLink())
	}
	// The phase placed the cut; the return measured here is not placed.
	r, err := l.Change(ctx, target, FailbackScenario.String(), l.Host(cut.To), old.RestoreLink, is(old))
	r.Phase = l.opts.Phase
	return r, err
}

// Loss drops opts.Percent % of the master's frames in each direction for
// opts.Duration and counts what that caused: master changes (VIP gained
// by any host), changes of answering host seen by the client, and the
// worst client gap. Then it removes the loss and waits for one host to
// answer steadily.
func Loss(ctx context.Context, l *Lab, target int, opts LossOptions) (Result, error) {
	opts = opts.withDefaults()
	old, advert, err := l.start(ctx, target)
	if err != nil {
		return Result{}, err
	}
	start := time.Now()
	if err := old.SetLoss(ctx, opts.Percent); err != nil {
		return Result{}, err
	}
	t := time.NewTimer(opts.Duration)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return Result{}, errors.Join(fmt.Errorf("lab: %w", ctx.Err()), old.ClearLoss(context.WithoutCancel(ctx)))
	case <-t.C:
	}
	end := time.Now()
	if err := old.ClearLoss(ctx); err != nil {
		return Result{}, err
	}
	r := l.placed(l.Measure(target, fmt.Sprintf("loss %d%% %s", opts.Percent, FormatDuration(opts.Duration)), old, nil, start, end), advert)
	to, err := l.WaitSettled(ctx, target, settleWindow, l.takeoverTimeout())
	if err != nil {
		return r, err
	}
	r.To = to.Name
	return r, nil
}
