package daemon

import (
	"sync"
	"time"

	"github.com/vipd/vipd/internal/control"
	"github.com/vipd/vipd/internal/health"
)

// The states of a check as status and events name them.
const (
	checkUnknown = "unknown"
	checkHealthy = "healthy"
	checkFailing = "failing"
)

// checkRecords keeps what the daemon reports about health checks beyond a
// monitor's own snapshot: probe counts and time per check, kept across
// group restarts so that the metrics' counters only grow, and each check's
// last state, for the From of its next event. Safe for concurrent use.
type checkRecords struct {
	mu sync.Mutex
	m  map[checkKey]*checkRecord
}

type checkKey struct{ group, check string }

type checkRecord struct {
	probes, failures uint64
	seconds          float64
	state            string // "" until the running monitor's first result
}

// add counts r and returns the check's state before it.
func (c *checkRecords) add(r health.Result) (was string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[checkKey]*checkRecord{}
	}
	k := checkKey{r.Group, r.Check}
	rec := c.m[k]
	if rec == nil {
		rec = &checkRecord{}
		c.m[k] = rec
	}
	rec.probes++
	if !r.OK {
		rec.failures++
	}
	rec.seconds += r.Latency.Seconds()
	was = rec.state
	if was == "" {
		was = checkUnknown
	}
	rec.state = healthText(r.Healthy)
	return was
}

// restart forgets the states of group's checks: its new monitor starts
// from unknown.
func (c *checkRecords) restart(group string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, rec := range c.m {
		if k.group == group {
			rec.state = ""
		}
	}
}

// statuses turns group's monitor snapshot into the control API's shape,
// with the counts.
func (c *checkRecords) statuses(group string, st health.Status) []control.CheckStatus {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]control.CheckStatus, 0, len(st.Checks))
	for _, cs := range st.Checks {
		s := control.CheckStatus{
			Name: cs.Name, Kind: cs.Kind.String(), Fault: cs.Fault, Weight: cs.Weight,
			State: checkUnknown,
		}
		if cs.Known {
			last := cs.Last
			s.State = healthText(last.Healthy)
			s.LastProbe, s.LastOK = last.Time, last.OK
			s.LatencyMS = float64(last.Latency) / float64(time.Millisecond)
			if last.Err != nil {
				s.LastError = last.Err.Error()
			}
		}
		if rec := c.m[checkKey{group, cs.Name}]; rec != nil {
			s.Probes, s.Failures, s.ProbeSeconds = rec.probes, rec.failures, rec.seconds
		}
		out = append(out, s)
	}
	return out
}

func healthText(healthy bool) string {
	if healthy {
		return checkHealthy
	}
	return checkFailing
}

// checkEvent describes a change of a check's state (or its first result)
// for `vipd events`.
func checkEvent(r health.Result, was string) control.Event {
	ev := control.Event{
		Time: r.Time, Group: r.Group, Kind: "check", Check: r.Check,
		From: was, To: healthText(r.Healthy),
	}
	if r.Err != nil {
		ev.Error = r.Err.Error()
	}
	return ev
}
