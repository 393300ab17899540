package health

import (
	"fmt"
	"time"
)

// Check is one health check of a group: what to probe, how often, how many
// results in a row change its state, and what its state does to the group.
type Check struct {
	// Name identifies the check in logs, events and metrics; unique in
	// the group.
	Name string
	// Kind is what Checker probes, for logs and metrics.
	Kind Kind
	// Checker does one probe.
	Checker Checker
	// Interval is the time from the start of one probe to the start of the
	// next; positive.
	Interval time.Duration
	// Timeout ends a probe that has not finished, as a failure; positive
	// and shorter than Interval, so probes of one check never overlap.
	Timeout time.Duration
	// Rise is how many passed probes in a row make a failing check
	// healthy; at least 1.
	Rise int
	// Fall is how many failed probes in a row make a healthy check
	// failing; at least 1.
	Fall int
	// Fault, when set, puts the group in Fault while the check fails.
	// Exactly one of Fault and Weight is set.
	Fault bool
	// Weight moves the group's priority, as keepalived's weight does: a
	// positive weight is added while the check is healthy, a negative one
	// while it fails. For CARP a step of weight is a step of advskew the
	// other way (fsm.Policy.Weighted).
	Weight int
}

// validate checks c's settings and returns the first problem.
func (c *Check) validate() error {
	var why string
	switch {
	case c.Name == "":
		why = "has no name"
	case c.Checker == nil:
		why = "has no checker"
	case c.Interval <= 0:
		why = fmt.Sprintf("interval %s is not positive", c.Interval)
	case c.Timeout <= 0 || c.Timeout >= c.Interval:
		why = fmt.Sprintf("timeout %s is not between 0 and the interval %s", c.Timeout, c.Interval)
	case c.Rise < 1:
		why = fmt.Sprintf("rise %d is less than 1", c.Rise)
	case c.Fall < 1:
		why = fmt.Sprintf("fall %d is less than 1", c.Fall)
	case c.Fault == (c.Weight != 0):
		why = "needs exactly one of fault and a non-zero weight"
	default:
		return nil
	}
	return fmt.Errorf("health: check %q %s", c.Name, why)
}
