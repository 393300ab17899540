package lab

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Observation settings.
const (
	// inFlight is how long an answer may take to arrive: the last moments
	// of the record are not judged yet.
	inFlight = 20 * time.Millisecond
	// pollEvery is how often waits look at the records.
	pollEvery = 10 * time.Millisecond
)

// settleGap is the longest gap between answers that still counts as a
// steady stream: 25 probe intervals (50 ms at the default 2 ms).
func (l *Lab) settleGap() time.Duration { return 25 * l.opts.ProbeInterval }

// Timeline returns a copy of the client's record of target (a group's
// index).
func (l *Lab) Timeline(target int) Timeline {
	var out Timeline
	l.prober.view(target, func(t *Timeline, _ *SweepLog) {
		out = Timeline{Hosts: t.Hosts, At: slices.Clone(t.At), By: slices.Clone(t.By), Sent: t.Sent}
	})
	return out
}

// Sweep returns a copy of the client's sweep record of target.
func (l *Lab) Sweep(target int) SweepLog {
	var out SweepLog
	l.prober.view(target, func(_ *Timeline, s *SweepLog) {
		out = SweepLog{Hosts: s.Hosts, Sent: slices.Clone(s.Sent), Answered: slices.Clone(s.Answered)}
	})
	return out
}

// VIPEvents returns the kernel's VIP additions and removals of target on
// every host in [from, to].
func (l *Lab) VIPEvents(target int, from, to time.Time) []VIPEvent {
	return l.watch.eventsBetween(target, from, to)
}

// Holders returns the hosts whose kernel holds target's VIP now.
func (l *Lab) Holders(target int) []*Host { return l.hostSet(l.watch.holders(target)) }

// hostSet turns a bit set of host indexes into hosts.
func (l *Lab) hostSet(set uint8) []*Host {
	var out []*Host
	for _, h := range l.hosts {
		if set&(1<<h.Index) != 0 {
			out = append(out, h)
		}
	}
	return out
}

// names lists hosts' names ("h1+h2", or "none").
func names(hs []*Host) string {
	if len(hs) == 0 {
		return "none"
	}
	s := make([]string, len(hs))
	for i, h := range hs {
		s[i] = h.Name
	}
	return strings.Join(s, "+")
}

// poll calls cond every pollEvery until it returns true, ctx ends or
// timeout passes; what describes the wait for the error.
func poll(ctx context.Context, timeout time.Duration, what string, cond func() bool) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	for {
		if cond() {
			return nil
		}
		select {
		case <-ctx.Done():
			if cond() {
				return nil
			}
			return fmt.Errorf("lab: %s: gave up after %s: %w", what, timeout, context.Cause(ctx))
		case <-tick.C:
		}
	}
}

// Answering returns the host that answered every probe to target over the
// last window with no gap longer than the settle gap, or nil.
func (l *Lab) Answering(target int, window time.Duration) *Host {
	var h *Host
	to := time.Now().Add(-inFlight)
	l.prober.view(target, func(t *Timeline, _ *SweepLog) {
		if i, ok := t.SettledOn(to, window, l.settleGap()); ok {
			h = l.hosts[i]
		}
	})
	return h
}

// WaitSettled waits until one host has answered every probe to target for
// window and returns it.
func (l *Lab) WaitSettled(ctx context.Context, target int, window, timeout time.Duration) (*Host, error) {
	var h *Host
	err := poll(ctx, timeout, fmt.Sprintf("waiting for one host to answer %s steadily", l.targets[target]), func() bool {
		h = l.Answering(target, window)
		return h != nil
	})
	return h, err
}

// WaitAnsweredBy waits until host has answered every probe to target for
// window.
func (l *Lab) WaitAnsweredBy(ctx context.Context, target int, host *Host, window, timeout time.Duration) error {
	return poll(ctx, timeout, fmt.Sprintf("waiting for %s to answer %s steadily", host.Name, l.targets[target]), func() bool {
		return l.Answering(target, window) == host
	})
}

// WaitTakeover waits until a host other than old has answered every probe
// to target for window, and returns it.
func (l *Lab) WaitTakeover(ctx context.Context, target int, old *Host, window, timeout time.Duration) (*Host, error) {
	var h *Host
	err := poll(ctx, timeout, fmt.Sprintf("waiting for a host other than %s to answer %s steadily", old.Name, l.targets[target]), func() bool {
		h = l.Answering(target, window)
		return h != nil && h != old
	})
	return h, err
}

// SweepAnswerers returns the hosts that answered every sweep round to
// target over the last window, if all rounds in it were answered by the
// same hosts; ok is false while that changes.
func (l *Lab) SweepAnswerers(target int, window time.Duration) (hosts []*Host, ok bool) {
	var set uint8
	to := time.Now().Add(-inFlight)
	l.prober.view(target, func(_ *Timeline, s *SweepLog) { set, ok = s.StableHolders(to, window) })
	return l.hostSet(set), ok
}

// WaitSoleAnswerer waits until host alone has answered every sweep round
// to target for window: no other host answers for the VIP, whichever host
// a client's ARP entry points at.
func (l *Lab) WaitSoleAnswerer(ctx context.Context, target int, host *Host, window, timeout time.Duration) error {
	return poll(ctx, timeout, fmt.Sprintf("waiting for %s alone to answer %s", host.Name, l.targets[target]), func() bool {
		hs, ok := l.SweepAnswerers(target, window)
		return ok && len(hs) == 1 && hs[0] == host
	})
}
