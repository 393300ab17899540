package sim

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/vipd/vipd/internal/fsm"
)

// Action is a scripted event: a disturbance of a host, the operator or the
// network. The set is closed: the types in this file are all there is. Every
// action is a disturbance in the sense of the invariants (see invariants.go).
//
// Host fields take a host index, or MasterOf(g): whichever host is master of
// group g when the action runs (the first by index; the action does nothing
// if there is none).
type Action interface {
	// apply carries the action out at s.now.
	apply(s *Sim)
	// String renders the action for traces, with the host as given.
	String() string
}

// MasterOf stands for the master of group g at the time an action runs, in
// the Host field of an Action.
func MasterOf(g int) int { return -1 - g }

func hostString(h int) string {
	if h < 0 {
		return fmt.Sprintf("master-of-g%d", -1-h)
	}
	return fmt.Sprintf("h%d", h)
}

// Crash kills a host's daemon: its machines are discarded without a word,
// and its VIPs stay until Config.VIPLifetime has passed. If For is positive
// the host restarts that long after.
type Crash struct {
	Host int
	For  time.Duration
}

// Restart (re)starts a host's daemon with fresh machines, under the host's
// link state, last health and persisted maintenance flags. A running host is
// crashed first.
type Restart struct{ Host int }

// Shutdown stops a host's daemon gracefully: every group gets fsm.Shutdown,
// so a master hands over (make-before-break) before it stops. If For is
// positive the host restarts that long after.
type Shutdown struct {
	Host int
	For  time.Duration
}

// SetLink brings a host's interface down or up: a host whose link is down
// neither sends nor receives.
type SetLink struct {
	Host int
	Up   bool
}

// SetHealth reports a group's combined health check result on a host.
type SetHealth struct {
	Host, Group int
	Fault       bool
	Weight      int
}

// Admin is an operator command for a group on a host.
type Admin struct {
	Host, Group int
	Command     fsm.Command
}

// Partition splits the segment: hosts (by index) in the same inner slice
// reach each other; hosts listed nowhere form one more side together. It
// replaces any partition in force.
type Partition struct{ Sides [][]int }

// Heal ends any partition.
type Heal struct{}

// SetLoss changes the network's loss rate.
type SetLoss struct{ Rate float64 }

// String renders the action for traces.
func (a Crash) String() string { return "crash " + hostString(a.Host) + forString(a.For) }

// String renders the action for traces.
func (a Restart) String() string { return "restart " + hostString(a.Host) }

// String renders the action for traces.
func (a Shutdown) String() string { return "shutdown " + hostString(a.Host) + forString(a.For) }

// String renders the action for traces.
func (a SetLink) String() string {
	if a.Up {
		return "link-up " + hostString(a.Host)
	}
	return "link-down " + hostString(a.Host)
}

// String renders the action for traces.
func (a SetHealth) String() string {
	return fmt.Sprintf("health %s g%d fault=%t weight=%d", hostString(a.Host), a.Group, a.Fault, a.Weight)
}

// String renders the action for traces.
func (a Admin) String() string {
	return fmt.Sprintf("admin %s g%d %s", hostString(a.Host), a.Group, a.Command)
}

// String renders the action for traces.
func (a Partition) String() string {
	parts := make([]string, len(a.Sides))
	for i, side := range a.Sides {
		parts[i] = fmt.Sprint(side)
	}
	return "partition " + strings.Join(parts, " | ")
}

// String renders the action for traces.
func (Heal) String() string { return "heal" }

// String renders the action for traces.
func (a SetLoss) String() string { return fmt.Sprintf("loss %.2f", a.Rate) }

func forString(d time.Duration) string {
	if d <= 0 {
		return ""
	}
	return " for " + fmtDur(d)
}

// resolve maps MasterOf(g) to the group's current master; ok is false when
// the host does not exist or the group has no master.
func (s *Sim) resolve(h int) (*host, bool) {
	if h >= 0 {
		if h >= len(s.hosts) {
			return nil, false
		}
		return s.hosts[h], true
	}
	g := -1 - h
	if g >= len(s.groups) {
		return nil, false
	}
	for _, m := range s.groups[g].members {
		if m.isMaster() {
			return m.host, true
		}
	}
	return nil, false
}

