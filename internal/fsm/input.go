package fsm

import "net/netip"

// Input is one thing that happened to the group. The set is closed: the
// types below are all there is.
type Input interface{ input() }

// Start begins the election (RFC 5798 §6.4.1). Link, health and admin inputs
// given before Start set the conditions it starts under.
type Start struct{}

// Timeout says the time given to Step has reached Deadline. Steps with
// Timeout before the deadline do nothing.
type Timeout struct{}

// AdvertReceived is a peer's advert, decoded and authenticated.
type AdvertReceived struct{ Advert Advert }

// HealthChanged carries the group's combined health: Fault forces the Fault
// state; Weight moves the priority (Policy.Weighted).
type HealthChanged struct {
	Fault  bool
	Weight int
}

// LinkChanged says whether the group's interface is usable: present and up,
// with carrier unless the group ignores carrier.
type LinkChanged struct{ Up bool }

// SourceChanged gives the machine its primary address anew: the interface
// came back with another one (an IPv6 link-local address from a new MAC),
// or was missing when the machine was built. The address breaks ties
// between equal standings and recognises this host's own adverts.
type SourceChanged struct{ From netip.Addr }

// Command is an operator's request.
type Command uint8

// Operator commands.
const (
	// CommandMaintenance steps down and stays down until CommandRecover.
	CommandMaintenance Command = iota + 1
	// CommandRecover rejoins the election after maintenance.
	CommandRecover
	// CommandReclaim re-announces the VIPs now, if master.
	CommandReclaim
	// CommandSwitchover hands mastership to another host: the master resigns
	// and does not preempt back until it next becomes master on its own.
	CommandSwitchover
	// CommandClaim makes this host the preferred one: it advertises the
	// best standing its protocol allows (VRRP priority 254, CARP its
	// least advskew) and takes over from a lesser master at once, without
	// the master-down wait, whatever its preempt setting; the master hands
	// over on hearing it. The claim holds until CommandRecover. It is the
	// target's half of a planned move to a named host.
	CommandClaim
)

var commandNames = [...]string{"", "maintenance", "recover", "reclaim", "switchover", "claim"}

// String returns the command word.
func (c Command) String() string {
	if int(c) < len(commandNames) && c != 0 {
		return commandNames[c]
	}
	return "unknown"
}

// Admin carries an operator command.
type Admin struct{ Command Command }

// Shutdown stops the group: a master hands over first (make-before-break).
type Shutdown struct{}

func (Start) input()          {}
func (Timeout) input()        {}
func (AdvertReceived) input() {}
func (HealthChanged) input()  {}
func (LinkChanged) input()    {}
func (SourceChanged) input()  {}
func (Admin) input()          {}
func (Shutdown) input()       {}
