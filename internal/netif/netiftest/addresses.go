package netiftest

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/vipd/vipd/internal/netif"
)

// Addresses is a fake netif.Addresses. It behaves like the Linux one: it
// marks what it adds, removes only marked addresses that no owner claims,
// leaves an equal address added by someone else alone, gives each VIP a
// lifetime (rounded up to whole seconds, like the kernel) that SetVIPs
// renews and after which the address is gone. Links exist unless SetLink
// says otherwise. Safe for concurrent use.
type Addresses struct {
	mu      sync.Mutex
	absent  map[string]bool
	entries []addrEntry
	claims  map[string]map[string][]netip.Prefix
	err     error
}

type addrEntry struct {
	link    string
	prefix  netip.Prefix
	marked  bool
	expires time.Time // zero: forever
}

var _ netif.Addresses = (*Addresses)(nil)

// NewAddresses returns an empty address table.
func NewAddresses() *Addresses {
	return &Addresses{
		absent: make(map[string]bool),
		claims: make(map[string]map[string][]netip.Prefix),
	}
}

// SetLink makes a link exist or not. A link that goes away loses its
// addresses, as in the kernel.
func (a *Addresses) SetLink(link string, present bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.absent[link] = !present
	if !present {
		a.entries = slices.DeleteFunc(a.entries, func(e addrEntry) bool { return e.link == link })
	}
}

// AddForeign adds an address as someone else would (ip addr add): unmarked
// and permanent.
func (a *Addresses) AddForeign(link string, p netip.Prefix) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.entries = append(a.entries, addrEntry{link: link, prefix: p})
}

// Remove deletes an address as someone else would (ip addr del).
func (a *Addresses) Remove(link string, p netip.Prefix) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.entries = slices.DeleteFunc(a.entries, func(e addrEntry) bool { return e.link == link && e.prefix == p })
}

// FailWith makes SetVIPs and Sweep return err (wrapped) without changing
// anything, until FailWith(nil).
func (a *Addresses) FailWith(err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.err = err
}

// State renders the addresses present now, one per line, sorted by link and
// address, such as
//
//	ip addr add 192.0.2.10/24 dev eth0
//	ip addr add 192.0.2.1/24 dev eth0 # foreign
//
// where "# foreign" marks addresses not added through SetVIPs. Addresses
// whose lifetime ran out are gone. The empty table renders as "".
func (a *Addresses) State() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.expire()
	lines := make([]string, 0, len(a.entries))
	sorted := slices.Clone(a.entries)
	slices.SortFunc(sorted, func(x, y addrEntry) int {
		return cmp.Or(strings.Compare(x.link, y.link), x.prefix.Addr().Compare(y.prefix.Addr()),
			cmp.Compare(x.prefix.Bits(), y.prefix.Bits()))
	})
	for _, e := range sorted {
		line := netif.Address{Link: e.link, Prefix: e.prefix}.String()
		if !e.marked {
			line += " # foreign"
		}
		lines = append(lines, line)
	}
	if len(lines) == 0 {
		return ""
	}
	return strings.Join(lines, "\n") + "\n"
}

// Lifetime returns the time left before the address on link expires, and
// whether it is there; a permanent address has math.MaxInt64.
func (a *Addresses) Lifetime(link string, p netip.Prefix) (time.Duration, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.expire()
	for _, e := range a.entries {
		if e.link == link && e.prefix == p {
			if e.expires.IsZero() {
				return math.MaxInt64, true
			}
			return time.Until(e.expires), true
		}
	}
	return 0, false
}

// expire drops the entries whose lifetime ran out. Called with a.mu held.
func (a *Addresses) expire() {
	now := time.Now()
	a.entries = slices.DeleteFunc(a.entries, func(e addrEntry) bool {
		return !e.expires.IsZero() && !now.Before(e.expires)
	})
}

// SetVIPs implements netif.Addresses.
func (a *Addresses) SetVIPs(ctx context.Context, set netif.VIPSet) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.err != nil {
		return fmt.Errorf("netiftest: set VIPs of %s on %s: %w", set.Owner, set.Link, a.err)
	}
	for _, p := range set.VIPs {
		if !p.IsValid() {
			return fmt.Errorf("netiftest: set VIPs of %s on %s: invalid prefix %s", set.Owner, set.Link, p)
		}
	}
	a.expire()
	owners := a.claims[set.Link]
	if owners == nil {
		owners = make(map[string][]netip.Prefix)
		a.claims[set.Link] = owners
	}
	if len(set.VIPs) == 0 {
		delete(owners, set.Owner)
	} else {
		owners[set.Owner] = slices.Clone(set.VIPs)
	}
	if a.absent[set.Link] {
		if len(set.VIPs) == 0 {
			return nil
		}
		return fmt.Errorf("netiftest: set VIPs of %s: link %s: %w", set.Owner, set.Link, netif.ErrNoLink)
	}
	claimed := a.claimedOn(set.Link)
	a.entries = slices.DeleteFunc(a.entries, func(e addrEntry) bool {
		return e.link == set.Link && e.marked && !claimed[e.prefix]
	})
	var expires time.Time
	if set.Lifetime > 0 {
		expires = time.Now().Add(time.Duration(math.Ceil(set.Lifetime.Seconds())) * time.Second)
	}
	for _, p := range set.VIPs {
		i := slices.IndexFunc(a.entries, func(e addrEntry) bool {
			return e.link == set.Link && e.prefix.Addr() == p.Addr() && (p.Addr().Is6() || e.prefix.Bits() == p.Bits())
		})
		switch {
		case i < 0:
			a.entries = append(a.entries, addrEntry{link: set.Link, prefix: p, marked: true, expires: expires})
		case a.entries[i].marked:
			a.entries[i].expires = expires
		}
	}
	return nil
}

// claimedOn returns what all owners claim on link. Called with a.mu held.
func (a *Addresses) claimedOn(link string) map[netip.Prefix]bool {
	out := make(map[netip.Prefix]bool)
	for _, vips := range a.claims[link] {
		for _, p := range vips {
			out[p] = true
		}
	}
	return out
}

// Sweep implements netif.Addresses.
func (a *Addresses) Sweep(ctx context.Context) ([]netif.Address, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.err != nil {
		return nil, fmt.Errorf("netiftest: sweep: %w", a.err)
	}
	a.expire()
	var removed []netif.Address
	a.entries = slices.DeleteFunc(a.entries, func(e addrEntry) bool {
		if e.marked && !a.claimedOn(e.link)[e.prefix] {
			removed = append(removed, netif.Address{Link: e.link, Prefix: e.prefix})
			return true
		}
		return false
	})
	return removed, nil
}

// Restart forgets the owners' claims, as a new daemon process would, and
// keeps the addresses, as the kernel does.
func (a *Addresses) Restart() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.claims = make(map[string]map[string][]netip.Prefix)
}
