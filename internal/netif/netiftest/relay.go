package netiftest

import (
	"fmt"
	"sync"
	"time"

	"github.com/vipd/vipd/internal/netif"
)

// Relays is a netif.Relays whose relays send from a goroutine on Go's
// timers, which testing/synctest bubbles control, with the same decisions
// (netif.RelayTiming.Turn) as Linux's threads. It counts what it started.
type Relays struct {
	mu      sync.Mutex
	started []netif.RelayTiming
}

var _ netif.Relays = (*Relays)(nil)

// Start implements netif.Relays.
func (r *Relays) Start(conn netif.AdvertConn, t netif.RelayTiming) (netif.Relay, error) {
	if !t.Valid() {
		return nil, fmt.Errorf("netiftest: relay timing %+v is not valid", t)
	}
	r.mu.Lock()
	r.started = append(r.started, t)
	r.mu.Unlock()
	rl := &relay{conn: conn, t: t, epoch: time.Now(), wake: make(chan struct{}, 1), done: make(chan struct{}), exited: make(chan struct{})}
	go rl.run()
	return rl, nil
}

// Started returns the timings of the relays started so far.
func (r *Relays) Started() []netif.RelayTiming {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]netif.RelayTiming(nil), r.started...)
}

type relay struct {
	conn    netif.AdvertConn
	t       netif.RelayTiming
	epoch   time.Time
	wake    chan struct{}
	done    chan struct{}
	exited  chan struct{}
	closing sync.Once

	mu      sync.Mutex // held while sending, as on Linux
	out     []netif.Outgoing
	state   netif.RelayState
	relayed uint64
}

func (rl *relay) Sent(adverts []netif.Outgoing) {
	rl.mu.Lock()
	rl.out = rl.out[:0]
	for _, a := range adverts {
		rl.out = append(rl.out, netif.Outgoing{Payload: append([]byte(nil), a.Payload...), Dst: a.Dst})
	}
	rl.state.Armed, rl.state.LoopSent = true, time.Since(rl.epoch)
	rl.mu.Unlock()
	select {
	case rl.wake <- struct{}{}:
	default:
	}
}

func (rl *relay) Quiet() {
	rl.mu.Lock()
	rl.state.Armed, rl.out = false, nil
	rl.mu.Unlock()
}

func (rl *relay) Relayed() uint64 {
	rl.mu.Lock()
	defer rl.mu.Unlock()
	return rl.relayed
}

func (rl *relay) Close() error {
	rl.closing.Do(func() { close(rl.done) })
	<-rl.exited
	return nil
}

func (rl *relay) run() {
	defer close(rl.exited)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	for {
		select {
		case <-rl.done:
			return
		case <-rl.wake:
		case <-timer.C:
		}
		rl.mu.Lock()
		now := time.Since(rl.epoch)
		send, next := rl.t.Turn(&rl.state, now)
		if send {
			for _, o := range rl.out {
				if rl.conn.Send(o.Payload, o.Dst) == nil {
					rl.relayed++
				}
			}
		}
		if next > 0 {
			timer.Reset(next - now)
		} else {
			timer.Stop()
		}
		rl.mu.Unlock()
	}
}
