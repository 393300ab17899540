package fsm

// Reason says why a transition or an announcement happened. The same word
// appears in logs, metrics labels and the hooks' VIPD_REASON, so the set is
// closed and small.
type Reason uint8

// Reasons for transitions and announcements.
const (
	ReasonNone Reason = iota
	// ReasonStartup: the first state after Start.
	ReasonStartup
	// ReasonMasterDown: no advert from the master within the master-down
	// interval (RFC 5798 §6.4.2), or the master advertises so rarely that it
	// is bound to time out (ip_carp.c).
	ReasonMasterDown
	// ReasonPeerResigned: the master sent a resign advert (VRRP priority 0,
	// CARP advbase and advskew 255) and this host took over.
	ReasonPeerResigned
	// ReasonPreempt: this host outranks the current master and took over
	// (RFC 5798 §6.4.2 with Preempt_Mode, ucarp -P).
	ReasonPreempt
	// ReasonHigherPriorityPeer: a master heard a better master and stepped
	// down (RFC 5798 §6.4.3).
	ReasonHigherPriorityPeer
	// ReasonHealthFault: a health check forced the group into Fault.
	ReasonHealthFault
	// ReasonHealthOK: the health checks recovered.
	ReasonHealthOK
	// ReasonLinkDown: the interface lost its carrier or disappeared.
	ReasonLinkDown
	// ReasonLinkUp: the interface came back.
	ReasonLinkUp
	// ReasonAdminMaintenance: the operator put the group in maintenance.
	ReasonAdminMaintenance
	// ReasonAdminRecover: the operator took the group out of maintenance.
	ReasonAdminRecover
	// ReasonAdminSwitchover: the operator moved mastership away.
	ReasonAdminSwitchover
	// ReasonAdminReclaim: the operator asked for a fresh announcement.
	ReasonAdminReclaim
	// ReasonShutdown: the daemon is stopping.
	ReasonShutdown
	// ReasonAnnounceRepeat: a scheduled repeat of the takeover announcement.
	ReasonAnnounceRepeat
	// ReasonAnnounceRefresh: the periodic refresh announcement.
	ReasonAnnounceRefresh
	// ReasonSplitBrain: a master heard a lesser master and reasserted itself.
	ReasonSplitBrain
	// ReasonAdminClaim: the operator made this host the preferred one.
	ReasonAdminClaim
)

var reasonNames = [...]string{
	"none", "startup", "master-down", "peer-resigned", "preempt", "higher-priority-peer",
	"health-fault", "health-ok", "link-down", "link-up", "admin-maintenance", "admin-recover",
	"admin-switchover", "admin-reclaim", "shutdown", "announce-repeat", "announce-refresh",
	"split-brain", "admin-claim",
}

// String returns the reason word.
func (r Reason) String() string {
	if int(r) < len(reasonNames) {
		return reasonNames[r]
	}
	return "unknown"
}

// Reasons lists every reason, for metrics that pre-register their labels.
func Reasons() []Reason {
	rs := make([]Reason, 0, len(reasonNames))
	for i := range reasonNames {
		rs = append(rs, Reason(i))
	}
	return rs
}