func (a Crash) apply(s *Sim) {
	if h, ok := s.resolve(a.Host); ok && h.up {
		s.crash(h)
		s.restartAfter(h, a.For)
	}
}

// restartAfter schedules a restart of h after d, if d is positive.
func (s *Sim) restartAfter(h *host, d time.Duration) {
	if d > 0 {
		s.At(s.Elapsed()+d, Restart{Host: h.id})
	}
}

func (a Restart) apply(s *Sim) {
	if h, ok := s.resolve(a.Host); ok {
		if h.up {
			s.crash(h)
		}
		s.boot(h)
	}
}

func (a Shutdown) apply(s *Sim) {
	h, ok := s.resolve(a.Host)
	if !ok || !h.up {
		return
	}
	s.hostDisturbed(h)
	for _, m := range h.members {
		if m != nil && m.m != nil {
			s.watchHandover(m)
			s.step(m, fsm.Shutdown{})
		}
	}
	s.restartAfter(h, a.For)
}

func (a SetLink) apply(s *Sim) {
	h, ok := s.resolve(a.Host)
	if !ok {
		return
	}
	h.link = a.Up
	s.hostDisturbed(h)
	if !h.up {
		return
	}
	for _, m := range h.members {
		if m != nil && m.m != nil {
			s.step(m, fsm.LinkChanged{Up: a.Up})
		}
	}
}

func (a SetHealth) apply(s *Sim) {
	h, ok := s.resolve(a.Host)
	if !ok || a.Group < 0 || a.Group >= len(h.members) || h.members[a.Group] == nil {
		return
	}
	m := h.members[a.Group]
	m.health = fsm.HealthChanged{Fault: a.Fault, Weight: a.Weight}
	if st := m.cfg.Policy.Weighted(m.cfg.Self, a.Weight); !slices.Contains(m.seen, st) {
		m.seen = append(m.seen, st)
	}
	s.disturbed(m.group)
	if h.up && m.m != nil {
		s.step(m, m.health)
	}
}

func (a Admin) apply(s *Sim) {
	h, ok := s.resolve(a.Host)
	if !ok || !h.up || a.Group < 0 || a.Group >= len(h.members) || h.members[a.Group] == nil {
		return
	}
	m := h.members[a.Group]
	if m.m == nil || m.m.State() == fsm.Stopped {
		return // no daemon to take the command
	}
	s.disturbed(m.group)
	// Mirror the machine's "yielded" flag, which invariant 2 needs: a
	// switched-over master does not preempt back until it next becomes
	// master or is recovered.
	switch {
	case a.Command == fsm.CommandSwitchover && m.m.State() == fsm.Master:
		m.yielded = true
	case a.Command == fsm.CommandRecover:
		m.yielded = false
	}
	if a.Command == fsm.CommandSwitchover || a.Command == fsm.CommandMaintenance {
		s.watchHandover(m)
	}
	s.step(m, fsm.Admin{Command: a.Command})
	// The daemon persists the maintenance flag in its state file.
	m.maintenance = m.m.Status().Maintenance
}

func (a Partition) apply(s *Sim) {
	for i := range s.sides {
		s.sides[i] = len(a.Sides)
	}
	for side, hosts := range a.Sides {
		for _, h := range hosts {
			if h >= 0 && h < len(s.sides) {
				s.sides[h] = side
			}
		}
	}
	s.partitioned = false
	for _, side := range s.sides {
		if side != s.sides[0] {
			s.partitioned = true
		}
	}
	s.netDisturbed()
}

func (Heal) apply(s *Sim) {
	for i := range s.sides {
		s.sides[i] = 0
	}
	s.partitioned = false
	s.netDisturbed()
	s.scheduleConverge(false)
}

func (a SetLoss) apply(s *Sim) {
	was := s.net.Loss
	s.net.Loss = min(max(a.Rate, 0), 1)
	s.netDisturbed()
	if s.net.Loss > 0 {
		for _, g := range s.groups {
			if !g.lossy {
				g.lossy, g.lossyFrom, g.lossyTakeovers, g.lossyMax = true, s.now, 0, 0
			}
			g.lossyMax = max(g.lossyMax, s.net.Loss)
		}
	}
	if was > 0 && s.net.Loss == 0 {
		s.scheduleConverge(true)
	}
}
