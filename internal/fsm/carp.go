package fsm

import (
	"errors"
	"net/netip"
	"time"
)

// carpSkewUnit is one step of CARP's advskew: 1/256 s, exactly 3906250 ns.
const carpSkewUnit = time.Second / 256

// CARP is the election policy of CARP as ucarp 1.5.2 and OpenBSD's ip_carp.c
// implement it: the shorter interval (advbase + advskew/256 s) wins.
type CARP struct {
	// DeadRatio is the number of advbase periods a backup waits (ucarp
	// --deadratio, default 3). 0 means 3.
	DeadRatio int
	// ResignSkewBase, when set, makes a backup wait advskew/256 of it after
	// the master resigned, so that among several vipd backups the best one
	// takes over first. 0 takes over at once, as ucarp does.
	ResignSkewBase time.Duration
}

func (p CARP) deadRatio() time.Duration {
	if p.DeadRatio <= 0 {
		return 3
	}
	return time.Duration(p.DeadRatio)
}

// carpParts splits an interval into advbase seconds and advskew steps.
func carpParts(interval time.Duration) (base, skewPart time.Duration) {
	base = interval.Truncate(time.Second)
	return base, interval - base
}

// carpHostOrder is ucarp's comparison key for a source address: ucarp
// compares the in-memory IPv4 address as a host integer, which on x86 reads
// the four bytes little-endian, so the last octet weighs most (checked
// against ucarp 1.5.2: 192.0.3.1 beats 192.0.2.2).
func carpHostOrder(a netip.Addr) uint32 {
	if !a.Is4() {
		return 0
	}
	b := a.As4()
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

// Outranks: the more frequent advertiser wins; on equal intervals ucarp
// keeps the lower source address (in its host byte order) as master. IPv6
// sources, which ucarp never sends, compare in network order.
func (CARP) Outranks(a, b Advert) bool {
	if a.Interval != b.Interval {
		return a.Interval < b.Interval
	}
	if a.From.Is4() && b.From.Is4() {
		return carpHostOrder(a.From) < carpHostOrder(b.From)
	}
	return a.From.Compare(b.From) < 0
}

// Preempts: ip_carp.c preempts only a strictly slower master.
func (CARP) Preempts(self, master Advert) bool { return self.Interval < master.Interval }

// PreemptsAtOnce is true: a CARP backup with preemption treats a slower
// master as down as soon as it hears it (ip_carp.c, ucarp -P).
func (CARP) PreemptsAtOnce() bool { return true }

// MasterDown is advbase × dead ratio + advskew/256 s, from the backup's own
// settings (ucarp); the master's interval does not enter.
func (p CARP) MasterDown(self, _ Advert) time.Duration {
	base, skewPart := carpParts(self.Interval)
	return base*p.deadRatio() + skewPart
}

// ResignWait: ucarp treats a leaving master (advbase 255) as bound to time
// out and takes over at once; ResignSkewBase staggers vipd backups instead.
func (p CARP) ResignWait(self, _ Advert) time.Duration {
	if p.ResignSkewBase <= 0 {
		return 0
	}
	_, skewPart := carpParts(self.Interval)
	return time.Duration(int64(skewPart/carpSkewUnit)) * p.ResignSkewBase / 256
}

// Check accepts every authenticated CARP advert.
func (CARP) Check(_, _ Advert) Drop { return DropNone }

// Weighted moves advskew by weight steps: a negative weight advertises less
// often (worse), a positive one more often, within advskew 0–254 (1–254
// with advbase 0).
func (CARP) Weighted(base Advert, weight int) Advert {
	adv, skewPart := carpParts(base.Interval)
	least := 0
	if adv == 0 {
		least = 1 // advbase 0 with advskew 0 is no interval at all
	}
	steps := min(max(int(skewPart/carpSkewUnit)-weight, least), 254)
	base.Interval = adv + time.Duration(steps)*carpSkewUnit
	return base
}

// Validate checks that the interval is a whole advbase (0–254 s) plus
// advskew steps of 1/256 s (0–254), not both zero (ucarp refuses it).
func (CARP) Validate(self Advert) error {
	base, skewPart := carpParts(self.Interval)
	switch {
	case self.Interval <= 0:
		return errors.New("fsm: carp interval must be positive (advbase and advskew not both 0)")
	case base > 254*time.Second:
		return errors.New("fsm: carp advbase must be at most 254")
	case skewPart%carpSkewUnit != 0 || skewPart/carpSkewUnit > 254:
		return errors.New("fsm: carp advskew must be whole 1/256 s steps, at most 254")
	}
	return nil
}

// Lowest is advskew 254 at self's advbase: backups' advbase is their own,
// and ucarp groups use one advbase throughout.
func (CARP) Lowest(self Advert) Advert {
	base, _ := carpParts(self.Interval)
	self.Interval = base + 254*carpSkewUnit
	return self
}
