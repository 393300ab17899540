package netiftest

import (
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync"

	"github.com/vipd/vipd/internal/netif"
)

// QueueLen is how many packets an open connection holds before the segment
// drops what else arrives for it, as a socket buffer would.
const QueueLen = 256

// Segment is a fake link that carries adverts between hosts. Each Host on
// it implements netif.Adverts. A packet sent to a multicast group reaches
// every other host's connections of the same family that joined that group;
// one sent to a unicast address reaches the connections of the host that has
// the address. Delivery is immediate, in order, with TTL 255, through a
// buffered channel per connection. Safe for concurrent use.
type Segment struct {
	mu      sync.Mutex
	hosts   []*Host
	conns   []*Conn
	sent    []netif.Packet
	dropped int
}

// NewSegment returns an empty segment.
func NewSegment() *Segment { return &Segment{} }

// Host is one machine on a Segment, with its own addresses.
type Host struct {
	seg      *Segment
	addrs    []netip.Addr
	cut      bool
	err      error
	listened []netif.AdvertConfig
}

var _ netif.Adverts = (*Host)(nil)

// Host adds a host whose interface has addrs. Its first IPv4 and first
// IPv6 address are the source of what it sends (unless the connection has a
// Source), and it receives unicast sent to any of them.
func (s *Segment) Host(addrs ...netip.Addr) *Host {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := &Host{seg: s, addrs: slices.Clone(addrs)}
	s.hosts = append(s.hosts, h)
	return h
}

// Cut disconnects the host from the segment (true) or reconnects it
// (false): while cut, what it sends is lost and nothing reaches it, like a
// pulled cable.
func (h *Host) Cut(cut bool) {
	h.seg.mu.Lock()
	defer h.seg.mu.Unlock()
	h.cut = cut
}

// FailListen makes Listen return err (wrapped) until FailListen(nil).
func (h *Host) FailListen(err error) {
	h.seg.mu.Lock()
	defer h.seg.mu.Unlock()
	h.err = err
}

// Strand makes the connections the host has open now dead, as sockets
// bound to an interface that was deleted are: they stay open, nothing
// reaches them, and Send fails. Connections opened later work (on the
// interface created again).
func (h *Host) Strand() {
	s := h.seg
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.conns {
		if c.host == h {
			c.stranded = true
		}
	}
}

// Listened returns the configurations of the host's Listen calls that
// succeeded, oldest first.
func (h *Host) Listened() []netif.AdvertConfig {
	h.seg.mu.Lock()
	defer h.seg.mu.Unlock()
	return slices.Clone(h.listened)
}

// Listen implements netif.Adverts.
func (h *Host) Listen(cfg netif.AdvertConfig) (netif.AdvertConn, error) {
	s := h.seg
	s.mu.Lock()
	defer s.mu.Unlock()
	if h.err != nil {
		return nil, fmt.Errorf("netiftest: listen on %s: %w", cfg.Link, h.err)
	}
	if cfg.Family != netif.IPv4 && cfg.Family != netif.IPv6 {
		return nil, fmt.Errorf("netiftest: listen on %s: invalid family %v", cfg.Link, cfg.Family)
	}
	c := &Conn{host: h, cfg: cfg, in: make(chan netif.Packet, QueueLen), closed: make(chan struct{})}
	s.conns = append(s.conns, c)
	h.listened = append(h.listened, cfg)
	return c, nil
}

// source is the host's address of family f. Called with s.mu held.
func (h *Host) source(f netif.Family) netip.Addr {
	for _, a := range h.addrs {
		if a.Is4() == (f == netif.IPv4) {
			return a
		}
	}
	return netip.Addr{}
}

// Inject delivers p, as if a third host had sent it, to every open
// connection that would receive a packet to p.Dst of p's family (p.TTL and
// p.Src are kept as given; p.Link is set to the receiver's link).
func (s *Segment) Inject(p netif.Packet) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deliver(nil, p)
}

