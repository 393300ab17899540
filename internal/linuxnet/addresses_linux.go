package linuxnet

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/netip"
	"slices"
	"sync"
	"time"

	"golang.org/x/sys/unix"

	"github.com/vipd/vipd/internal/netif"
)

// AddressProtocol is the address protocol (IFA_PROTO, Linux ≥ 6.1) vipd
// puts on the addresses it adds, unless told otherwise: 112, the IP protocol
// number of VRRP and CARP. The kernel reserves 0 to 3 for itself (unspec,
// loopback, router advertisement, link-local); user space may use the rest.
// iproute2 ≥ 6.2 shows it as "proto 112".
const AddressProtocol = 112

// AddressesOptions configures NewAddresses.
type AddressesOptions struct {
	// Logger receives debug lines for each address added, renewed or
	// removed, and warnings. Nil discards them.
	Logger *slog.Logger
	// Protocol is the IFA_PROTO value that marks vipd's addresses; zero means
	// AddressProtocol. Two vipd daemons in one network namespace must use
	// different values, or each would remove the other's addresses.
	Protocol uint8
}

// Addresses is the netlink implementation of netif.Addresses.
//
// Ownership: every address it adds carries its protocol value in IFA_PROTO,
// and it only ever removes addresses that carry that value, so an address
// added by hand or by another program survives, even one equal to a VIP
// (which is then left as it is: neither retagged nor given a lifetime).
// Lifetimes: each VIP gets VIPSet.Lifetime as its valid and preferred
// lifetime, renewed by every SetVIPs call, so the kernel removes the VIPs of
// a daemon that died. IPv6 VIPs are added with IFA_F_NODAD, usable at once.
// IPv4 secondaries: before it removes a primary IPv4 address that has
// secondaries, it turns on promote_secondaries on the link, or the kernel
// would delete the secondaries, which may not be vipd's, with it.
//
// It works in the network namespace that was current for the thread that
// called NewAddresses. Methods are safe for concurrent use; they serialise.
type Addresses struct {
	log   *slog.Logger
	proto uint8
	nl    *rtnl

	mu      sync.Mutex
	claims  map[string]map[string][]netip.Prefix // link → owner → VIPs
	foreign map[netif.Address]bool               // foreign addresses warned about
	// held remembers, per link and owner, the VIPs the last SetVIPs found
	// or made all vipd's own, and the link's index then: renewing exactly
	// those again needs one request per VIP instead of a link lookup and
	// an address dump (the renewals of many groups add up).
	held map[heldKey]heldVIPs
}

type heldKey struct{ link, owner string }

type heldVIPs struct {
	index int
	vips  []netip.Prefix
}

var _ netif.Addresses = (*Addresses)(nil)

// NewAddresses opens a netlink socket in the calling thread's network
// namespace. It starts no goroutine. Close releases the socket.
func NewAddresses(opts AddressesOptions) (*Addresses, error) {
	nl, err := dialRTNL(0)
	if err != nil {
		return nil, fmt.Errorf("linuxnet: %w", err)
	}
	a := &Addresses{
		log:     loggerOrDiscard(opts.Logger),
		proto:   cmp.Or(opts.Protocol, AddressProtocol),
		nl:      nl,
		claims:  make(map[string]map[string][]netip.Prefix),
		foreign: make(map[netif.Address]bool),
		held:    make(map[heldKey]heldVIPs),
	}
	return a, nil
}

// Close releases the netlink socket. It removes no address.
func (a *Addresses) Close() error { return a.nl.close() }

