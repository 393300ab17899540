package fsm

import "time"

// Machine is the state machine of one group on one host. It is not safe for
// concurrent use: one loop owns it.
type Machine struct {
	cfg   Config
	state State
	step  func(m *Machine, now time.Time, in Input)
	out   []Effect

	// Conditions, kept in every state so a later state sees them.
	self        Advert // cfg.Self moved by the health weight and the claim
	selfChanged bool   // the last HealthChanged, claim or recover moved self
	weight      int    // the last health weight
	claimed     bool   // CommandClaim: advertise the best standing until recovered
	linkUp      bool
	healthFault bool
	maintenance bool
	// yielded: this host handed mastership away on purpose and does not
	// preempt back until it becomes master on its own or is recovered.
	yielded bool

	// Backup timers and knowledge.
	masterDownAt  time.Time
	master        Advert // last accepted master advert; zero if none yet
	resignPending bool   // the master resigned; masterDownAt is the skew wait
	heardLesserAt time.Time
	preemptAfter  time.Time

	// Master timers.
	advertAt      time.Time
	announceAt    time.Time // zero: no announcement scheduled
	announcesLeft int
	lastAnnounce  time.Time
	handover      handover
}

// handover is a master's make-before-break exit: it has resigned and keeps
// its VIPs until it hears a successor or the deadline passes.
type handover struct {
	active   bool
	target   State
	reason   Reason
	deadline time.Time
}

// Status is a snapshot of the machine for status output.
type Status struct {
	State State
	// Self is this host's standing as it advertises now.
	Self Advert
	// Master is the last advert accepted from the master while Backup;
	// its From is invalid when no master has been heard.
	Master Advert
	// HandingOver is set while a resigning master waits for its successor.
	HandingOver bool
	// Maintenance is the operator's maintenance flag, kept across states.
	Maintenance bool
	// Claimed is set while an operator's claim (CommandClaim) holds.
	Claimed bool
}

// New returns a machine in Init with the link assumed up and healthy.
func New(cfg Config) (*Machine, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	m := &Machine{cfg: cfg, state: Init, step: (*Machine).stepInit, self: cfg.Self, linkUp: true}
	return m, nil
}

// State returns the current state.
func (m *Machine) State() State { return m.state }

// Status returns a snapshot of the machine.
func (m *Machine) Status() Status {
	return Status{
		State:       m.state,
		Self:        m.self,
		Master:      m.master,
		HandingOver: m.handover.active,
		Maintenance: m.maintenance,
		Claimed:     m.claimed,
	}
}

// Step feeds one input at time now and returns the effects to carry out, in
// order. The returned slice is valid until the next call to Step.
func (m *Machine) Step(now time.Time, in Input) []Effect {
	m.out = m.out[:0]
	switch in := in.(type) {
	case HealthChanged:
		m.healthFault = in.Fault
		m.weight = in.Weight
		m.restand()
	case LinkChanged:
		m.linkUp = in.Up
	case SourceChanged:
		m.cfg.Self.From = in.From
		m.restand()
	case Admin:
		switch in.Command {
		case CommandMaintenance:
			m.maintenance = true
		case CommandRecover:
			m.maintenance = false
			m.yielded = false
			m.claimed = false
			m.restand()
		case CommandClaim:
			m.claimed = true
			m.yielded = false
			m.restand()
		}
	}
	m.step(m, now, in)
	return m.out
}

// Deadline is when the machine next needs Step(t, Timeout{}); the zero time
// means no timer is running.
func (m *Machine) Deadline() time.Time {
	switch m.state {
	case Backup:
		return m.masterDownAt
	case Master:
		if m.handover.active {
			return m.handover.deadline
		}
		return earliest(m.advertAt, m.announceAt)
	}
	return time.Time{}
}

// earliest returns the earlier of two times, ignoring zero ones.
func earliest(a, b time.Time) time.Time {
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
}

func (m *Machine) emit(e Effect) { m.out = append(m.out, e) }

// enter records a transition. Leaving Master always releases the VIPs, right
// after the transition and before any hook of the new state runs.
func (m *Machine) enter(to State, reason Reason, step func(*Machine, time.Time, Input)) {
	from := m.state
	m.state, m.step = to, step
	m.emit(Transition{From: from, To: to, Reason: reason})
	if from == Master && to != Master {
		m.emit(ReleaseVIPs{})
		m.advertAt, m.announceAt, m.handover = time.Time{}, time.Time{}, handover{}
	}
}

func (m *Machine) runHook(from State, reason Reason) {
	m.emit(RunHook{From: from, To: m.state, Reason: reason})
}

// rejected discards adverts the protocol rejects before they touch state.
func (m *Machine) rejected(a Advert) bool {
	if a.From == m.self.From {
		m.emit(DropOwnAddress)
		return true
	}
	if d := m.cfg.Policy.Check(m.self, a); d != DropNone {
		m.emit(d)
		return true
	}
	return false
}

// elect enters the state the conditions call for when the group (re)joins
// the election: from Init, Fault or Maintenance.
func (m *Machine) elect(now time.Time, reason Reason) {
	switch {
	case m.maintenance:
		m.becomeMaintenance(reason)
	case !m.canAdvertise():
		m.becomeFault(ReasonLinkDown)
	case m.healthFault:
		m.becomeFault(ReasonHealthFault)
	case m.self.Priority == 255:
		// RFC 5798 §6.4.1: the address owner becomes master at once.
		m.becomeMaster(now, reason)
	default:
		m.preemptAfter = now.Add(m.cfg.PreemptDelay)
		m.becomeBackup(now, reason, Advert{})
	}
}

// canAdvertise reports whether the group can take part in the election:
// its link is usable and it knows the address its adverts come from.
func (m *Machine) canAdvertise() bool { return m.linkUp && m.self.From.IsValid() }

// stop ends the machine: no VIPs, no timers, the stop hook.
func (m *Machine) stop(reason Reason) {
	from := m.state
	m.enter(Stopped, reason, (*Machine).stepStopped)
	m.runHook(from, reason)
}

func (m *Machine) stepStopped(time.Time, Input) {}

// claimWeight outweighs any sum of health weights, so that a claimed host
// advertises the best standing the policy allows.
const claimWeight = 1 << 16

// restand recomputes this host's standing from the configured one, the
// health weight and the claim.
func (m *Machine) restand() {
	w := m.weight
	if m.claimed {
		w += claimWeight
	}
	weighted := m.cfg.Policy.Weighted(m.cfg.Self, w)
	m.selfChanged = weighted != m.self
	m.self = weighted
}