// deliver queues p for each connection that wants it, except from. Called
// with s.mu held.
func (s *Segment) deliver(from *Host, p netif.Packet) {
	for _, c := range s.conns {
		if c.host == from || c.host.cut || c.stranded || c.isClosed() || c.cfg.Family != familyOf(p.Dst) {
			continue
		}
		if p.Dst.IsMulticast() {
			if c.cfg.Group != p.Dst {
				continue
			}
		} else if !slices.Contains(c.host.addrs, p.Dst) {
			continue
		}
		q := p
		q.Payload = slices.Clone(p.Payload)
		q.Link = c.cfg.Link
		select {
		case c.in <- q:
		default:
			s.dropped++
		}
	}
}

func familyOf(a netip.Addr) netif.Family {
	if a.Is4() {
		return netif.IPv4
	}
	return netif.IPv6
}

// Sent returns the packets hosts sent, oldest first (not the injected
// ones), including those lost to a cut.
func (s *Segment) Sent() []netif.Packet {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.sent)
}

// Log renders what hosts sent, one packet per line, such as
// "192.0.2.1 > 224.0.0.18 ttl 255 len 36".
func (s *Segment) Log() string {
	var b strings.Builder
	for _, p := range s.Sent() {
		fmt.Fprintf(&b, "%s > %s ttl %d len %d\n", p.Src, p.Dst, p.TTL, len(p.Payload))
	}
	return b.String()
}

// Dropped counts packets lost because a receiver's queue was full.
func (s *Segment) Dropped() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dropped
}

// Conn is a fake netif.AdvertConn on a Segment.
type Conn struct {
	host      *Host
	cfg       netif.AdvertConfig
	in        chan netif.Packet
	closed    chan struct{}
	closeOnce sync.Once
	stranded  bool // its interface is gone (Host.Strand); guarded by the segment's mutex
}

var _ netif.AdvertConn = (*Conn)(nil)

func (c *Conn) isClosed() bool {
	select {
	case <-c.closed:
		return true
	default:
		return false
	}
}

// Send implements netif.AdvertConn.
func (c *Conn) Send(payload []byte, dst netip.Addr) error {
	if c.isClosed() {
		return fmt.Errorf("netiftest: send on %s: %w", c.cfg.Link, net.ErrClosed)
	}
	if !dst.IsValid() || familyOf(dst) != c.cfg.Family {
		return fmt.Errorf("netiftest: send on %s: destination %v is not %s", c.cfg.Link, dst, c.cfg.Family)
	}
	s := c.host.seg
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.stranded {
		return fmt.Errorf("netiftest: send on %s: the interface is gone", c.cfg.Link)
	}
	src := c.cfg.Source
	if !src.IsValid() {
		src = c.host.source(c.cfg.Family)
	}
	p := netif.Packet{Payload: slices.Clone(payload), Src: src, Dst: dst, TTL: 255, Link: c.cfg.Link}
	s.sent = append(s.sent, p)
	if !c.host.cut {
		s.deliver(c.host, p)
	}
	return nil
}

// Receive implements netif.AdvertConn.
func (c *Conn) Receive(b []byte) (netif.Packet, error) {
	if c.isClosed() {
		return netif.Packet{}, fmt.Errorf("netiftest: receive on %s: %w", c.cfg.Link, net.ErrClosed)
	}
	select {
	case p := <-c.in:
		n := copy(b, p.Payload)
		p.Payload = b[:n]
		return p, nil
	case <-c.closed:
		return netif.Packet{}, fmt.Errorf("netiftest: receive on %s: %w", c.cfg.Link, net.ErrClosed)
	}
}

// Close implements netif.AdvertConn.
func (c *Conn) Close() error {
	c.closeOnce.Do(func() {
		s := c.host.seg
		s.mu.Lock()
		defer s.mu.Unlock()
		close(c.closed)
		s.conns = slices.DeleteFunc(s.conns, func(o *Conn) bool { return o == c })
	})
	return nil
}

// Config returns the configuration the connection was opened with.
func (c *Conn) Config() netif.AdvertConfig { return c.cfg }
