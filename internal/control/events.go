package control

import (
	"sync"
	"time"
)

// Event is one thing that happened in the daemon, as `vipd events` shows it.
type Event struct {
	Time  time.Time `json:"time"`
	Group string    `json:"group"`
	// Kind is transition, hook, admin or check.
	Kind string `json:"kind"`
	// From, To and Reason describe a transition (and the one a hook ran
	// for); for a check, From and To are its states (unknown, healthy,
	// failing) and Error the failed probe's error.
	From   string `json:"from,omitempty"`
	To     string `json:"to,omitempty"`
	Reason string `json:"reason,omitempty"`
	// Hook, ExitCode, TimedOut and Error describe a hook run.
	Hook     string `json:"hook,omitempty"`
	ExitCode *int   `json:"exit_code,omitempty"`
	TimedOut bool   `json:"timed_out,omitempty"`
	// Command is an operator command (kind admin).
	Command string `json:"command,omitempty"`
	Error   string `json:"error,omitempty"`
	// Check names the health check whose state changed (kind check).
	Check string `json:"check,omitempty"`
}

// recentEvents is how many past events a new subscriber gets first.
const recentEvents = 100

// subscriberQueue bounds what a slow subscriber may fall behind by before
// it is cut off: publishing never waits for a reader.
const subscriberQueue = 256

// Hub fans events out to subscribers and keeps the most recent ones. Safe
// for concurrent use; Publish never blocks.
type Hub struct {
	mu     sync.Mutex
	recent []Event
	subs   map[chan Event]struct{}
}

// NewHub returns an empty hub.
func NewHub() *Hub { return &Hub{subs: map[chan Event]struct{}{}} }

// Publish records ev and hands it to every subscriber; a subscriber whose
// queue is full is dropped (its channel closed) rather than waited for.
func (h *Hub) Publish(ev Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.recent = append(h.recent, ev)
	if len(h.recent) > recentEvents {
		h.recent = h.recent[len(h.recent)-recentEvents:]
	}
	for ch := range h.subs {
		select {
		case ch <- ev:
		default:
			delete(h.subs, ch)
			close(ch)
		}
	}
}

// Subscribe returns the recent events and a channel of the ones to come,
// closed when the subscriber falls too far behind or cancel is called.
func (h *Hub) Subscribe() (recent []Event, events <-chan Event, cancel func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	ch := make(chan Event, subscriberQueue)
	h.subs[ch] = struct{}{}
	recent = append([]Event(nil), h.recent...)
	return recent, ch, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		if _, ok := h.subs[ch]; ok {
			delete(h.subs, ch)
			close(ch)
		}
	}
}
