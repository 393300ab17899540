package carp

import "time"

// vipd's counters are tagged: the top 20 bits hold a fixed tag and the low
// 44 bits the send time in Unix milliseconds (enough until the year 2527).
// ucarp's counters are random, so one of them carries the tag with
// probability 2^-20; nothing else about a counter tells vipd's from ucarp's.
const (
	stampBits         = 44
	stampMask         = 1<<stampBits - 1
	counterTag uint64 = 0x76697 // "vi" and the high nibble of "p": 0x76697… on the wire
)

// tagged reports whether counter carries vipd's tag.
func tagged(counter uint64) bool { return counter>>stampBits == counterTag }

// stamp returns the tagged counter for time t, clamped to the 44-bit range.
func stamp(t time.Time) uint64 {
	ms := t.UnixMilli()
	switch {
	case ms < 0:
		ms = 0
	case ms > stampMask:
		ms = stampMask
	}
	return counterTag<<stampBits | uint64(ms)
}

// NextCounter returns the counter for vipd's next advertisement:
// max(prev+1, the tagged send time now). prev is the highest vipd counter
// the group has produced as far as this host knows ([ReplayGuard.HighWater]
// covers both its own and its peers'); passing it makes counters strictly
// increasing across failovers and restarts, and otherwise they follow the
// send time. A prev that vipd did not make is ignored, so that the result
// carries vipd's tag (until the year 2527, when the 44 bits run out).
func NextCounter(prev uint64, now time.Time) uint64 {
	if s := stamp(now); !tagged(prev) || prev < s {
		return s
	}
	return prev + 1
}

// CounterTime returns the send time a vipd counter carries, with
// millisecond precision, and false if the counter is not vipd's (ucarp's
// counters are random, or copied from a peer and incremented).
func CounterTime(counter uint64) (time.Time, bool) {
	if !tagged(counter) {
		return time.Time{}, false
	}
	return time.UnixMilli(int64(counter & stampMask)), true
}

// ReplayGuard rejects replayed advertisements for one group. Its rule: a
// vipd counter (tagged) is accepted only if it is greater than every vipd
// counter this host has accepted, and not less than the last one it sent,
// whatever the source address: the HMAC does not cover the source, so
// per-source state could be sidestepped by spoofing one. A counter equal to
// the host's own last one is accepted (once) because two hosts that become
// master in the same millisecond compute the same counter and must still
// hear each other. Counters vipd did not make (ucarp's) are accepted, since
// a ucarp master that has heard no peer draws a new random counter for
// every advertisement and so has no order to check, unless RequireTagged is
// set. The package doc says what this guarantees.
//
// Use one guard per group. For each received advertisement: Parse, Verify,
// then Check, and Accept only if all three passed, so that a forged packet
// can never move the guard. Take the counter of each advertisement to send
// from Next. The zero value is ready to use.
type ReplayGuard struct {
	// MaxAge, if positive, rejects a vipd counter whose send time is more
	// than MaxAge before or after now. It needs clocks synchronised to
	// well within MaxAge and is meant for groups of vipd hosts only: a
	// ucarp peer that copied a vipd counter keeps incrementing it by one
	// and so ages. Zero turns the check off.
	MaxAge time.Duration
	// RequireTagged rejects every counter vipd did not make. Set it for a
	// group with no ucarp peers: it also rejects replays of adverts that
	// ucarp hosts sent with the same password, vhid and addresses.
	RequireTagged bool
	// Grace, if positive, still accepts a vipd counter that is not above
	// the mark when its send time is within Grace of now. A ucarp peer
	// copies the counter of the last advertisement it processed and adds
	// one per advertisement it sends; after its link returns that may be
	// an advertisement queued while it was away, older than the group's
	// newest, and the peer then stays unheard until it copies a fresh one.
	// The price: an advertisement replayed within Grace of its sending is
	// accepted. Zero keeps the strict order.
	Grace time.Duration

	accepted uint64 // highest vipd counter accepted; 0 for none
	sent     uint64 // last counter Next returned; 0 for none
}

// Check returns nil if an advertisement with counter, received at now,
// passes the guard, or ErrReplay, ErrStale or ErrUntagged. It records
// nothing: call Accept after the advertisement has also passed Verify.
func (g *ReplayGuard) Check(counter uint64, now time.Time) error {
	if !tagged(counter) {
		if g.RequireTagged {
			return ErrUntagged
		}
		return nil
	}
	if counter <= g.accepted || counter < g.sent {
		if t, _ := CounterTime(counter); g.Grace > 0 && !t.Before(now.Add(-g.Grace)) && !t.After(now.Add(g.Grace)) {
			return nil
		}
		return ErrReplay
	}
	if g.MaxAge > 0 {
		t, _ := CounterTime(counter)
		if t.Before(now.Add(-g.MaxAge)) || t.After(now.Add(g.MaxAge)) {
			return ErrStale
		}
	}
	return nil
}

// Accept records an authenticated counter that passed Check. Counters vipd
// did not make are not recorded.
func (g *ReplayGuard) Accept(counter uint64) {
	if tagged(counter) {
		g.accepted = max(g.accepted, counter)
	}
}

// Next returns the counter for this host's next advertisement in the group,
// NextCounter(HighWater(), now), and records it. Since every vipd host
// continues from the highest counter it has seen, its peers accept it
// whatever their clocks say.
func (g *ReplayGuard) Next(now time.Time) uint64 {
	g.sent = max(g.sent, NextCounter(g.HighWater(), now))
	return g.sent
}

// HighWater returns the highest vipd counter accepted or sent, 0 if none.
// Persist it across restarts and give it back with Restore: a guard that
// starts empty accepts captured advertisements, oldest first, until it
// accepts or sends a newer genuine one.
func (g *ReplayGuard) HighWater() uint64 { return max(g.accepted, g.sent) }

// Restore raises the high-water mark to high, typically the value HighWater
// returned before a restart: from then on only counters above it are
// accepted. It never lowers the mark, and ignores values vipd did not make.
func (g *ReplayGuard) Restore(high uint64) { g.Accept(high) }
