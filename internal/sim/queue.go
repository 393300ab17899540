package sim

import (
	"container/heap"
	"time"

	"github.com/vipd/vipd/internal/fsm"
)

// eventKind says what an event does when its time comes.
type eventKind uint8

const (
	// evTimer: a machine's deadline (one reusable event per member).
	evTimer eventKind = iota
	// evDeliver: an advert arrives at a member.
	evDeliver
	// evAction: a scripted Action.
	evAction
	// evExpire: a crashed host's VIPs reach the end of their lifetime.
	evExpire
	// evConverge: the end of a heal's or a lossy period's convergence window.
	evConverge
)

// event is one entry of the queue. Timers are allocated once per member and
// moved with heap.Fix; deliveries come from a free list.
type event struct {
	at    time.Time
	seq   uint64 // FIFO among events at the same instant
	index int    // position in the heap; -1 when not queued
	kind  eventKind

	to, from *member   // evTimer, evDeliver, evExpire
	input    fsm.Input // evDeliver: the AdvertReceived, boxed once per send
	action   Action    // evAction
	origin   time.Time // evConverge: the heal or the end of loss
	g        *group    // evConverge
	lossy    bool      // evConverge: after a lossy period rather than a heal
}

// queue is a min-heap of events by (at, seq).
type queue []*event

func (q queue) Len() int { return len(q) }

func (q queue) Less(i, j int) bool {
	if !q[i].at.Equal(q[j].at) {
		return q[i].at.Before(q[j].at)
	}
	return q[i].seq < q[j].seq
}

func (q queue) Swap(i, j int) {
	q[i], q[j] = q[j], q[i]
	q[i].index, q[j].index = i, j
}

func (q *queue) Push(x any) {
	e := x.(*event)
	e.index = len(*q)
	*q = append(*q, e)
}

func (q *queue) Pop() any {
	old := *q
	e := old[len(old)-1]
	old[len(old)-1] = nil
	*q = old[:len(old)-1]
	e.index = -1
	return e
}

// schedule queues e at t, keeping FIFO order among equal times.
func (s *Sim) schedule(e *event, t time.Time) {
	s.seq++
	e.at, e.seq = t, s.seq
	if e.index >= 0 {
		heap.Fix(&s.q, e.index)
		return
	}
	heap.Push(&s.q, e)
}

// unschedule takes e off the queue if it is on it.
func (s *Sim) unschedule(e *event) {
	if e.index >= 0 {
		heap.Remove(&s.q, e.index)
	}
}

// newEvent returns a cleared event of kind k, reusing a freed one.
func (s *Sim) newEvent(k eventKind) *event {
	var e *event
	if n := len(s.free); n > 0 {
		e = s.free[n-1]
		s.free = s.free[:n-1]
		*e = event{}
	} else {
		e = new(event)
	}
	e.kind, e.index = k, -1
	return e
}

// release returns a one-shot event to the free list.
func (s *Sim) release(e *event) {
	if e.kind != evTimer {
		e.to, e.from, e.action, e.g, e.input = nil, nil, nil, nil, nil
		s.free = append(s.free, e)
	}
}
