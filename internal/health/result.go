package health

import (
	"time"

	"github.com/vipd/vipd/internal/fsm"
)

// Result is the outcome of one probe, with the check's state after it, as
// Config.OnResult receives it for metrics and the event stream.
type Result struct {
	// Group and Check name the group and the check.
	Group string
	Check string
	// Kind is the check's kind.
	Kind Kind
	// Time is when the probe started.
	Time time.Time
	// Latency is how long the probe took.
	Latency time.Duration
	// OK says whether this probe passed.
	OK bool
	// Err says why it failed; nil when OK.
	Err error
	// Healthy is the check's state after this probe, rise and fall
	// applied.
	Healthy bool
	// Changed says this probe changed Healthy, or was the check's first
	// result.
	Changed bool
	// Streak is how many probes in a row, this one included, had its
	// outcome.
	Streak int
}

// CheckStatus is one check's state in a Status snapshot.
type CheckStatus struct {
	// Name, Kind, Fault and Weight are the check's settings.
	Name   string
	Kind   Kind
	Fault  bool
	Weight int
	// Known says whether the check has a result yet; Last is the latest
	// (the zero Result before the first).
	Known bool
	Last  Result
}

// Status is a snapshot of a group's checks.
type Status struct {
	// Ready says every check has a first result, so Health is what was
	// reported to Config.OnHealth.
	Ready bool
	// Health is the group's combined health.
	Health fsm.HealthChanged
	// Checks are the checks in configuration order.
	Checks []CheckStatus
}
