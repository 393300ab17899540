package fsm

import "time"

// becomeBackup enters Backup, trusting master if it is a real advert.
func (m *Machine) becomeBackup(now time.Time, reason Reason, master Advert) {
	from := m.state
	m.enter(Backup, reason, (*Machine).stepBackup)
	m.resignPending = false
	m.heardLesserAt = time.Time{}
	m.master = master
	if !master.From.IsValid() {
		// RFC 5798 §6.4.1: with no master known yet, wait a full
		// Master_Down_Interval computed from our own interval.
		master = m.self
	}
	m.masterDownAt = now.Add(m.cfg.Policy.MasterDown(m.self, master))
	m.runHook(from, reason)
}

// stepBackup is RFC 5798 §6.4.2, with ip_carp.c's variations via the policy.
func (m *Machine) stepBackup(now time.Time, in Input) {
	switch in := in.(type) {
	case Timeout:
		if now.Before(m.masterDownAt) {
			return
		}
		m.becomeMaster(now, m.takeoverReason(now))
	case AdvertReceived:
		m.backupHeard(now, in.Advert)
	case HealthChanged:
		if in.Fault {
			m.becomeFault(ReasonHealthFault)
		}
	case LinkChanged:
		if !in.Up {
			m.becomeFault(ReasonLinkDown)
		}
	case Admin:
		switch in.Command {
		case CommandMaintenance:
			m.becomeMaintenance(ReasonAdminMaintenance)
		case CommandClaim:
			// A planned move: no master-down wait. The master hands over
			// on hearing the better advert this sends.
			if m.master.From.IsValid() && m.cfg.Policy.Preempts(m.self, m.master) {
				m.becomeMaster(now, ReasonAdminClaim)
			}
		}
	case Shutdown:
		m.stop(ReasonShutdown)
	}
}

// takeoverReason explains why the master-down timer expired.
func (m *Machine) takeoverReason(now time.Time) Reason {
	switch {
	case m.resignPending:
		return ReasonPeerResigned
	case !m.heardLesserAt.IsZero() && now.Sub(m.heardLesserAt) <= m.cfg.Policy.MasterDown(m.self, m.self):
		return ReasonPreempt
	default:
		return ReasonMasterDown
	}
}

func (m *Machine) backupHeard(now time.Time, a Advert) {
	if m.rejected(a) {
		return
	}
	p := m.cfg.Policy
	if a.Resign {
		// RFC 5798 §6.4.2: priority 0 sets the Master_Down_Timer to
		// Skew_Time, so the best backup takes over first.
		wait := p.ResignWait(m.self, a)
		m.resignPending = true
		m.masterDownAt = now.Add(wait)
		if wait <= 0 {
			m.becomeMaster(now, ReasonPeerResigned)
		}
		return
	}
	m.resignPending = false
	if m.claimed && p.Preempts(m.self, a) {
		m.becomeMaster(now, ReasonAdminClaim)
		return
	}
	preempting := m.cfg.Preempt && !m.yielded && !now.Before(m.preemptAfter)
	if preempting && p.Preempts(m.self, a) {
		if p.PreemptsAtOnce() {
			m.becomeMaster(now, ReasonPreempt)
			return
		}
		// RFC 5798 §6.4.2: discard the lesser master's advert and let
		// the Master_Down_Timer run out.
		m.heardLesserAt = now
		return
	}
	down := p.MasterDown(m.self, a)
	if a.Interval > down {
		// ip_carp.c: a master that advertises less often than our
		// master-down interval is bound to time out; treat it as down.
		m.becomeMaster(now, ReasonMasterDown)
		return
	}
	m.master = a
	m.masterDownAt = now.Add(down)
}
