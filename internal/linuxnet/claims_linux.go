package linuxnet

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"slices"

	"github.com/mdlayher/packet"
	"golang.org/x/sys/unix"

	"github.com/vipd/vipd/internal/netif"
)

// ClaimsOptions configures NewClaims.
type ClaimsOptions struct {
	// Logger receives debug lines. Nil discards them.
	Logger *slog.Logger
}

// Claims is the Linux implementation of netif.ClaimWatcher. Each watch
// opens an AF_PACKET socket on the interface for every EtherType, with a
// socket filter (claimFilter) that lets only ARP frames and neighbour
// advertisements through, and reads the frames that claim one of the
// watched addresses from a hardware address other than the interface's own.
// Frames this host sends pass the filter too (AF_PACKET sockets see
// outgoing frames); they carry the interface's own address and are
// skipped. A socket bound to an interface that is deleted fails with
// ENETDOWN, which ends the watch.
//
// It works in the network namespace that was current for the thread that
// called NewClaims. WatchClaims is safe for concurrent use.
type Claims struct {
	log *slog.Logger
	ns  nsRef
	nl  *rtnl
}

var _ netif.ClaimWatcher = (*Claims)(nil)

// NewClaims opens a netlink socket for link lookups in the calling thread's
// network namespace. It starts no goroutine.
func NewClaims(opts ClaimsOptions) (*Claims, error) {
	ns, err := currentNS()
	if err != nil {
		return nil, fmt.Errorf("linuxnet: %w", err)
	}
	nl, err := dialRTNL(0)
	if err != nil {
		_ = ns.close()
		return nil, fmt.Errorf("linuxnet: %w", err)
	}
	return &Claims{log: loggerOrDiscard(opts.Logger), ns: ns, nl: nl}, nil
}

// Close closes the netlink socket. Running watches go on; new ones fail.
func (c *Claims) Close() error {
	if err := errors.Join(c.nl.close(), c.ns.close()); err != nil {
		return fmt.Errorf("linuxnet: close claims: %w", err)
	}
	return nil
}

// WatchClaims implements netif.ClaimWatcher.
func (c *Claims) WatchClaims(ctx context.Context, link string, addrs []netip.Addr, ch chan<- netif.Claim) error {
	li, err := c.nl.linkByName(ctx, link)
	if err != nil {
		return fmt.Errorf("linuxnet: watch claims: %w", err)
	}
	var conn *packet.Conn
	err = c.ns.do(func() error {
		var err error
		conn, err = packet.Listen(&net.Interface{Index: li.index, Name: li.name}, packet.Raw, unix.ETH_P_ALL,
			&packet.Config{Filter: claimFilter})
		return err
	})
	if err != nil {
		return fmt.Errorf("linuxnet: watch claims on %s: open packet socket: %w", link, err)
	}
	defer conn.Close()
	// Closing the socket is what ends a blocked read.
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	defer stop()

	watched := make([]netip.Addr, len(addrs))
	for i, a := range addrs {
		watched[i] = a.Unmap().WithZone("")
	}
	own := li.mac
	c.log.Debug("watching for claims", "link", link, "index", li.index, "addrs", watched)
	buf := make([]byte, 1<<16)
	for {
		n, _, err := conn.ReadFrom(buf)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("linuxnet: watch claims on %s: %w", link, err)
		}
		addr, mac, kind, ok := parseClaim(buf[:n])
		if !ok || !slices.Contains(watched, addr) || bytes.Equal(mac[:], own) {
			continue
		}
		// The interface's address may have changed since the watch began
		// (ip link set address): compare with the current one before
		// reporting our own frames as someone else's.
		if cur, err := c.nl.linkByName(ctx, link); err == nil && cur.index == li.index {
			own = cur.mac
			if bytes.Equal(mac[:], own) {
				continue
			}
		}
		cl := netif.Claim{Link: link, Addr: addr, MAC: mac, Kind: kind}
		c.log.Debug("claim seen", "claim", cl.String())
		select {
		case ch <- cl:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
