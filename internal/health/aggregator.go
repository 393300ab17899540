package health

import "github.com/vipd/vipd/internal/fsm"

// aggregator is the state Run owns: each check's streak and latest result,
// and the combined health.
type aggregator struct {
	group   string
	checks  []Check
	states  []streak
	last    []Result
	waiting int // checks without a first result
	health  fsm.HealthChanged
}

func newAggregator(group string, checks []Check) *aggregator {
	return &aggregator{
		group:   group,
		checks:  checks,
		states:  make([]streak, len(checks)),
		last:    make([]Result, len(checks)),
		waiting: len(checks),
	}
}

// ready says every check has a first result.
func (a *aggregator) ready() bool { return a.waiting == 0 }

// record applies one probe and returns its Result, and whether the combined
// health is to be reported: the first time every check has a result, and
// on every change after that.
func (a *aggregator) record(p probe) (Result, bool) {
	c, s := &a.checks[p.index], &a.states[p.index]
	first := !s.known
	changed := s.observe(p.err == nil, c.Rise, c.Fall)
	res := Result{
		Group: a.group, Check: c.Name, Kind: c.Kind, Time: p.start, Latency: p.latency,
		OK: p.err == nil, Err: p.err, Healthy: s.healthy, Changed: changed, Streak: s.run(),
	}
	a.last[p.index] = res
	if first {
		a.waiting--
		if a.ready() {
			a.health = aggregate(a.checks, a.states)
			return res, true
		}
	}
	if !changed || !a.ready() {
		return res, false
	}
	h := aggregate(a.checks, a.states)
	moved := h != a.health
	a.health = h
	return res, moved
}

// snapshot returns the state for Status.
func (a *aggregator) snapshot() Status {
	st := Status{Ready: a.ready(), Health: a.health, Checks: make([]CheckStatus, len(a.checks))}
	for i := range a.checks {
		c := &a.checks[i]
		st.Checks[i] = CheckStatus{
			Name: c.Name, Kind: c.Kind, Fault: c.Fault, Weight: c.Weight,
			Known: a.states[i].known, Last: a.last[i],
		}
	}
	return st
}
