package linuxnet

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"slices"

	"golang.org/x/sys/unix"

	"github.com/vipd/vipd/internal/netif"
)

// SourcesOptions configures NewSources.
type SourcesOptions struct {
	// Logger receives debug lines. Nil discards them.
	Logger *slog.Logger
	// Protocol is the address protocol (IFA_PROTO) of vipd's VIPs, which
	// are never a source: that of the Addresses in use. 0 means
	// AddressProtocol.
	Protocol uint8
}

// Sources is the Linux implementation of netif.Sources: it reads the
// interface's addresses over rtnetlink at each call, so an interface that
// was deleted and created again is read afresh.
//
// It works in the network namespace that was current for the thread that
// called NewSources. Source is safe for concurrent use.
type Sources struct {
	log   *slog.Logger
	ns    nsRef
	nl    *rtnl
	proto uint8
}

var _ netif.Sources = (*Sources)(nil)

// NewSources opens a netlink socket in the calling thread's network
// namespace. It starts no goroutine.
func NewSources(opts SourcesOptions) (*Sources, error) {
	ns, err := currentNS()
	if err != nil {
		return nil, fmt.Errorf("linuxnet: %w", err)
	}
	nl, err := dialRTNL(0)
	if err != nil {
		_ = ns.close()
		return nil, fmt.Errorf("linuxnet: %w", err)
	}
	return &Sources{log: loggerOrDiscard(opts.Logger), ns: ns, nl: nl, proto: cmp.Or(opts.Protocol, AddressProtocol)}, nil
}

// Close closes the netlink socket. Source fails after it.
func (s *Sources) Close() error {
	if err := errors.Join(s.nl.close(), s.ns.close()); err != nil {
		return fmt.Errorf("linuxnet: close sources: %w", err)
	}
	return nil
}

// Source implements netif.Sources. Besides the excluded addresses it skips
// those marked with the VIP protocol (another group's VIPs), tentative ones
// and those that failed duplicate address detection. IPv4 addresses are
// taken in the kernel's order, in which a subnet's primary address comes
// before its secondaries.
func (s *Sources) Source(ctx context.Context, link string, family netif.Family, exclude []netip.Addr) (netip.Addr, error) {
	li, err := s.nl.linkByName(ctx, link)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("linuxnet: %s source: %w", family, err)
	}
	as, err := s.nl.addrs(ctx, li.index)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("linuxnet: %s source on %s: %w", family, link, err)
	}
	if a, ok := pickSource(as, family, exclude, s.proto); ok {
		s.log.Debug("found source address", "link", link, "family", family, "source", a)
		return a, nil
	}
	return netip.Addr{}, fmt.Errorf("linuxnet: %s source on %s: %w", family, link, netif.ErrNoSource)
}

// pickSource chooses the primary address among an interface's addresses:
// the IPv6 link-local one (RFC 5798 §5.1.2.1) or the first global IPv4 one.
func pickSource(as []kaddr, family netif.Family, exclude []netip.Addr, vipProto uint8) (netip.Addr, bool) {
	for _, a := range as {
		ip := a.prefix.Addr()
		switch {
		case ip.Is4() != (family == netif.IPv4),
			slices.Contains(exclude, ip),
			a.proto == vipProto,
			a.flags&(unix.IFA_F_TENTATIVE|unix.IFA_F_DADFAILED) != 0:
			continue
		case family == netif.IPv6 && ip.IsLinkLocalUnicast():
			return ip, true
		case family == netif.IPv4 && ip.IsGlobalUnicast():
			return ip, true
		}
	}
	return netip.Addr{}, false
}
