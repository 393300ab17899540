package fsm

import "time"

// becomeFault enters Fault: no VIPs, no adverts, until link and health are
// both good again.
func (m *Machine) becomeFault(reason Reason) {
	from := m.state
	m.enter(Fault, reason, (*Machine).stepFault)
	m.masterDownAt = time.Time{}
	m.runHook(from, reason)
}

func (m *Machine) stepFault(now time.Time, in Input) {
	switch in := in.(type) {
	case HealthChanged:
		if m.canAdvertise() && !in.Fault {
			m.elect(now, ReasonHealthOK)
		}
	case LinkChanged, SourceChanged:
		if m.canAdvertise() && !m.healthFault {
			m.elect(now, ReasonLinkUp)
		}
	case Admin:
		if in.Command == CommandMaintenance {
			m.becomeMaintenance(ReasonAdminMaintenance)
		}
	case Shutdown:
		m.stop(ReasonShutdown)
	}
}

// becomeMaintenance enters Maintenance: stepped down by the operator and
// staying down whatever the election says, until CommandRecover.
func (m *Machine) becomeMaintenance(reason Reason) {
	from := m.state
	m.maintenance = true
	m.enter(Maintenance, reason, (*Machine).stepMaintenance)
	m.masterDownAt = time.Time{}
	m.runHook(from, reason)
}

func (m *Machine) stepMaintenance(now time.Time, in Input) {
	switch in := in.(type) {
	case Admin:
		if in.Command == CommandRecover {
			m.elect(now, ReasonAdminRecover)
		}
	case Shutdown:
		m.stop(ReasonShutdown)
	}
}
