package sim

import (
	"time"

	"github.com/vipd/vipd/internal/fsm"
)

// host is one machine: its daemon (up or not), its link and its groups.
type host struct {
	id      int
	name    string
	up      bool      // the daemon runs (it may have stopped all its groups)
	link    bool      // the interface has carrier
	members []*member // by group index; nil where the host is not a member
}

// member is one host's part in one group: the machine and what the
// simulator knows around it.
type member struct {
	host  *host
	group *group
	cfg   fsm.Config
	m     *fsm.Machine // nil while the host is down
	timer *event       // the machine's deadline, reused

	lastSent      time.Time // the last advert the machine sent
	holds         bool      // the machine acquired the VIPs and has not released them
	leftoverUntil time.Time // a crashed daemon's VIPs stay until then (zero: none)

	// Conditions the daemon would restore after a restart.
	health      fsm.HealthChanged // last health result
	maintenance bool              // persisted admin state

	// seen lists the standings the member has taken: its base and every
	// health weight applied so far (for the lossy bound).
	seen []fsm.Advert

	// yielded mirrors the machine's private flag (see Admin.apply).
	yielded bool
}

// name is "host/group" for traces.
func (m *member) name() string { return m.host.name + "/" + m.group.name }

// live reports whether the member's daemon runs a machine for the group.
func (m *member) live() bool { return m.host.up && m.m != nil }

// state is the machine's state; Stopped for a host that is down.
func (m *member) state() fsm.State {
	if !m.live() {
		return fsm.Stopped
	}
	return m.m.State()
}

// isMaster reports whether the member runs a machine in Master, handing
// over or not.
func (m *member) isMaster() bool { return m.live() && m.m.State() == fsm.Master }

// eligible reports whether the member takes part in the election: running,
// in Backup or Master.
func (m *member) eligible() bool {
	st := m.state()
	return st == fsm.Backup || st == fsm.Master
}

// holdsVIPs reports whether the VIPs are on the host's interface: held by
// the machine, or left over from a crashed daemon until their lifetime ends.
func (m *member) holdsVIPs(now time.Time) bool {
	return m.holds || (!m.leftoverUntil.IsZero() && now.Before(m.leftoverUntil))
}

// crash discards the host's machines. The VIPs vanish now, or stay for the
// configured lifetime.
func (s *Sim) crash(h *host) {
	s.note(nil, "crash "+h.name)
	h.up = false
	s.hostDisturbed(h)
	for _, m := range h.members {
		if m == nil {
			continue
		}
		if m.holds {
			m.holds = false
			if s.cfg.VIPLifetime > 0 {
				m.leftoverUntil = s.now.Add(s.cfg.VIPLifetime)
				e := s.newEvent(evExpire)
				e.to = m
				s.schedule(e, m.leftoverUntil)
			}
		}
		m.m = nil
		s.unschedule(m.timer)
		s.holdersChanged(m.group)
	}
}

// boot starts the host's daemon: a fresh machine per group, told the
// conditions the daemon finds (link, health, persisted maintenance) and then
// started.
func (s *Sim) boot(h *host) {
	s.note(nil, "boot "+h.name)
	h.up = true
	s.hostDisturbed(h)
	for _, m := range h.members {
		if m == nil {
			continue
		}
		fm, err := fsm.New(m.cfg)
		if err != nil {
			s.fail(m.group, "config", "%s: %v", m.name(), err)
			return
		}
		m.m, m.yielded = fm, false
		if !h.link {
			s.step(m, fsm.LinkChanged{Up: false})
		}
		if m.health != (fsm.HealthChanged{}) {
			s.step(m, m.health)
		}
		if m.maintenance {
			s.step(m, fsm.Admin{Command: fsm.CommandMaintenance})
		}
		s.step(m, fsm.Start{})
	}
}
