package sim

import (
	"errors"
	"fmt"
	"time"

	"github.com/vipd/vipd/internal/fsm"
)

// Epoch is time zero of the virtual clock. Times given to the simulator are
// offsets from it.
var Epoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// Config describes a simulated segment: its hosts, the groups they run and
// the network between them.
type Config struct {
	// Seed seeds the network's random choices (loss, jitter, duplication)
	// and is printed with every violation.
	Seed uint64
	// Hosts are the machines on the segment; a host's index is its id in
	// Actions and Members.
	Hosts []Host
	// Groups are the failover groups; each member host runs one
	// fsm.Machine per group.
	Groups []Group
	// Network is the initial delivery model; SetLoss changes its loss rate.
	Network Network
	// VIPLifetime is the kernel lifetime of the VIPs: a crashed host's
	// addresses stay on its interface this long (the runtime renews them
	// while it runs). 0 means they vanish with the process.
	VIPLifetime time.Duration
	// Skip turns invariants off; the zero value checks them all.
	Skip Checks
	// TraceAdverts records every advert sent, delivered, lost or dropped,
	// not only transitions, VIP changes and scripted events.
	TraceAdverts bool
}

// Host is one machine on the segment.
type Host struct {
	// Name appears in traces; empty means "h<index>".
	Name string
	// Boot is when the host's daemon first starts, as an offset from Epoch.
	Boot time.Duration
	// Off keeps the host down until a Restart action.
	Off bool
}

// Group is one failover group: its members and their election settings.
type Group struct {
	// Name appears in traces; empty means "g<index>".
	Name string
	// Members are the hosts in the group, each with its own fsm.Config.
	Members []Member
}

// Member is one host's part in a group.
type Member struct {
	// Host is the index of the host in Config.Hosts.
	Host int
	// Config is the host's machine configuration for the group.
	Config fsm.Config
}

// Network is the delivery model of the segment. Every delivery of an advert
// to one receiver is decided on its own.
type Network struct {
	// Loss is the probability that a delivery is lost, in [0, 1].
	Loss float64
	// Delay is the one-way delay every delivery takes at least.
	Delay time.Duration
	// Jitter is the most extra delay a delivery takes, drawn uniformly
	// from [0, Jitter]; adverts sent closer together than that can arrive
	// out of order.
	Jitter time.Duration
	// Duplicate is the probability that a delivery arrives twice, each copy
	// with its own delay.
	Duplicate float64
}

// maxDelay is the longest a delivery takes.
func (n Network) maxDelay() time.Duration { return n.Delay + n.Jitter }

func (c Config) validate() error {
	if len(c.Hosts) == 0 {
		return errors.New("sim: no hosts")
	}
	if len(c.Groups) == 0 {
		return errors.New("sim: no groups")
	}
	n := c.Network
	switch {
	case n.Loss < 0 || n.Loss > 1:
		return fmt.Errorf("sim: loss %v outside [0, 1]", n.Loss)
	case n.Duplicate < 0 || n.Duplicate > 1:
		return fmt.Errorf("sim: duplicate %v outside [0, 1]", n.Duplicate)
	case n.Delay < 0 || n.Jitter < 0 || c.VIPLifetime < 0:
		return errors.New("sim: negative delay, jitter or VIP lifetime")
	}
	for gi, g := range c.Groups {
		seen := make(map[int]bool)
		for _, m := range g.Members {
			if m.Host < 0 || m.Host >= len(c.Hosts) {
				return fmt.Errorf("sim: group %d: no host %d", gi, m.Host)
			}
			if seen[m.Host] {
				return fmt.Errorf("sim: group %d: host %d is a member twice", gi, m.Host)
			}
			seen[m.Host] = true
		}
	}
	return nil
}
