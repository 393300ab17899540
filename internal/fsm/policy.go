package fsm

import "time"

// Policy is the protocol-specific part of the election: who outranks whom and
// how long a backup waits. VRRP and CARP implement it; the machine calls
// nothing else protocol-specific.
type Policy interface {
	// Outranks reports whether a wins against b when both claim to be master,
	// including the protocol's tie-break (RFC 5798 §6.4.3; ucarp's source
	// address comparison).
	Outranks(a, b Advert) bool
	// Preempts reports whether self stands strictly better than master, so
	// that a backup with preemption on may take over. Ties never preempt.
	Preempts(self, master Advert) bool
	// PreemptsAtOnce reports whether preemption happens on hearing the
	// lesser master (ucarp -P) rather than after the master-down interval
	// (RFC 5798 §6.4.2, where the lesser master's adverts are discarded).
	PreemptsAtOnce() bool
	// MasterDown is how long a backup standing as self waits without
	// adverts from master before taking over.
	MasterDown(self, master Advert) time.Duration
	// ResignWait is how long a backup standing as self waits after master
	// resigned before taking over (RFC 5798: Skew_Time).
	ResignWait(self, master Advert) time.Duration
	// Check returns a reason to discard peer's advert before any state is
	// touched (RFC 3768 §7.1: mismatched Adver Int), or DropNone.
	Check(self, peer Advert) Drop
	// Weighted returns base's standing moved by a health weight: positive
	// is better, negative is worse.
	Weighted(base Advert, weight int) Advert
	// Validate reports a standing this protocol cannot advertise.
	Validate(self Advert) error
	// Lowest is the worst standing a backup of self's group can have, for
	// bounds that must outlast every backup's wait.
	Lowest(self Advert) Advert
}

// skew scales (256 − priority)/256 by base: RFC 5798 §6.1's Skew_Time with
// base = Master_Adver_Interval, RFC 3768's with base = 1 s.
func skew(priority uint8, base time.Duration) time.Duration {
	return time.Duration(256-int64(priority)) * base / 256
}
