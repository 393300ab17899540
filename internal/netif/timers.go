package netif

import "time"

// Timer is a loop's one timer: armed again after every step at the
// earliest deadline. A fire may arrive after Reset for an earlier arming;
// the loop compares the time with its deadlines and ignores an early one.
// Reset and Stop are called from one goroutine, the loop's.
type Timer interface {
	// C delivers the time the timer fired.
	C() <-chan time.Time
	// Reset arms the timer to fire once, d from now (now if d ≤ 0),
	// replacing any earlier arming.
	Reset(d time.Duration)
	// Stop disarms the timer for good and releases what it holds.
	Stop()
}

// Timers makes timers that fire close to their deadline. Go's runtime
// timers wake through epoll's millisecond timeout and were measured firing
// 2.7 ms late for a 3.2 s wait, which a backup would add to every takeover.
type Timers interface {
	NewTimer() (Timer, error)
}
