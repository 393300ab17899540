package daemon

import (
	"maps"
	"sync"
	"time"

	"github.com/vipd/vipd/internal/control"
	"github.com/vipd/vipd/internal/driver"
	"github.com/vipd/vipd/internal/hooks"
)

func transitionEvent(ev driver.Event) control.Event {
	return control.Event{
		Time: ev.Time, Group: ev.Group, Kind: "transition",
		From: ev.From.String(), To: ev.To.String(), Reason: ev.Reason.String(),
	}
}

func hookEvent(r hooks.Result) control.Event {
	code := r.ExitCode
	ev := control.Event{
		Time: time.Now(), Group: r.Event.Group, Kind: "hook", Hook: r.Kind.String(),
		From: r.Event.From.String(), To: r.Event.To.String(), Reason: r.Event.Reason.String(),
		ExitCode: &code, TimedOut: r.TimedOut,
	}
	if r.Err != nil {
		ev.Error = r.Err.Error()
	}
	return ev
}

// hookCounts counts hook runs and failures per group and hook for metrics.
type hookCounts struct {
	mu       sync.Mutex
	runs     map[string]map[string]uint64
	failures map[string]map[string]uint64
}

func (h *hookCounts) add(r hooks.Result) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.runs == nil {
		h.runs, h.failures = map[string]map[string]uint64{}, map[string]map[string]uint64{}
	}
	bump := func(m map[string]map[string]uint64) {
		if m[r.Event.Group] == nil {
			m[r.Event.Group] = map[string]uint64{}
		}
		m[r.Event.Group][r.Kind.String()]++
	}
	bump(h.runs)
	if r.Err != nil || r.TimedOut || r.ExitCode != 0 {
		bump(h.failures)
	}
}

// of copies one group's counts.
func (h *hookCounts) of(group string) (runs, failures map[string]uint64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return maps.Clone(h.runs[group]), maps.Clone(h.failures[group])
}
