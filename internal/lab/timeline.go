package lab

import (
	"sort"
	"time"
)

// Timeline is the client's record of the answers to one probe stream to
// one VIP: when each answer arrived and which host sent it. Probes go out
// every probe interval, routed as any client's packets are (through the
// client's ARP entry for the VIP), so a gap between answers is exactly
// what a client of the VIP would have seen. Arrival times, not send times,
// count: while the client's neighbour entry for the VIP is being resolved
// the kernel queues the probes and releases them once a host answers, so a
// probe sent during an outage may still be answered, late.
type Timeline struct {
	// Hosts names the hosts; By holds indexes into it.
	Hosts []string
	// At is when each answer arrived, in arrival order.
	At []time.Time
	// By is the index of the host that sent each answer.
	By []int8
	// Sent counts the probes sent.
	Sent int
}

// Gap is a stretch without answers.
type Gap struct {
	// Start is when the last answer before the gap arrived (or the start
	// of the window if there was none), End when the first one after it
	// did (or the end of the window if none did).
	Start, End time.Time
	// Before and After are the indexes of the hosts that answered on
	// either side, -1 where there was no answer.
	Before, After int
}

// Duration is End − Start: with probes every interval i, an outage that
// lost k probes shows as a gap of about (k+1)·i, and no outage as i.
func (g Gap) Duration() time.Duration { return g.End.Sub(g.Start) }

// index returns the first answer that arrived at or after t.
func (t *Timeline) index(at time.Time) int {
	return sort.Search(len(t.At), func(i int) bool { return !t.At[i].Before(at) })
}

// lastBefore returns the index of the last answer that arrived at or
// before at, or -1.
func (t *Timeline) lastBefore(at time.Time) int {
	return sort.Search(len(t.At), func(i int) bool { return t.At[i].After(at) }) - 1
}

// MaxGap returns the longest gap between consecutive answers over
// [from, to]: the first gap starts at the last answer at or before from (or
// at from if there was none) and, if the answers had not resumed by to,
// the trailing stretch counts as a gap ending at to.
func (t *Timeline) MaxGap(from, to time.Time) Gap {
	prev, prevBy := from, -1
	i := t.lastBefore(from)
	if i >= 0 {
		prev, prevBy = t.At[i], int(t.By[i])
	}
	best := Gap{Start: prev, End: prev, Before: prevBy, After: prevBy}
	for i++; i < len(t.At) && !t.At[i].After(to); i++ {
		if g := (Gap{Start: prev, End: t.At[i], Before: prevBy, After: int(t.By[i])}); g.Duration() > best.Duration() {
			best = g
		}
		prev, prevBy = t.At[i], int(t.By[i])
	}
	if g := (Gap{Start: prev, End: to, Before: prevBy, After: -1}); g.Duration() > best.Duration() {
		best = g
	}
	return best
}

// Switches counts how often the answering host changed between consecutive
// answers over [from, to], starting from the last answer at or before from:
// a takeover at from counts as one.
func (t *Timeline) Switches(from, to time.Time) int {
	n, last := 0, -1
	i := t.lastBefore(from)
	if i >= 0 {
		last = int(t.By[i])
	}
	for i++; i < len(t.At) && !t.At[i].After(to); i++ {
		if by := int(t.By[i]); last >= 0 && by != last {
			n++
		}
		last = int(t.By[i])
	}
	return n
}

// AnsweredBy returns how many answers in [from, to] each host sent,
// indexed like Hosts.
func (t *Timeline) AnsweredBy(from, to time.Time) []int {
	counts := make([]int, len(t.Hosts))
	for i := t.index(from); i < len(t.At) && !t.At[i].After(to); i++ {
		if by := t.By[i]; by >= 0 && int(by) < len(counts) {
			counts[by]++
		}
	}
	return counts
}

// FirstAnswer returns when the first answer from host at or after from
// arrived.
func (t *Timeline) FirstAnswer(host int, from time.Time) (time.Time, bool) {
	for i := t.index(from); i < len(t.At); i++ {
		if int(t.By[i]) == host {
			return t.At[i], true
		}
	}
	return time.Time{}, false
}

// SettledOn reports the host that sent every answer in [to − window, to],
// with no gap longer than maxGap in that window (including its edges); ok
// is false if no single host did, or the record is younger than window.
func (t *Timeline) SettledOn(to time.Time, window, maxGap time.Duration) (host int, ok bool) {
	from := to.Add(-window)
	if len(t.At) == 0 || t.At[0].After(from) {
		return -1, false
	}
	host, prev := -1, from
	for i := t.index(from); i < len(t.At) && !t.At[i].After(to); i++ {
		by := int(t.By[i])
		if host >= 0 && by != host {
			return -1, false
		}
		if t.At[i].Sub(prev) > maxGap {
			return -1, false
		}
		host, prev = by, t.At[i]
	}
	if host < 0 || to.Sub(prev) > maxGap {
		return -1, false
	}
	return host, true
}

// SweepLog is the record of the sweep probes to one VIP: in each round the
// client sent one probe to every host's MAC address directly, and each host
// that held the VIP answered. Two bits in one round mean two hosts would
// have answered clients for the VIP at the same time.
type SweepLog struct {
	// Hosts names the hosts; bit i of Answered is Hosts[i].
	Hosts []string
	// Sent is when each round was sent.
	Sent []time.Time
	// Answered has a bit per host that answered the round.
	Answered []uint8
}

// index returns the first round sent at or after t.
func (s *SweepLog) index(at time.Time) int {
	return sort.Search(len(s.Sent), func(i int) bool { return !s.Sent[i].Before(at) })
}

// Overlap returns how many rounds sent in [from, to] more than one host
// answered, and how long that lasted in all: each such round counts until
// the next round was sent.
func (s *SweepLog) Overlap(from, to time.Time) (rounds int, total time.Duration) {
	for i := s.index(from); i < len(s.Sent) && !s.Sent[i].After(to); i++ {
		if popcount(s.Answered[i]) > 1 {
			rounds++
			if i+1 < len(s.Sent) {
				total += s.Sent[i+1].Sub(s.Sent[i])
			}
		}
	}
	return rounds, total
}

// Holders returns the hosts (as a bit set) that answered any round sent in
// [from, to].
func (s *SweepLog) Holders(from, to time.Time) uint8 {
	var set uint8
	for i := s.index(from); i < len(s.Sent) && !s.Sent[i].After(to); i++ {
		set |= s.Answered[i]
	}
	return set
}

// StableHolders returns the set of hosts that answered every round sent in
// [to − window, to], if every round in that window was answered by exactly
// that set; ok is false otherwise or if there were no rounds.
func (s *SweepLog) StableHolders(to time.Time, window time.Duration) (set uint8, ok bool) {
	from := to.Add(-window)
	if len(s.Sent) == 0 || s.Sent[0].After(from) {
		return 0, false
	}
	n := 0
	for i := s.index(from); i < len(s.Sent) && !s.Sent[i].After(to); i++ {
		if n > 0 && s.Answered[i] != set {
			return 0, false
		}
		set = s.Answered[i]
		n++
	}
	return set, n > 0
}

// popcount counts the bits set in b.
func popcount(b uint8) int {
	n := 0
	for ; b != 0; b &= b - 1 {
		n++
	}
	return n
}
