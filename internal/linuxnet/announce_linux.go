package linuxnet

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"sync"

	"github.com/mdlayher/packet"

	"github.com/vipd/vipd/internal/netif"
)

// AnnouncerOptions configures NewAnnouncer.
type AnnouncerOptions struct {
	// Logger receives a debug line per announcement. Nil discards it.
	Logger *slog.Logger
}

// Announcer is the Linux implementation of netif.Announcer. It writes whole
// Ethernet frames on an AF_PACKET socket (protocol 0: it receives nothing),
// one per link, opened at the first announcement on that link and reused.
// Before each announcement it looks the link up by name, so a new MAC
// address is used at once and an interface that was deleted and created
// again gets a new socket. The Router flag of neighbour advertisements is
// set when the link forwards IPv6 (net.ipv6.conf.LINK.forwarding), as
// keepalived does.
//
// It works in the network namespace that was current for the thread that
// called NewAnnouncer. Methods are safe for concurrent use.
type Announcer struct {
	log *slog.Logger
	ns  nsRef
	nl  *rtnl

	mu     sync.Mutex
	links  map[string]*announceLink
	closed bool
}

type announceLink struct {
	index int
	conn  *packet.Conn
	buf   []byte
}

var _ netif.Announcer = (*Announcer)(nil)

// NewAnnouncer opens a netlink socket for link lookups in the calling
// thread's network namespace. It starts no goroutine.
func NewAnnouncer(opts AnnouncerOptions) (*Announcer, error) {
	ns, err := currentNS()
	if err != nil {
		return nil, fmt.Errorf("linuxnet: %w", err)
	}
	nl, err := dialRTNL(0)
	if err != nil {
		_ = ns.close()
		return nil, fmt.Errorf("linuxnet: %w", err)
	}
	return &Announcer{
		log:   loggerOrDiscard(opts.Logger),
		ns:    ns,
		nl:    nl,
		links: make(map[string]*announceLink),
	}, nil
}

// Close closes the sockets. Announce fails after it.
func (a *Announcer) Close() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return nil
	}
	a.closed = true
	errs := []error{a.nl.close(), a.ns.close()}
	for name, l := range a.links {
		errs = append(errs, l.conn.Close())
		delete(a.links, name)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("linuxnet: close announcer: %w", err)
	}
	return nil
}

// Announce implements netif.Announcer.
func (a *Announcer) Announce(ctx context.Context, link string, addrs []netip.Addr) error {
	if len(addrs) == 0 {
		return nil
	}
	li, err := a.nl.linkByName(ctx, link)
	if err != nil {
		return fmt.Errorf("linuxnet: announce: %w", err)
	}
	if len(li.mac) != 6 {
		return fmt.Errorf("linuxnet: announce on %s: link has no Ethernet address", link)
	}

	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return fmt.Errorf("linuxnet: announce on %s: %w", link, net.ErrClosed)
	}
	l, err := a.open(li)
	if err != nil {
		return fmt.Errorf("linuxnet: announce on %s: %w", link, err)
	}
	var errs []error
	for _, ip := range addrs {
		if err := ctx.Err(); err != nil {
			errs = append(errs, err)
			break
		}
		ip = ip.Unmap().WithZone("")
		switch {
		case ip.Is4():
			for _, op := range []uint16{arpRequest, arpReply} {
				l.buf = appendGratuitousARP(l.buf[:0], op, li.mac, ip)
				if _, err := l.conn.WriteTo(l.buf, &packet.Addr{HardwareAddr: broadcastMAC}); err != nil {
					errs = append(errs, fmt.Errorf("gratuitous ARP for %s: %w", ip, err))
				}
			}
		case ip.Is6():
			l.buf = appendUnsolicitedNA(l.buf[:0], li.mac, ip, li.forward)
			if _, err := l.conn.WriteTo(l.buf, &packet.Addr{HardwareAddr: allNodesMAC}); err != nil {
				errs = append(errs, fmt.Errorf("neighbour advertisement for %s: %w", ip, err))
			}
		default:
			errs = append(errs, fmt.Errorf("invalid address %v", ip))
		}
	}
	if err := errors.Join(errs...); err != nil {
		// The socket may belong to an interface that went away: open a new
		// one next time.
		_ = l.conn.Close()
		delete(a.links, link)
		return fmt.Errorf("linuxnet: announce on %s: %w", link, err)
	}
	a.log.Debug("announced", "link", link, "addrs", addrs)
	return nil
}

// open returns the socket for li, opening it if there is none or the
// interface behind the name changed. Called with a.mu held.
func (a *Announcer) open(li linkInfo) (*announceLink, error) {
	if l := a.links[li.name]; l != nil {
		if l.index == li.index {
			return l, nil
		}
		_ = l.conn.Close()
		delete(a.links, li.name)
	}
	var conn *packet.Conn
	err := a.ns.do(func() error {
		var err error
		// Protocol 0: the socket sends but receives nothing (packet(7)).
		conn, err = packet.Listen(&net.Interface{Index: li.index, Name: li.name}, packet.Raw, 0, nil)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("open packet socket: %w", err)
	}
	l := &announceLink{index: li.index, conn: conn, buf: make([]byte, 0, 128)}
	a.links[li.name] = l
	return l, nil
}
