package netiftest

import (
	"context"
	"sync"

	"github.com/vipd/vipd/internal/netif"
)

// Links is a fake netif.LinkWatcher whose link states the test sets. A link
// never set is absent. Safe for concurrent use.
type Links struct {
	mu      sync.Mutex
	states  map[string]netif.LinkState
	changed chan struct{} // closed and replaced at every Set
}

var _ netif.LinkWatcher = (*Links)(nil)

// NewLinks returns links in the given states.
func NewLinks(states ...netif.LinkState) *Links {
	l := &Links{states: make(map[string]netif.LinkState), changed: make(chan struct{})}
	for _, s := range states {
		l.states[s.Name] = s
	}
	return l
}

// Usable returns the state of a present link that is up with carrier.
func Usable(name string, index int) netif.LinkState {
	return netif.LinkState{Name: name, Present: true, Index: index, Up: true, Carrier: true}
}

// Set changes the state of the link s.Name. Watchers see it; a watcher that
// has not sent the previous state yet skips it (Watch reports the latest
// state, never two equal ones in a row).
func (l *Links) Set(s netif.LinkState) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !s.Present {
		s = netif.LinkState{Name: s.Name}
	}
	l.states[s.Name] = s
	close(l.changed)
	l.changed = make(chan struct{})
}

// State returns the current state of the named link.
func (l *Links) State(name string) netif.LinkState {
	l.mu.Lock()
	defer l.mu.Unlock()
	if s, ok := l.states[name]; ok {
		return s
	}
	return netif.LinkState{Name: name}
}

// Watch implements netif.LinkWatcher.
func (l *Links) Watch(ctx context.Context, name string, ch chan<- netif.LinkState) error {
	var last netif.LinkState
	sent := false
	for {
		l.mu.Lock()
		st, ok := l.states[name]
		if !ok {
			st = netif.LinkState{Name: name}
		}
		changed := l.changed
		l.mu.Unlock()
		if !sent || st != last {
			select {
			case ch <- st:
				sent, last = true, st
				continue // the state may have changed while we waited
			case <-changed:
				continue
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
