package control

import (
	"context"
	"time"
)

// Source is what the server reports on and acts on: the running daemon.
type Source interface {
	// Status returns a snapshot of every group.
	Status(ctx context.Context) (Status, error)
	// Admin applies an operator command (maintenance, recover, reclaim,
	// switchover) to a group.
	Admin(ctx context.Context, group, command string) error
	// Reload reads the configuration file again and applies it.
	Reload(ctx context.Context) error
}

// Commands are the operator commands Admin accepts.
var Commands = []string{"maintenance", "recover", "reclaim", "switchover", "claim"}

// Status is the daemon's state, as `vipd status -o json` prints it.
type Status struct {
	Node   string        `json:"node"`
	Groups []GroupStatus `json:"groups"`
}

// GroupStatus is one group on this host.
type GroupStatus struct {
	Name      string `json:"name"`
	Protocol  string `json:"protocol"`
	ID        int    `json:"id"`
	Interface string `json:"interface"`
	// State is init, backup, master, fault, maintenance, stopped, or
	// not-running when the group's loop is not running.
	State string `json:"state"`
	// HandingOver is set while a resigning master waits for its successor.
	HandingOver bool `json:"handing_over,omitempty"`
	// Claimed is set while an operator's claim holds on this host
	// (`vipd switchover GROUP --to` this node), until `vipd recover`.
	Claimed bool `json:"claimed,omitempty"`
	// Priority is the VRRP priority advertised now (health weights
	// included); 0 for CARP.
	Priority int `json:"priority"`
	// BasePriority is the configured VRRP priority, before health weights;
	// 0 for CARP and when unknown.
	BasePriority int `json:"base_priority,omitempty"`
	// IntervalMS is the advert interval advertised now, in milliseconds.
	IntervalMS float64 `json:"interval_ms"`
	// Source is this host's address in the group; empty while the group
	// waits for its interface to appear.
	Source string `json:"source"`
	// Master is the address of the master this backup last heard.
	Master string   `json:"master,omitempty"`
	VIPs   []string `json:"vips"`
	// HoldingVIPs says the VIPs are on the interface now.
	HoldingVIPs bool `json:"holding_vips"`
	// Link is the interface as vipd sees it ("eth0 index=2 up carrier").
	Link     string   `json:"link"`
	Counters Counters `json:"counters"`
	// Checks are the group's health checks in configuration order; empty
	// when it has none.
	Checks []CheckStatus `json:"checks,omitempty"`
}

// CheckStates are the values of CheckStatus.State.
var CheckStates = []string{"unknown", "healthy", "failing"}

// CheckStatus is one health check of a group.
type CheckStatus struct {
	Name string `json:"name"`
	// Kind is ping, arp, tcp, http, https or exec.
	Kind string `json:"kind"`
	// Fault says a failing check puts the group in fault; otherwise Weight
	// is added to the priority while it is healthy (positive) or failing
	// (negative).
	Fault  bool `json:"fault,omitempty"`
	Weight int  `json:"weight,omitempty"`
	// State is unknown (no result yet), healthy or failing, with rise and
	// fall applied: a healthy check may have just failed a probe.
	State string `json:"state"`
	// LastProbe is when the latest probe started (zero before the first),
	// LastOK whether it passed, LatencyMS how long it took and LastError
	// why it failed.
	LastProbe time.Time `json:"last_probe,omitzero"`
	LastOK    bool      `json:"last_ok,omitempty"`
	LatencyMS float64   `json:"latency_ms,omitempty"`
	LastError string    `json:"last_error,omitempty"`
	// Probes and Failures count the probes run and failed; ProbeSeconds is
	// the time they took in all.
	Probes       uint64  `json:"probes,omitempty"`
	Failures     uint64  `json:"failures,omitempty"`
	ProbeSeconds float64 `json:"probe_seconds,omitempty"`
}

// Counters are a group's running totals.
type Counters struct {
	AdvertsSent uint64 `json:"adverts_sent"`
	// AdvertsRelayed counts adverts sent by the relay, from another CPU,
	// while the group's loop was stalled; they are not in AdvertsSent.
	AdvertsRelayed  uint64            `json:"adverts_relayed"`
	AdvertsReceived uint64            `json:"adverts_received"`
	SendErrors      uint64            `json:"send_errors"`
	Dropped         map[string]uint64 `json:"dropped"`
	Transitions     map[string]uint64 `json:"transitions"`
	Announcements   uint64            `json:"announcements"`
	// Conflicts counts another host's claims of the group's VIPs (ARP or
	// neighbour advertisements from another MAC address) seen while master.
	Conflicts uint64 `json:"conflicts"`
	// LastTransition is when the group last changed state.
	LastTransition time.Time `json:"last_transition"`
	// HookRuns and HookFailures count hook runs by hook (on_master …).
	HookRuns     map[string]uint64 `json:"hook_runs"`
	HookFailures map[string]uint64 `json:"hook_failures"`
}