// SetVIPs implements netif.Addresses.
func (a *Addresses) SetVIPs(ctx context.Context, set netif.VIPSet) error {
	for _, p := range set.VIPs {
		if !p.IsValid() || p.Addr().Zone() != "" || p.Addr().Is4In6() {
			return fmt.Errorf("linuxnet: set VIPs of %s on %s: invalid prefix %s", set.Owner, set.Link, p)
		}
	}
	life := lifetimeSeconds(set.Lifetime)

	a.mu.Lock()
	defer a.mu.Unlock()
	key := heldKey{set.Link, set.Owner}
	if h, ok := a.held[key]; ok && len(set.VIPs) > 0 && slices.Equal(h.vips, set.VIPs) {
		if a.renew(ctx, h, life) == nil {
			return nil
		}
		// Gone, moved or replaced: the full pass below finds out.
	}
	delete(a.held, key)
	owners := a.claims[set.Link]
	if len(set.VIPs) == 0 {
		delete(owners, set.Owner)
	} else {
		if owners == nil {
			owners = make(map[string][]netip.Prefix)
			a.claims[set.Link] = owners
		}
		owners[set.Owner] = slices.Clone(set.VIPs)
	}

	li, err := a.nl.linkByName(ctx, set.Link)
	if errors.Is(err, netif.ErrNoLink) && len(set.VIPs) == 0 {
		return nil // the addresses went with the link
	}
	if err != nil {
		return fmt.Errorf("linuxnet: set VIPs of %s: %w", set.Owner, err)
	}
	present, err := a.nl.addrs(ctx, li.index)
	if err != nil {
		return fmt.Errorf("linuxnet: set VIPs of %s on %s: %w", set.Owner, set.Link, err)
	}

	var errs []error
	// Remove first what no owner claims any more, so that a VIP whose
	// prefix length changed is added afresh below.
	claimed := a.claimedOn(set.Link)
	present, _, err = a.removeUnclaimed(ctx, li, present, claimed)
	errs = append(errs, err)

	allOurs := true
	for _, p := range set.VIPs {
		ours, err := a.ensure(ctx, li, present, p, life)
		allOurs = allOurs && ours
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("linuxnet: set VIPs of %s on %s: %w", set.Owner, set.Link, err)
	}
	if allOurs && len(set.VIPs) > 0 {
		a.held[key] = heldVIPs{index: li.index, vips: slices.Clone(set.VIPs)}
	}
	return nil
}

// renew renews the lifetime of VIPs the last full pass left all vipd's
// own, in place: NLM_F_REPLACE without NLM_F_CREATE fails on an address
// that is no longer there (removed, or its link re-created), and the
// caller then falls back to the full pass.
func (a *Addresses) renew(ctx context.Context, h heldVIPs, life uint32) error {
	for _, p := range h.vips {
		var flags uint32
		if p.Addr().Is6() {
			flags = unix.IFA_F_NODAD
		}
		if err := a.nl.newAddr(ctx, h.index, p, a.proto, flags, life, true); err != nil {
			return err
		}
	}
	return nil
}

// ensure adds p to the link or renews its lifetime, and reports whether
// the address on the link is vipd's own.
func (a *Addresses) ensure(ctx context.Context, li linkInfo, present []kaddr, p netip.Prefix, life uint32) (ours bool, _ error) {
	var flags uint32
	if p.Addr().Is6() {
		flags = unix.IFA_F_NODAD // RFC 4862 §5.4: no duplicate address detection, usable at once
	}
	cur, ok := findAddr(present, p)
	switch {
	case !ok:
		err := a.nl.newAddr(ctx, li.index, p, a.proto, flags, life, false)
		if errors.Is(err, unix.EEXIST) {
			// Someone added it between our dump and our request: it is
			// theirs. The next call sees and respects it.
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("add %s: %w", p, err)
		}
		a.log.Debug("VIP added", "link", li.name, "vip", p, "lifetime", life)
	case cur.proto != a.proto:
		key := netif.Address{Link: li.name, Prefix: cur.prefix}
		if !a.foreign[key] {
			a.foreign[key] = true
			a.log.Warn("VIP already configured by someone else; leaving it alone",
				"link", li.name, "vip", p, "present", cur.prefix, "proto", cur.proto)
		}
		return false, nil
	default:
		if err := a.nl.newAddr(ctx, li.index, p, a.proto, flags, life, true); err != nil {
			return false, fmt.Errorf("renew %s: %w", p, err)
		}
	}
	return true, nil
}

