package fsm

import (
	"errors"
	"fmt"
	"time"
)

// Config is one group's election settings on this host.
type Config struct {
	// Policy is the protocol's election rules: VRRP or CARP.
	Policy Policy
	// Self is this host's base standing: its primary address, priority
	// (VRRP) and advert interval. Health weights move it. Self.From may be
	// left invalid while the address is not known (the interface is
	// missing): the machine stays in Fault until SourceChanged gives one.
	Self Advert
	// Preempt lets a better backup take over from a lesser master.
	Preempt bool
	// PreemptDelay holds preemption off for this long after the group
	// (re)enters Backup from Init or Fault, so that a host that just booted
	// can settle before it takes the VIPs back (keepalived preempt_delay).
	PreemptDelay time.Duration
	// Announce is the gratuitous ARP / NA schedule after a takeover.
	Announce AnnounceSchedule
	// HandoverTimeout bounds how long a resigning master keeps its VIPs
	// while waiting to hear its successor. 0 means the longest wait of the
	// lowest-standing backup (Policy.Lowest) plus one advert interval.
	HandoverTimeout time.Duration
	// AdvertsPerInterval sends the master's advert this many times per
	// advertised interval, evenly spaced. Peers still time out by the
	// advertised interval, so a backup only takes over when every copy in
	// its wait is lost: on a lossy link this buys tolerance of misses
	// without slower detection. 0 means 1.
	AdvertsPerInterval int
}

// MaxAdvertsPerInterval bounds Config.AdvertsPerInterval: beyond it the
// adverts cost more than they add.
const MaxAdvertsPerInterval = 10

// AnnounceSchedule says when a new master announces its VIPs: once at the
// takeover, Repeats more times Spacing apart (more than the 1 s Linux ARP
// lock time, or the repeats are ignored), then every Refresh if set (switch
// forwarding tables age faster than ARP caches).
type AnnounceSchedule struct {
	Repeats int
	Spacing time.Duration
	Refresh time.Duration
}

func (c Config) validate() error {
	if c.Policy == nil {
		return errors.New("fsm: config has no policy")
	}
	if err := c.Policy.Validate(c.Self); err != nil {
		return err
	}
	switch {
	case c.PreemptDelay < 0:
		return errors.New("fsm: preempt delay must not be negative")
	case c.Announce.Repeats < 0:
		return errors.New("fsm: announce repeats must not be negative")
	case c.Announce.Repeats > 0 && c.Announce.Spacing <= 0:
		return fmt.Errorf("fsm: %d announce repeats need a positive spacing", c.Announce.Repeats)
	case c.Announce.Refresh < 0:
		return errors.New("fsm: announce refresh must not be negative")
	case c.HandoverTimeout < 0:
		return errors.New("fsm: handover timeout must not be negative")
	case c.AdvertsPerInterval < 0 || c.AdvertsPerInterval > MaxAdvertsPerInterval:
		return fmt.Errorf("fsm: adverts per interval %d is outside 0-%d", c.AdvertsPerInterval, MaxAdvertsPerInterval)
	}
	return nil
}

// handoverTimeout is the default bound: the longest any backup can wait
// before taking over, whether it heard the resign advert (ResignWait) or lost
// it (MasterDown), for the lowest standing a backup can have, plus one
// advert interval for the successor's advert to arrive.
func (c Config) handoverTimeout() time.Duration {
	if c.HandoverTimeout > 0 {
		return c.HandoverTimeout
	}
	p := c.Policy
	worst := p.Lowest(c.Self)
	return max(p.MasterDown(worst, c.Self), p.ResignWait(worst, c.Self)) + c.Self.Interval
}

// advertPeriod is the time between two adverts of a master whose
// advertised interval is interval.
func (c Config) advertPeriod(interval time.Duration) time.Duration {
	return interval / time.Duration(max(c.AdvertsPerInterval, 1))
}
