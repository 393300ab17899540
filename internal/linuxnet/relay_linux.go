package linuxnet

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"

	"github.com/vipd/vipd/internal/netif"
)

// Relays starts relays (netif.Relays) with one thread on each of two CPUs
// the daemon may run on: whichever single CPU stalls, one of them runs.
// Each thread sleeps on its own timerfd, armed from that thread, so its
// hrtimer sits on its CPU and not on the one that stalled. On a host with
// one usable CPU a relay has no threads and sends nothing: a stall there
// stops everything alike.
type Relays struct{}

var _ netif.Relays = Relays{}

// relayCPUs is how many CPUs a relay keeps a thread on.
const relayCPUs = 2

// Start implements netif.Relays.
func (Relays) Start(conn netif.AdvertConn, t netif.RelayTiming) (netif.Relay, error) {
	if !t.Valid() {
		return nil, fmt.Errorf("linuxnet: relay timing %+v: want 0 < Every < After and For > 0", t)
	}
	var allowed unix.CPUSet
	if err := unix.SchedGetaffinity(0, &allowed); err != nil {
		return nil, fmt.Errorf("linuxnet: relay: sched_getaffinity: %w", err)
	}
	r := &relay{conn: conn, t: t}
	cpus := firstCPUs(&allowed, relayCPUs)
	if len(cpus) < 2 {
		return r, nil
	}
	for _, cpu := range cpus {
		fd, err := unix.TimerfdCreate(unix.CLOCK_MONOTONIC, unix.TFD_CLOEXEC)
		if err != nil {
			return nil, errors.Join(fmt.Errorf("linuxnet: relay: timerfd_create: %w", err), r.Close())
		}
		th := &relayThread{fd: fd, cpu: cpu, parked: true}
		r.threads = append(r.threads, th)
		r.wg.Add(1)
		go r.run(th)
	}
	return r, nil
}

// firstCPUs returns up to n CPUs of set, lowest first.
func firstCPUs(set *unix.CPUSet, n int) []int {
	var cpus []int
	for cpu := 0; cpu < len(set)*64 && len(cpus) < n; cpu++ {
		if set.IsSet(cpu) {
			cpus = append(cpus, cpu)
		}
	}
	return cpus
}

// relay is a netif.Relay. Its mutex guards the adverts, the times, the
// threads' parked flags and every timerfd_settime, and is held while a
// thread sends: so Quiet returning means no stale send is in flight, and
// a thread cannot disarm its timer after Sent has woken it.
type relay struct {
	conn    netif.AdvertConn
	t       netif.RelayTiming
	threads []*relayThread
	wg      sync.WaitGroup
	relayed atomic.Uint64

	mu     sync.Mutex
	out    []netif.Outgoing
	bufs   [][]byte // out's payloads, reused from one Sent to the next
	state  netif.RelayState
	closed bool
}

type relayThread struct {
	fd     int
	cpu    int
	parked bool // disarmed until Sent wakes it; guarded by relay.mu
}

func (r *relay) Sent(adverts []netif.Outgoing) {
	now := monotonicNow()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return
	}
	r.out = r.out[:0]
	for i, a := range adverts {
		if i == len(r.bufs) {
			r.bufs = append(r.bufs, nil)
		}
		r.bufs[i] = append(r.bufs[i][:0], a.Payload...)
		r.out = append(r.out, netif.Outgoing{Payload: r.bufs[i], Dst: a.Dst})
	}
	r.state.Armed, r.state.LoopSent = true, now
	for _, th := range r.threads {
		if th.parked {
			th.parked = false
			armAt(th.fd, 1) // now: the thread re-arms itself on its CPU
		}
	}
}

func (r *relay) Quiet() {
	r.mu.Lock()
	r.state.Armed, r.out = false, r.out[:0]
	r.mu.Unlock()
}

func (r *relay) Relayed() uint64 { return r.relayed.Load() }

func (r *relay) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	for _, th := range r.threads {
		armAt(th.fd, 1)
	}
	r.mu.Unlock()
	r.wg.Wait()
	var errs []error
	for _, th := range r.threads {
		if err := unix.Close(th.fd); err != nil {
			errs = append(errs, fmt.Errorf("linuxnet: relay: close timerfd: %w", err))
		}
	}
	return errors.Join(errs...)
}

// run is one relay thread. The goroutine never unlocks its OS thread, so
// the thread, pinned to its CPU, ends with it.
func (r *relay) run(th *relayThread) {
	defer r.wg.Done()
	runtime.LockOSThread()
	var cpu unix.CPUSet
	cpu.Set(th.cpu)
	// Unpinned (a cpuset may forbid it) the thread still serves as a
	// second sender; it just may share the loop's CPU.
	_ = unix.SchedSetaffinity(0, &cpu)
	var expirations [8]byte
	for {
		if _, err := unix.Read(th.fd, expirations[:]); err != nil && !errors.Is(err, unix.EINTR) {
			return
		}
		if !r.turn(th) {
			return
		}
	}
}

// turn runs when a thread's timer fires: it sends if the loop has been
// silent for After (and not yet For), and re-arms the thread's timer.
// It reports false once the relay is closed.
func (r *relay) turn(th *relayThread) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return false
	}
	send, next := r.t.Turn(&r.state, monotonicNow())
	if send {
		for _, o := range r.out {
			if r.conn.Send(o.Payload, o.Dst) == nil {
				r.relayed.Add(1)
			}
		}
	}
	th.parked = next == 0
	armAt(th.fd, next)
	return true
}

// armAt arms a timerfd at an absolute CLOCK_MONOTONIC time; 0 disarms
// it. The calling thread's CPU gets the hrtimer.
func armAt(fd int, at time.Duration) {
	spec := unix.ItimerSpec{Value: unix.NsecToTimespec(at.Nanoseconds())}
	_ = unix.TimerfdSettime(fd, unix.TFD_TIMER_ABSTIME, &spec, nil)
}

// monotonicNow reads the clock the relay's timerfds run on.
func monotonicNow() time.Duration {
	var ts unix.Timespec
	_ = unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts)
	return time.Duration(ts.Nano())
}
