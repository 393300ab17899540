package control

import (
	"context"
	"sync"
)

// DefaultTimelineSize is how many transitions the status page shows.
const DefaultTimelineSize = 50

// TransitionSource is implemented by a Source that keeps the recent
// transitions (usually in a Timeline); the status page at / shows them.
// A Source without it gets a page without a timeline.
type TransitionSource interface {
	// Transitions returns the most recent transitions, oldest first.
	Transitions() []Event
}

// Timeline keeps the last transitions of every group, so that the status
// page can show them without holding the whole event history. It has its
// own ring, not the Hub's recent events, because hook and admin events
// would otherwise push transitions out. Safe for concurrent use.
type Timeline struct {
	mu   sync.Mutex
	ring []Event // len(ring) == cap until full, then fixed
	next int     // where the next event goes once the ring is full
}

// NewTimeline returns an empty timeline that keeps the last size
// transitions (DefaultTimelineSize if size < 1).
func NewTimeline(size int) *Timeline {
	if size < 1 {
		size = DefaultTimelineSize
	}
	return &Timeline{ring: make([]Event, 0, size)}
}

// Record keeps ev if it is a transition and ignores every other kind.
func (t *Timeline) Record(ev Event) {
	if ev.Kind != "transition" {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.record(ev)
}

func (t *Timeline) record(ev Event) {
	if len(t.ring) < cap(t.ring) {
		t.ring = append(t.ring, ev)
		return
	}
	t.ring[t.next] = ev
	t.next = (t.next + 1) % len(t.ring)
}

// Transitions returns the kept transitions, oldest first.
func (t *Timeline) Transitions() []Event {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.ordered()
}

func (t *Timeline) ordered() []Event {
	out := make([]Event, 0, len(t.ring))
	out = append(out, t.ring[t.next:]...)
	return append(out, t.ring[:t.next]...)
}

// Follow records the transitions published on hub until ctx ends, starting
// with those among the hub's recent events. The hub cuts off a subscriber
// that falls behind; Follow then subscribes again and catches up from the
// recent events without recording any twice.
func (t *Timeline) Follow(ctx context.Context, hub *Hub) {
	for ctx.Err() == nil {
		recent, events, cancel := hub.Subscribe()
		t.catchUp(recent)
		t.drain(ctx, events)
		cancel()
	}
}

// drain records events until the hub closes the channel or ctx ends.
func (t *Timeline) drain(ctx context.Context, events <-chan Event) {
	for {
		select {
		case ev, ok := <-events:
			if !ok {
				return
			}
			t.Record(ev)
		case <-ctx.Done():
			return
		}
	}
}

// catchUp records the transitions of recent (oldest first) that are newer
// than what the timeline holds: events older than its newest, or equal to
// one it holds, were recorded before.
func (t *Timeline) catchUp(recent []Event) {
	t.mu.Lock()
	defer t.mu.Unlock()
	have := t.ordered()
	for _, ev := range recent {
		if ev.Kind != "transition" {
			continue
		}
		if n := len(have); n > 0 && ev.Time.Before(have[n-1].Time) {
			continue
		}
		if containsEvent(have, ev) {
			continue
		}
		t.record(ev)
	}
}

func containsEvent(evs []Event, ev Event) bool {
	for _, e := range evs {
		if e.Time.Equal(ev.Time) && e.Group == ev.Group && e.Kind == ev.Kind &&
			e.From == ev.From && e.To == ev.To && e.Reason == ev.Reason {
			return true
		}
	}
	return false
}
