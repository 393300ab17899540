package fsm

import (
	"errors"
	"time"
)

// VRRP is the election policy of VRRPv2 (RFC 3768) and VRRPv3 (RFC 5798):
// higher priority wins, ties go to the higher primary address.
type VRRP struct {
	// Version is 2 or 3.
	Version int
	// DownAdverts is the number of advert intervals in the master-down
	// interval: 3 in the RFCs, keepalived's down_timer_adverts. 0 means 3.
	DownAdverts int
	// ResignSkewBase, when set, replaces the interval in the Skew_Time a
	// backup waits after the master resigned: (256 − priority)/256 of it.
	// The RFC value (0) makes a backup at priority 100 wait 61 % of an
	// advert interval; a few milliseconds keeps the priority order among
	// backups and hands over at once.
	ResignSkewBase time.Duration
}

func (p VRRP) downAdverts() int64 {
	if p.DownAdverts <= 0 {
		return 3
	}
	return int64(p.DownAdverts)
}

// masterInterval is the Master_Adver_Interval a backup uses: learned from
// the master in VRRPv3 (RFC 5798 §6.4.2), fixed per router in VRRPv2, where
// adverts with another interval are discarded (RFC 3768 §7.1).
func (p VRRP) masterInterval(self, master Advert) time.Duration {
	if p.Version == 3 && master.Interval > 0 {
		return master.Interval
	}
	return self.Interval
}

func (p VRRP) skewBase(mi time.Duration) time.Duration {
	if p.Version == 3 {
		return mi
	}
	return time.Second
}

// Outranks implements RFC 5798 §6.4.3: greater priority, or equal priority
// and greater primary address.
func (VRRP) Outranks(a, b Advert) bool {
	if a.Priority != b.Priority {
		return a.Priority > b.Priority
	}
	return a.From.Compare(b.From) > 0
}

// Preempts implements RFC 5798 §6.4.2: a backup discards (and so preempts)
// only adverts of strictly lower priority.
func (VRRP) Preempts(self, master Advert) bool { return self.Priority > master.Priority }

// PreemptsAtOnce is false: RFC 5798 §6.4.2 discards the lesser master's
// adverts and lets the master-down timer expire.
func (VRRP) PreemptsAtOnce() bool { return false }

// MasterDown implements RFC 5798 §6.1: Master_Down_Interval =
// 3 × Master_Adver_Interval + Skew_Time (RFC 3768 §6.1 for v2, with
// Skew_Time = (256 − Priority)/256 s).
func (p VRRP) MasterDown(self, master Advert) time.Duration {
	mi := p.masterInterval(self, master)
	return time.Duration(p.downAdverts())*mi + skew(self.Priority, p.skewBase(mi))
}

// ResignWait implements RFC 5798 §6.4.2: on priority 0, set the
// Master_Down_Timer to Skew_Time, with ResignSkewBase as the base if set.
func (p VRRP) ResignWait(self, master Advert) time.Duration {
	if p.ResignSkewBase > 0 {
		return skew(self.Priority, p.ResignSkewBase)
	}
	return skew(self.Priority, p.skewBase(p.masterInterval(self, master)))
}

// Check implements RFC 3768 §7.1: a VRRPv2 advert whose Adver Int differs
// from the local one is discarded.
func (p VRRP) Check(self, peer Advert) Drop {
	if p.Version == 2 && !peer.Resign && peer.Interval != self.Interval {
		return DropIntervalMismatch
	}
	return DropNone
}

// Weighted moves the priority by weight within 1–254; the address owner
// (255) keeps its priority, as keepalived does.
func (VRRP) Weighted(base Advert, weight int) Advert {
	if base.Priority == 255 {
		return base
	}
	base.Priority = uint8(min(max(int(base.Priority)+weight, 1), 254))
	return base
}

// Validate checks the priority (RFC 5798 §5.2.4: 1–255 for a router's own
// standing) and the interval (v3: 10 ms steps up to 40.95 s, §5.2.7; v2:
// whole seconds up to 255, RFC 3768 §5.3.7).
func (p VRRP) Validate(self Advert) error {
	switch {
	case p.Version != 2 && p.Version != 3:
		return errors.New("fsm: vrrp version must be 2 or 3")
	case self.Priority == 0:
		return errors.New("fsm: vrrp priority must be 1-255")
	case p.Version == 3 && (self.Interval < 10*time.Millisecond || self.Interval > 4095*10*time.Millisecond || self.Interval%(10*time.Millisecond) != 0):
		return errors.New("fsm: vrrp3 interval must be a multiple of 10ms between 10ms and 40.95s")
	case p.Version == 2 && (self.Interval < time.Second || self.Interval > 255*time.Second || self.Interval%time.Second != 0):
		return errors.New("fsm: vrrp2 interval must be whole seconds between 1s and 255s")
	}
	return nil
}

// Lowest is priority 1 at self's interval (RFC 5798 §5.2.4).
func (VRRP) Lowest(self Advert) Advert {
	self.Priority = 1
	return self
}
