package lab

import (
	"context"
	"fmt"
	"time"
)

// Result is what the client observed around one event (a failure, a
// recovery, a stretch of loss).
type Result struct {
	// Event names what happened ("link-cut", "kill-9", …).
	Event string
	// From is the host that answered for the VIP before the event; To the
	// one answering steadily after it.
	From, To string
	// Start is when the event began; End when the measurement ended (the
	// new host had answered steadily for the settle window, or the loss
	// stopped).
	Start, End time.Time
	// Downtime is the longest gap between consecutive answers to the
	// client's probes, from the last answer before Start to End: what a
	// client of the VIP lost.
	// With probes every 2 ms, no outage shows as 2 ms.
	Downtime time.Duration
	// Takeover is how long after Start To first answered (0 if To = From).
	Takeover time.Duration
	// MasterChanges counts how often a host's kernel gained the VIP during
	// the event (every takeover, including spurious ones).
	MasterChanges int
	// ClientSwitches counts the changes of answering host in the client's
	// probe stream during the event.
	ClientSwitches int
	// Overlap is how long, in all, more than one host answered the
	// client's direct (sweep) probes for the VIP.
	Overlap time.Duration
	// TwoAnswering is set when, at the end of the observation, more than
	// one host still answered for the VIP: a split brain that stays.
	TwoAnswering bool
	// Phase is the lab's Options.Phase when the failure was placed: the
	// fraction of the master's advert period after one of its adverts
	// (0: after a random wait).
	Phase float64
	// AfterAdvert is how long after the master's advert that placed it the
	// event began, as seen on the master's switch port (0: not placed).
	AfterAdvert time.Duration
}

// String summarises the result on one line.
func (r Result) String() string {
	s := fmt.Sprintf("%s: %s -> %s, downtime %s", r.Event, r.From, r.To, FormatDuration(r.Downtime))
	if r.MasterChanges > 0 {
		s += fmt.Sprintf(", %d master changes", r.MasterChanges)
	}
	if r.Overlap > 0 || r.TwoAnswering {
		s += fmt.Sprintf(", two hosts answered for %s", FormatDuration(r.Overlap))
		if r.TwoAnswering {
			s += " (still)"
		}
	}
	if r.AfterAdvert > 0 {
		s += fmt.Sprintf(", %s after an advert", FormatDuration(r.AfterAdvert))
	}
	return s
}

// settleWindow is how long a host must answer steadily to count as the
// one answering.
const settleWindow = 500 * time.Millisecond

// takeoverTimeout bounds every wait for an election: generous, since it
// only catches a lab that does not converge.
func (l *Lab) takeoverTimeout() time.Duration {
	return 3*l.opts.Profile.masterDown() + 10*time.Second
}

// Ready waits until target's preferred host is the only one answering for
// the VIP and the election has been quiet for a while, and returns it: the
// state every scenario starts from. Quiet means, for the last master-down
// interval of the profile (at least the settle window): the client's probes
// were all answered by that host, only that host answered the sweeps, and
// no host's kernel gained or lost the VIP. A lab that has just elected its
// master is not quiet yet: a backup whose timer was about to expire may
// still take over briefly.
func (l *Lab) Ready(ctx context.Context, target int) (*Host, error) {
	h := l.hosts[l.opts.Groups[target].Preferred()]
	quiet := max(settleWindow, l.opts.Profile.masterDown())
	err := poll(ctx, l.takeoverTimeout()+quiet, fmt.Sprintf("waiting for %s alone to answer %s for %s", h.Name, l.targets[target], FormatDuration(quiet)), func() bool {
		if l.Answering(target, quiet) != h {
			return false
		}
		if hs, ok := l.SweepAnswerers(target, quiet); !ok || len(hs) != 1 || hs[0] != h {
			return false
		}
		now := time.Now()
		return len(l.VIPEvents(target, now.Add(-quiet), now)) == 0
	})
	if err != nil {
		return nil, err
	}
	return h, nil
}

// Change performs act and waits until a host for which want returns true
// answers target steadily, then measures what the client saw from just
// before act to then.
func (l *Lab) Change(ctx context.Context, target int, event string, from *Host, act func() error, want func(*Host) bool) (Result, error) {
	start := time.Now()
	if err := act(); err != nil {
		return Result{}, fmt.Errorf("lab: %s: %w", event, err)
	}
	var to *Host
	err := poll(ctx, l.takeoverTimeout(), fmt.Sprintf("%s: waiting for a new steady answer from %s", event, l.targets[target]), func() bool {
		to = l.Answering(target, settleWindow)
		return to != nil && want(to)
	})
	if err != nil {
		return Result{}, err
	}
	return l.Measure(target, event, from, to, start, time.Now().Add(-inFlight)), nil
}

// Measure computes a Result for target over [start, end] from the records.
func (l *Lab) Measure(target int, event string, from, to *Host, start, end time.Time) Result {
	r := Result{Event: event, Start: start, End: end, From: from.Name}
	if to != nil {
		r.To = to.Name
	}
	l.prober.view(target, func(t *Timeline, s *SweepLog) {
		r.Downtime = t.MaxGap(start, end).Duration()
		r.ClientSwitches = t.Switches(start, end)
		if to != nil && to != from {
			if at, ok := t.FirstAnswer(to.Index, start); ok {
				r.Takeover = at.Sub(start)
			}
		}
		_, r.Overlap = s.Overlap(start, end)
	})
	for _, e := range l.VIPEvents(target, start, end) {
		if e.Held {
			r.MasterChanges++
		}
	}
	return r
}

// other returns a predicate for "any host but h".
func other(h *Host) func(*Host) bool { return func(x *Host) bool { return x != h } }

// is returns a predicate for "h".
func is(h *Host) func(*Host) bool { return func(x *Host) bool { return x == h } }
