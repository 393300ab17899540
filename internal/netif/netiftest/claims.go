package netiftest

import (
	"context"
	"net/netip"
	"slices"
	"sync"

	"github.com/vipd/vipd/internal/netif"
)

// Claims is a fake netif.ClaimWatcher: the test makes claims with Claim,
// and every watch of the claim's link that watches its address reports it.
// Safe for concurrent use.
type Claims struct {
	mu      sync.Mutex
	watches []*claimWatch
	started map[string]int
	dropped int
}

type claimWatch struct {
	link  string
	addrs []netip.Addr
	queue chan netif.Claim
}

var _ netif.ClaimWatcher = (*Claims)(nil)

// NewClaims returns a claim watcher with no watches.
func NewClaims() *Claims { return &Claims{started: make(map[string]int)} }

// WatchClaims implements netif.ClaimWatcher.
func (c *Claims) WatchClaims(ctx context.Context, link string, addrs []netip.Addr, ch chan<- netif.Claim) error {
	w := &claimWatch{link: link, addrs: slices.Clone(addrs), queue: make(chan netif.Claim, QueueLen)}
	c.mu.Lock()
	c.watches = append(c.watches, w)
	c.started[link]++
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.watches = slices.DeleteFunc(c.watches, func(o *claimWatch) bool { return o == w })
	}()
	for {
		select {
		case cl := <-w.queue:
			select {
			case ch <- cl:
			case <-ctx.Done():
				return ctx.Err()
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Claim reports cl to the watches of cl.Link that watch cl.Addr and returns
// how many got it. A watch whose queue (QueueLen) is full loses it.
func (c *Claims) Claim(cl netif.Claim) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, w := range c.watches {
		if w.link != cl.Link || !slices.Contains(w.addrs, cl.Addr) {
			continue
		}
		select {
		case w.queue <- cl:
			n++
		default:
			c.dropped++
		}
	}
	return n
}

// Watching returns how many watches of link are running.
func (c *Claims) Watching(link string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, w := range c.watches {
		if w.link == link {
			n++
		}
	}
	return n
}

// Started returns how many watches of link were ever started.
func (c *Claims) Started(link string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.started[link]
}
