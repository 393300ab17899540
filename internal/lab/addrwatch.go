package lab

import (
	"fmt"
	"net/netip"
	"sync"
	"time"

	"github.com/vishvananda/netlink"
)

// VIPEvent is a VIP appearing on or disappearing from a host's link, as
// the host's kernel reported it: what every implementation does to take
// over or step down, whatever it logs.
type VIPEvent struct {
	// At is when the lab received the kernel's notification.
	At time.Time
	// Host is the host's index in the lab; Target the VIP's.
	Host, Target int
	// Held is true when the VIP was added, false when it was removed.
	Held bool
}

// vipWatch follows the lab's VIPs on every host through rtnetlink address
// notifications.
type vipWatch struct {
	targets []netip.Addr
	mu      sync.Mutex
	held    [][]bool // [host][target]
	events  []VIPEvent
	done    chan struct{}
	wg      sync.WaitGroup
}

// startVIPWatch subscribes to address notifications in every host's
// namespace (listing what is there already) until close.
func startVIPWatch(hosts []*Node, targets []netip.Addr, onErr func(error)) (*vipWatch, error) {
	w := &vipWatch{targets: targets, done: make(chan struct{})}
	for range hosts {
		w.held = append(w.held, make([]bool, len(targets)))
	}
	// Closing the subscriptions makes them report a receive error: not
	// worth passing on.
	report := func(err error) {
		select {
		case <-w.done:
		default:
			onErr(err)
		}
	}
	for i, h := range hosts {
		ch := make(chan netlink.AddrUpdate, 64)
		ns := h.ns.h
		err := netlink.AddrSubscribeWithOptions(ch, w.done, netlink.AddrSubscribeOptions{
			Namespace:         &ns,
			ListExisting:      true,
			ReceiveBufferSize: 1 << 20,
			ErrorCallback:     report,
		})
		if err != nil {
			w.close()
			return nil, fmt.Errorf("lab: watch addresses in %s: %w", h.Name, err)
		}
		w.wg.Add(1)
		go w.follow(i, ch)
	}
	return w, nil
}

// follow records one host's updates until its channel closes.
func (w *vipWatch) follow(host int, ch <-chan netlink.AddrUpdate) {
	defer w.wg.Done()
	for u := range ch {
		a, ok := netip.AddrFromSlice(u.LinkAddress.IP)
		if !ok {
			continue
		}
		a = a.Unmap()
		for t, vip := range w.targets {
			if a != vip {
				continue
			}
			w.mu.Lock()
			if w.held[host][t] != u.NewAddr {
				w.held[host][t] = u.NewAddr
				w.events = append(w.events, VIPEvent{At: time.Now(), Host: host, Target: t, Held: u.NewAddr})
			}
			w.mu.Unlock()
		}
	}
}

// holders returns the hosts (as a bit set) whose link holds target now.
func (w *vipWatch) holders(target int) uint8 {
	w.mu.Lock()
	defer w.mu.Unlock()
	var set uint8
	for h := range w.held {
		if w.held[h][target] {
			set |= 1 << h
		}
	}
	return set
}

// eventsBetween returns the events of target in [from, to].
func (w *vipWatch) eventsBetween(target int, from, to time.Time) []VIPEvent {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []VIPEvent
	for _, e := range w.events {
		if e.Target == target && !e.At.Before(from) && !e.At.After(to) {
			out = append(out, e)
		}
	}
	return out
}

// close ends the subscriptions and waits for their goroutines.
func (w *vipWatch) close() {
	close(w.done)
	w.wg.Wait()
}
