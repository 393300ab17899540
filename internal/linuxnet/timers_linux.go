package linuxnet

import (
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/unix"

	"github.com/vipd/vipd/internal/netif"
)

// Timers makes timerfd timers (netif.Timers). A timerfd is an hrtimer the
// kernel fires at its deadline and signals through the runtime's poller as
// a readable descriptor, so the loop wakes within tens of microseconds of
// the deadline instead of at epoll's next millisecond.
type Timers struct{}

var _ netif.Timers = Timers{}

// NewTimer creates a disarmed timer and the goroutine that delivers its
// fires; Stop ends both.
func (Timers) NewTimer() (netif.Timer, error) {
	fd, err := unix.TimerfdCreate(unix.CLOCK_MONOTONIC, unix.TFD_NONBLOCK|unix.TFD_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("linuxnet: timerfd_create: %w", err)
	}
	t := &timerFD{fd: fd, file: os.NewFile(uintptr(fd), "timerfd"), c: make(chan time.Time, 1), done: make(chan struct{})}
	go t.deliver()
	return t, nil
}

type timerFD struct {
	fd   int
	file *os.File // the fd, read through the runtime's poller
	c    chan time.Time
	done chan struct{}
	// stopped keeps Reset off the descriptor number once it is closed:
	// the number may already belong to another file.
	stopped bool
}

func (t *timerFD) C() <-chan time.Time { return t.c }

func (t *timerFD) Reset(d time.Duration) {
	if t.stopped {
		return
	}
	// A zero it_value disarms a timerfd: "now" is the shortest wait.
	d = max(d, time.Nanosecond)
	spec := unix.ItimerSpec{Value: unix.NsecToTimespec(d.Nanoseconds())}
	if err := unix.TimerfdSettime(t.fd, 0, &spec, nil); err != nil {
		// Only a closed or invalid fd fails here; fire at once so the
		// loop re-checks its deadlines rather than sleeping forever.
		t.fire(time.Now())
	}
}

func (t *timerFD) Stop() {
	if t.stopped {
		return
	}
	t.stopped = true
	_ = t.file.Close() // wakes deliver's blocked read with an error
	<-t.done
}

// deliver reads each expiry (an 8-byte count) and passes it on.
func (t *timerFD) deliver() {
	defer close(t.done)
	var buf [8]byte
	for {
		if _, err := t.file.Read(buf[:]); err != nil {
			return
		}
		t.fire(time.Now())
	}
}

// fire passes now on without blocking: one pending fire is enough, since
// the loop re-reads the clock.
func (t *timerFD) fire(now time.Time) {
	select {
	case t.c <- now:
	default:
	}
}
