package health

import "github.com/vipd/vipd/internal/fsm"

// aggregate combines the states of a group's checks (states[i] is that of
// checks[i]) into the group's health: Fault while any fault check fails;
// Weight the sum of the positive weights of healthy checks and the negative
// weights of failing ones (keepalived's rule). A check with no result yet
// counts as neither.
func aggregate(checks []Check, states []streak) fsm.HealthChanged {
	var h fsm.HealthChanged
	for i := range checks {
		c, s := &checks[i], &states[i]
		if !s.known {
			continue
		}
		switch {
		case c.Fault:
			h.Fault = h.Fault || !s.healthy
		case c.Weight > 0 && s.healthy, c.Weight < 0 && !s.healthy:
			h.Weight += c.Weight
		}
	}
	return h
}
