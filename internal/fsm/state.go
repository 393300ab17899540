package fsm

// State is where one group stands on this host.
type State uint8

// The states of a group. Init, Backup and Master are RFC 5798 §6.4's; Fault,
// Maintenance and Stopped are vipd's.
const (
	// Init: created, not started (RFC 5798 §6.4.1).
	Init State = iota
	// Backup: watching the master, ready to take over (RFC 5798 §6.4.2).
	Backup
	// Master: holding the VIPs and advertising (RFC 5798 §6.4.3).
	Master
	// Fault: link down or a health check failed; no VIPs, no adverts.
	Fault
	// Maintenance: stepped down by the operator and staying down until
	// recovered, like faild's FAIL state.
	Maintenance
	// Stopped: shut down; the machine does nothing more.
	Stopped
)

var stateNames = [...]string{"init", "backup", "master", "fault", "maintenance", "stopped"}

// String returns the lower-case state name used in logs, metrics and hooks.
func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "unknown"
}
