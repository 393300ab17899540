package fsm

import "time"

// stepInit waits for Start; conditions given before it are kept by Step.
func (m *Machine) stepInit(now time.Time, in Input) {
	switch in.(type) {
	case Start:
		m.elect(now, ReasonStartup)
	case Shutdown:
		m.stop(ReasonShutdown)
	}
}
