package fsm

import "fmt"

// Effect is one thing the machine wants done. Step returns them in the order
// they must be carried out. Each renders as one trace line.
type Effect interface {
	effect()
	String() string
}

// SendAdvert sends an advert with this standing (Resign set: priority 0 /
// CARP advbase and advskew 255).
type SendAdvert struct{ Advert Advert }

// AcquireVIPs adds the group's VIPs to its interface.
type AcquireVIPs struct{}

// ReleaseVIPs removes the group's VIPs from its interface.
type ReleaseVIPs struct{}

// Announce sends gratuitous ARP (request and reply) and unsolicited
// neighbour advertisements for the VIPs.
type Announce struct{ Reason Reason }

// RunHook runs the hooks for a transition. It comes after the VIPs have been
// acquired or released.
type RunHook struct {
	From, To State
	Reason   Reason
}

// Transition records a change of state.
type Transition struct {
	From, To State
	Reason   Reason
}

// Drop says an advert was discarded by protocol rule; the caller counts it.
type Drop uint8

// Reasons to discard an advert.
const (
	DropNone Drop = iota
	// DropIntervalMismatch: VRRPv2 advert with another Adver Int (RFC 3768 §7.1).
	DropIntervalMismatch
	// DropOwnAddress: an advert that claims this host's own address.
	DropOwnAddress
)

var dropNames = [...]string{"none", "interval-mismatch", "own-address"}

// String returns the drop reason word.
func (d Drop) String() string {
	if int(d) < len(dropNames) {
		return dropNames[d]
	}
	return "unknown"
}

func (SendAdvert) effect()  {}
func (AcquireVIPs) effect() {}
func (ReleaseVIPs) effect() {}
func (Announce) effect()    {}
func (RunHook) effect()     {}
func (Transition) effect()  {}
func (Drop) effect()        {}

func (e SendAdvert) String() string { return "send-advert " + e.Advert.String() }
func (AcquireVIPs) String() string  { return "acquire-vips" }
func (ReleaseVIPs) String() string  { return "release-vips" }
func (e Announce) String() string   { return "announce reason=" + e.Reason.String() }
func (e RunHook) String() string {
	return fmt.Sprintf("run-hook %s->%s reason=%s", e.From, e.To, e.Reason)
}
func (e Transition) String() string {
	return fmt.Sprintf("transition %s->%s reason=%s", e.From, e.To, e.Reason)
}