// findAddr finds the kernel's entry for p: for IPv4 the same address and
// prefix length (the kernel keeps 192.0.2.1/24 and 192.0.2.1/32 apart), for
// IPv6 the same address (the kernel holds an IPv6 address once per link).
func findAddr(present []kaddr, p netip.Prefix) (kaddr, bool) {
	for _, k := range present {
		if k.prefix.Addr() == p.Addr() && (p.Addr().Is6() || k.prefix.Bits() == p.Bits()) {
			return k, true
		}
	}
	return kaddr{}, false
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

// removeUnclaimed deletes the marked addresses in present that are not in
// claimed and returns present without them, and what it removed.
// Secondaries go before primaries.
func (a *Addresses) removeUnclaimed(ctx context.Context, li linkInfo, present []kaddr, claimed map[netip.Prefix]bool) (remaining, removed []kaddr, _ error) {
	var doomed []kaddr
	for _, k := range present {
		if k.proto == a.proto && !claimed[k.prefix] {
			doomed = append(doomed, k)
		}
	}
	if len(doomed) == 0 {
		return present, nil, nil
	}
	present = slices.Clone(present)
	slices.SortStableFunc(doomed, func(x, y kaddr) int {
		return -cmp.Compare(x.flags&unix.IFA_F_SECONDARY, y.flags&unix.IFA_F_SECONDARY)
	})
	var errs []error
	promoted := false
	for _, k := range doomed {
		if !promoted && hasSecondaries(present, k) {
			if err := a.nl.setPromoteSecondaries(ctx, li.index); err != nil {
				errs = append(errs, fmt.Errorf("keep secondaries of %s: %w", k.prefix, err))
				continue // removing it would take the secondaries with it
			}
			promoted = true
			a.log.Info("turned on promote_secondaries so that removing a VIP keeps the link's other addresses",
				"link", li.name, "vip", k.prefix)
		}
		err := a.nl.delAddr(ctx, li.index, k.prefix)
		if err != nil && !errors.Is(err, unix.EADDRNOTAVAIL) && !errors.Is(err, unix.ENODEV) {
			errs = append(errs, fmt.Errorf("remove %s: %w", k.prefix, err))
			continue
		}
		a.log.Debug("VIP removed", "link", li.name, "vip", k.prefix)
		present = slices.DeleteFunc(present, func(x kaddr) bool { return x == k })
		removed = append(removed, k)
	}
	return present, removed, errors.Join(errs...)
}

// hasSecondaries reports whether k is a primary IPv4 address with secondary
// addresses in its subnet, which the kernel deletes with it unless
// promote_secondaries is on.
func hasSecondaries(present []kaddr, k kaddr) bool {
	if !k.prefix.Addr().Is4() || k.flags&unix.IFA_F_SECONDARY != 0 {
		return false
	}
	subnet := k.prefix.Masked()
	for _, o := range present {
		if o != k && o.prefix.Addr().Is4() && o.flags&unix.IFA_F_SECONDARY != 0 &&
			o.prefix.Bits() == k.prefix.Bits() && subnet.Contains(o.prefix.Addr()) {
			return true
		}
	}
	return false
}

// Sweep implements netif.Addresses.
func (a *Addresses) Sweep(ctx context.Context) ([]netif.Address, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	links, err := a.nl.links(ctx)
	if err != nil {
		return nil, fmt.Errorf("linuxnet: sweep: %w", err)
	}
	all, err := a.nl.addrs(ctx, 0)
	if err != nil {
		return nil, fmt.Errorf("linuxnet: sweep: %w", err)
	}
	var removed []netif.Address
	var errs []error
	for _, li := range links {
		var present []kaddr
		for _, k := range all {
			if k.index == li.index {
				present = append(present, k)
			}
		}
		_, gone, err := a.removeUnclaimed(ctx, li, present, a.claimedOn(li.name))
		errs = append(errs, err)
		for _, k := range gone {
			removed = append(removed, netif.Address{Link: li.name, Prefix: k.prefix})
		}
	}
	if err := errors.Join(errs...); err != nil {
		return removed, fmt.Errorf("linuxnet: sweep: %w", err)
	}
	return removed, nil
}

// lifetimeSeconds converts a lifetime to the kernel's whole seconds, rounded
// up; zero is forever.
func lifetimeSeconds(d time.Duration) uint32 {
	if d <= 0 {
		return foreverLifetime
	}
	s := math.Ceil(d.Seconds())
	if s >= float64(foreverLifetime) {
		return foreverLifetime
	}
	return uint32(s)
}

func loggerOrDiscard(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.New(slog.DiscardHandler)
	}
	return l
}
