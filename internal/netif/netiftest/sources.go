package netiftest

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"sync"

	"github.com/vipd/vipd/internal/netif"
)

// Sources is a fake netif.Sources: each link has at most one primary
// address per family, which the test sets. Safe for concurrent use.
type Sources struct {
	mu    sync.Mutex
	addrs map[sourceKey]netip.Addr
	asked int
}

type sourceKey struct {
	link   string
	family netif.Family
}

var _ netif.Sources = (*Sources)(nil)

// NewSources returns sources with no addresses.
func NewSources() *Sources { return &Sources{addrs: make(map[sourceKey]netip.Addr)} }

// Set makes a link's primary address of a's family a.
func (s *Sources) Set(link string, a netip.Addr) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addrs[sourceKey{link, familyOf(a)}] = a
}

// Clear removes the link's primary address of family f.
func (s *Sources) Clear(link string, f netif.Family) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.addrs, sourceKey{link, f})
}

// Asked counts the Source calls.
func (s *Sources) Asked() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.asked
}

// Source implements netif.Sources: the address set for link and family,
// unless it is excluded; else an error wrapping netif.ErrNoSource.
func (s *Sources) Source(ctx context.Context, link string, family netif.Family, exclude []netip.Addr) (netip.Addr, error) {
	if err := ctx.Err(); err != nil {
		return netip.Addr{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.asked++
	a, ok := s.addrs[sourceKey{link, family}]
	if !ok || slices.Contains(exclude, a) {
		return netip.Addr{}, fmt.Errorf("netiftest: %s source on %s: %w", family, link, netif.ErrNoSource)
	}
	return a, nil
}
