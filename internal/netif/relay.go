package netif

import (
	"net/netip"
	"time"
)

// A hypervisor that leaves one virtual CPU unscheduled stops every thread
// on it, timers included, while the host's other CPUs run on: measured on
// a small VM, single-CPU stalls of 10-26 ms every few tens of seconds. A
// master whose loop sits on that CPU falls silent, and a backup on another
// CPU (or host) takes a silence of 22 ms for a dead master. A Relay keeps
// the master's adverts going from threads held on other CPUs until the
// loop speaks again.

// Outgoing is one encoded advert and where it goes, as given to
// AdvertConn.Send.
type Outgoing struct {
	Payload []byte
	Dst     netip.Addr
}

// RelayTiming says when a relay speaks for a silent loop.
type RelayTiming struct {
	// Every is the loop's own send period; the relay sends at this rate.
	Every time.Duration
	// After is how long after the loop's last send the relay starts: more
	// than Every, so that a loop on time never sends twice.
	After time.Duration
	// For is how long after the loop's last send the relay stops, so that
	// a loop that hangs for good lets the backups take over, later by at
	// most For.
	For time.Duration
}

// Relay sends a master's latest adverts again while the loop that sends
// them is silent. Its methods are called from one goroutine, the loop's.
type Relay interface {
	// Sent records that the loop has just sent these adverts; the relay
	// copies them. From After to For later, unless Sent or Quiet is called
	// again, the relay sends them every Every.
	Sent(adverts []Outgoing)
	// Quiet forgets the adverts: once it returns, the relay sends nothing
	// until the next Sent. The loop calls it before it resigns or leaves
	// the master state, so that no stale advert follows.
	Quiet()
	// Relayed counts the adverts the relay has sent. It may be called from
	// any goroutine.
	Relayed() uint64
	// Close stops the relay and waits for its threads; the connection
	// stays open.
	Close() error
}

// Relays starts relays.
type Relays interface {
	// Start starts a relay that sends through conn, which must outlive it.
	Start(conn AdvertConn, t RelayTiming) (Relay, error)
}

// RelayState is what a relay remembers between turns, as times on one
// monotonic clock.
type RelayState struct {
	// Armed says Sent was called, and Quiet not since.
	Armed bool
	// LoopSent is when the loop last sent; RelaySent when the relay did.
	LoopSent, RelaySent time.Duration
}

// Turn is a relay's decision when its timer fires at now: whether to send
// (recorded in s) and when to wake next, or 0 to sleep until Sent. A relay
// with several threads runs every thread's turn on one state, so that only
// one of them sends per period.
func (t RelayTiming) Turn(s *RelayState, now time.Duration) (send bool, next time.Duration) {
	switch {
	case !s.Armed || now >= s.LoopSent+t.For:
		return false, 0
	case now < s.LoopSent+t.After:
		return false, s.LoopSent + t.After
	case now < s.RelaySent+t.Every/2:
		return false, s.RelaySent + t.Every
	}
	s.RelaySent = now
	return true, now + t.Every
}

// Valid reports whether the timing can run: 0 < Every < After, For > 0.
func (t RelayTiming) Valid() bool {
	return t.Every > 0 && t.After > t.Every && t.For > 0
}
