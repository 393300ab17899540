package fsm

import "time"

// becomeMaster takes over: RFC 5798 §6.4.2 "send an ADVERTISEMENT, broadcast
// a gratuitous ARP request ... transition to the Master state". The advert
// goes first: among backups staggered by their skew a few milliseconds
// apart (a resign at 10 ms adverts), the best one's advert must reach the
// next before that one's wait ends, and adding the VIPs and announcing them
// takes a millisecond or two. A lesser master that lets go of the VIPs on
// this advert leaves its clients unanswered only until the announcement
// that follows reaches them.
func (m *Machine) becomeMaster(now time.Time, reason Reason) {
	from := m.state
	m.enter(Master, reason, (*Machine).stepMaster)
	m.masterDownAt, m.master, m.resignPending = time.Time{}, Advert{}, false
	m.yielded = false
	m.handover = handover{}
	m.emit(SendAdvert{Advert: m.self})
	m.advertAt = now.Add(m.cfg.advertPeriod(m.self.Interval))
	m.emit(AcquireVIPs{})
	m.announce(now, reason)
	m.announcesLeft = m.cfg.Announce.Repeats
	m.scheduleAnnounce(now)
	m.runHook(from, reason)
}

func (m *Machine) announce(now time.Time, reason Reason) {
	m.emit(Announce{Reason: reason})
	m.lastAnnounce = now
}

// scheduleAnnounce arms the next repeat, else the periodic refresh.
func (m *Machine) scheduleAnnounce(now time.Time) {
	switch {
	case m.announcesLeft > 0:
		m.announceAt = now.Add(m.cfg.Announce.Spacing)
	case m.cfg.Announce.Refresh > 0:
		m.announceAt = now.Add(m.cfg.Announce.Refresh)
	default:
		m.announceAt = time.Time{}
	}
}

// stepMaster is RFC 5798 §6.4.3 plus vipd's hand-over and split-brain rules.
func (m *Machine) stepMaster(now time.Time, in Input) {
	switch in := in.(type) {
	case Timeout:
		m.masterTimeout(now)
	case AdvertReceived:
		m.masterHeard(now, in.Advert)
	case HealthChanged:
		switch {
		case in.Fault:
			m.leaveMaster(ReasonHealthFault, true)
		case m.selfChanged && !m.handover.active:
			// Tell the peers about a new weight now rather than at the
			// next interval, so a better backup can act on it.
			m.sendAdvert(now)
		}
	case LinkChanged:
		if !in.Up {
			m.leaveMaster(ReasonLinkDown, false)
		}
	case Admin:
		switch in.Command {
		case CommandMaintenance:
			m.startHandover(now, Maintenance, ReasonAdminMaintenance)
		case CommandClaim, CommandRecover:
			// Tell the peers the new standing now: a claim confirms this
			// host's lead, a recover lets a better host preempt.
			if m.selfChanged && !m.handover.active {
				m.sendAdvert(now)
			}
		case CommandSwitchover:
			m.yielded = true
			m.startHandover(now, Backup, ReasonAdminSwitchover)
		case CommandReclaim:
			if !m.handover.active {
				m.sendAdvert(now)
				m.announce(now, ReasonAdminReclaim)
				m.announcesLeft = m.cfg.Announce.Repeats
				m.scheduleAnnounce(now)
			}
		}
	case Shutdown:
		m.startHandover(now, Stopped, ReasonShutdown)
	}
}

func (m *Machine) sendAdvert(now time.Time) {
	m.emit(SendAdvert{Advert: m.self})
	m.advertAt = now.Add(m.cfg.advertPeriod(m.self.Interval))
}

func (m *Machine) masterTimeout(now time.Time) {
	if m.handover.active {
		if !now.Before(m.handover.deadline) {
			// No successor was heard within the bound: release anyway.
			m.finishHandover(now, Advert{})
		}
		return
	}
	if !now.Before(m.advertAt) {
		m.sendAdvert(now)
	}
	if !m.announceAt.IsZero() && !now.Before(m.announceAt) {
		reason := ReasonAnnounceRefresh
		if m.announcesLeft > 0 {
			reason = ReasonAnnounceRepeat
			m.announcesLeft--
		}
		m.announce(now, reason)
		m.scheduleAnnounce(now)
	}
}

func (m *Machine) masterHeard(now time.Time, a Advert) {
	if m.rejected(a) {
		return
	}
	switch {
	case m.handover.active:
		if !a.Resign {
			m.finishHandover(now, a)
		}
	case a.Resign:
		// RFC 5798 §6.4.3: another master resigning gets an advert at once.
		m.sendAdvert(now)
	case m.cfg.Policy.Outranks(a, m.self):
		// RFC 5798 §6.4.3: a better master; step down.
		m.becomeBackup(now, ReasonHigherPriorityPeer, a)
	default:
		// Split brain healing: a lesser master is still advertising.
		// Reassert at once so it steps down, and re-announce so clients
		// that followed it come back (at most once per repeat spacing).
		m.sendAdvert(now)
		if now.Sub(m.lastAnnounce) >= m.announceGap() {
			m.announce(now, ReasonSplitBrain)
		}
	}
}

// announceGap is the least time between split-brain re-announcements.
func (m *Machine) announceGap() time.Duration {
	if m.cfg.Announce.Spacing > 0 {
		return m.cfg.Announce.Spacing
	}
	return time.Second
}

// leaveMaster drops mastership at once (break-before-make): the service or
// the link failed, so holding the VIPs would only black-hole clients. With
// the link still up, a resign advert lets a backup take over without waiting.
func (m *Machine) leaveMaster(reason Reason, canSend bool) {
	if m.handover.active && m.handover.target != Backup {
		m.finishHandover(time.Time{}, Advert{})
		return
	}
	if canSend {
		m.emit(SendAdvert{Advert: m.resignAdvert()})
	}
	m.becomeFault(reason)
}

func (m *Machine) resignAdvert() Advert {
	a := m.self
	a.Priority, a.Resign = 0, true
	return a
}

// startHandover resigns but keeps the VIPs until a successor is heard
// (make-before-break). A second request only raises the target: stopping
// beats maintenance beats a switchover.
func (m *Machine) startHandover(now time.Time, target State, reason Reason) {
	if m.handover.active {
		if target > m.handover.target || target == Stopped {
			m.handover.target, m.handover.reason = target, reason
		}
		return
	}
	m.handover = handover{active: true, target: target, reason: reason, deadline: now.Add(m.cfg.handoverTimeout())}
	m.advertAt, m.announceAt = time.Time{}, time.Time{}
	m.emit(SendAdvert{Advert: m.resignAdvert()})
}

// finishHandover releases the VIPs and enters the hand-over's target;
// successor is the advert that ended it, if any.
func (m *Machine) finishHandover(now time.Time, successor Advert) {
	h := m.handover
	m.handover = handover{}
	switch h.target {
	case Stopped:
		m.stop(h.reason)
	case Maintenance:
		m.becomeMaintenance(h.reason)
	default:
		m.becomeBackup(now, h.reason, successor)
	}
}
