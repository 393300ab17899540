package hooks

import (
	"net/netip"
	"time"

	"github.com/vipd/vipd/internal/fsm"
)

// Event is one transition of a group, with what its hooks need to know. The
// driver builds it from fsm.RunHook and the group's configuration.
type Event struct {
	// Group is the group's name.
	Group string
	// Protocol is the group's protocol name: "carp", "vrrp3" or "vrrp2".
	// It is passed to the hooks as it is.
	Protocol string
	// ID is the VRRP VRID or CARP vhid.
	ID uint8
	// Priority is the group's VRRP priority on this host, for VIPD_PRIORITY
	// and the keepalived notify mode; for CARP groups whatever the driver
	// chooses to report (0 if nothing).
	Priority uint8
	// Interface is the name of the group's link.
	Interface string
	// VIPs are the group's virtual addresses.
	VIPs []netip.Prefix
	// From and To are the states before and after the transition.
	From, To fsm.State
	// Reason says why the transition happened.
	Reason fsm.Reason
	// Hooks are the group's hooks as configured when the transition
	// happened.
	Hooks Set
}

// Result is the outcome of one hook run.
type Result struct {
	// Event is the transition the hook ran for.
	Event Event
	// Kind is the hook that ran.
	Kind Kind
	// Argv is what was run, after the mode's arguments were added.
	Argv []string
	// ExitCode is the program's exit status, or -1 when it did not start,
	// was killed by a signal or was still running when it was given up on.
	ExitCode int
	// Err is nil on success; otherwise it says what went wrong (exit status,
	// signal, timeout, could not start).
	Err error
	// Duration is how long the program ran.
	Duration time.Duration
	// TimedOut reports that the hook ran past its timeout and was killed.
	TimedOut bool
}

// stateKind returns the hook that a transition to s runs before on_change.
func stateKind(s fsm.State) (Kind, bool) {
	switch s {
	case fsm.Master:
		return OnMaster, true
	case fsm.Backup, fsm.Maintenance:
		return OnBackup, true
	case fsm.Fault:
		return OnFault, true
	case fsm.Stopped:
		return OnStop, true
	}
	return 0, false
}

// kinds returns the configured hooks a transition runs, in order.
func (ev Event) kinds() []Kind {
	var ks []Kind
	if k, ok := stateKind(ev.To); ok && ev.Hooks.Hook(k).Configured() {
		ks = append(ks, k)
	}
	if ev.Hooks.OnChange.Configured() {
		ks = append(ks, OnChange)
	}
	return ks
}
