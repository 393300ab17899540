package health

// streak is one check's state under rise and fall: healthy or failing, and
// how many probes in a row have had the latest outcome.
//
// The first probe decides the initial state on its own: a check is healthy
// from its first pass and failing from its first failure. Rise and fall
// apply from then on. Starting as failing (keepalived's init_fail) would
// hold a healthy host in Fault for rise intervals at every start, long
// enough for it to lose the election and then take the VIPs back: a flap.
// Starting as healthy would let a host whose service is down win the
// election and lose it fall intervals later: a flap too. The first probe
// finishes within one timeout, shorter than the first master-down wait.
type streak struct {
	known   bool // a first result has come
	healthy bool
	passes  int // passed probes in a row (0 after a failure)
	fails   int // failed probes in a row (0 after a pass)
}

// observe records one probe's outcome under rise and fall and reports
// whether it changed the state (the first result always does).
func (s *streak) observe(ok bool, rise, fall int) bool {
	if ok {
		s.passes, s.fails = s.passes+1, 0
	} else {
		s.passes, s.fails = 0, s.fails+1
	}
	was := s.healthy
	switch {
	case !s.known:
		s.known, s.healthy = true, ok
		return true
	case s.healthy && s.fails >= fall:
		s.healthy = false
	case !s.healthy && s.passes >= rise:
		s.healthy = true
	}
	return s.healthy != was
}

// run is the number of probes in a row with the latest outcome.
func (s *streak) run() int { return max(s.passes, s.fails) }
