package linuxnet

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"syscall"

	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"
	"golang.org/x/sys/unix"

	"github.com/vipd/vipd/internal/netif"
)

// protoAdvert is the IP protocol number of VRRP (RFC 5798 §5.2.4) and CARP.
const protoAdvert = 112

// tosCARP is the IPv4 type of service of CARP adverts (ucarp and OpenBSD
// send IPTOS_LOWDELAY); VRRP leaves it unspecified, so vipd uses it for all.
const tosCARP = 0x10

// AdvertsOptions configures NewAdverts.
type AdvertsOptions struct {
	// Logger receives debug lines. Nil discards them.
	Logger *slog.Logger
}

// Adverts is the Linux implementation of netif.Adverts: raw IP sockets of
// protocol 112.
//
// Each connection is bound to its interface (SO_BINDTODEVICE), joins the
// multicast group on that interface if one is configured (and receives no
// multicast otherwise: IP_MULTICAST_ALL off), sends with TTL / hop limit 255
// to multicast and unicast destinations, does not loop its multicast back,
// and reports the TTL / hop limit of each packet received. IPv4 adverts
// carry TOS 0x10 (IPTOS_LOWDELAY), as ucarp's do; the kernel sets DF as
// path-MTU discovery asks, as for ucarp. Receiving allocates nothing per
// packet: IPv4 reads the raw datagram (whose IP header gives addresses and
// TTL), IPv6 calls recvmsg(2) with a message header kept in the connection
// (x/net's batch reads allocate a source address per packet and look zone
// names up over netlink); x/net sets the socket options and sends.
//
// It works in the network namespace that was current for the thread that
// called NewAdverts. Listen is safe for concurrent use.
type Adverts struct {
	log *slog.Logger
	ns  nsRef
}

var _ netif.Adverts = (*Adverts)(nil)

// NewAdverts remembers the calling thread's network namespace. It opens no
// socket and starts no goroutine.
func NewAdverts(opts AdvertsOptions) (*Adverts, error) {
	ns, err := currentNS()
	if err != nil {
		return nil, fmt.Errorf("linuxnet: %w", err)
	}
	return &Adverts{log: loggerOrDiscard(opts.Logger), ns: ns}, nil
}

// Close releases the namespace reference. Connections stay open.
func (a *Adverts) Close() error { return a.ns.close() }

// Listen implements netif.Adverts.
func (a *Adverts) Listen(cfg netif.AdvertConfig) (netif.AdvertConn, error) {
	if err := checkAdvertConfig(cfg); err != nil {
		return nil, fmt.Errorf("linuxnet: listen for adverts on %s: %w", cfg.Link, err)
	}
	var c *advertConn
	err := a.ns.do(func() error {
		var err error
		c, err = listenAdverts(cfg)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("linuxnet: listen for %s adverts on %s: %w", cfg.Family, cfg.Link, err)
	}
	a.log.Debug("listening for adverts", "link", cfg.Link, "family", cfg.Family, "group", cfg.Group, "index", c.index)
	return c, nil
}

func checkAdvertConfig(cfg netif.AdvertConfig) error {
	is4 := cfg.Family == netif.IPv4
	if !is4 && cfg.Family != netif.IPv6 {
		return fmt.Errorf("invalid family %v", cfg.Family)
	}
	if cfg.Group.IsValid() && (cfg.Group.Is4() != is4 || !cfg.Group.IsMulticast()) {
		return fmt.Errorf("group %s is not an %s multicast address", cfg.Group, cfg.Family)
	}
	if cfg.Source.IsValid() && cfg.Source.Is4() != is4 {
		return fmt.Errorf("source %s is not an %s address", cfg.Source, cfg.Family)
	}
	return nil
}

// advertConn is one raw socket. The receive fields are used by one Receive
// at a time.
type advertConn struct {
	link   string
	index  int
	family netif.Family
	ipc    *net.IPConn
	rc     syscall.RawConn
	p4     *ipv4.PacketConn
	p6     *ipv6.PacketConn
	cm4    *ipv4.ControlMessage // nil unless a source is configured
	cm6    *ipv6.ControlMessage

	closeOnce sync.Once
	closeErr  error

	// Receive state (adverts_receive_linux.go).
	rbuf   []byte
	n      int
	oobn   int
	rerr   error
	readFn func(fd uintptr) bool // c.read, made once
	msg    unix.Msghdr
	iov    unix.Iovec
	name   unix.RawSockaddrInet6 // large enough for an IPv4 source too
	oob    [128]byte
}

// listenAdverts opens the socket; it runs on a thread in the right
// namespace.
func listenAdverts(cfg netif.AdvertConfig) (*advertConn, error) {
	nl, err := dialRTNL(0)
	if err != nil {
		return nil, err
	}
	li, err := nl.linkByName(context.Background(), cfg.Link)
	_ = nl.close()
	if err != nil {
		return nil, err
	}
	ifi := &net.Interface{Index: li.index, Name: li.name}

	network, laddr := fmt.Sprintf("ip4:%d", protoAdvert), "0.0.0.0"
	if cfg.Family == netif.IPv6 {
		network, laddr = fmt.Sprintf("ip6:%d", protoAdvert), "::"
	}
	lc := net.ListenConfig{Control: func(_, _ string, rc syscall.RawConn) error {
		var serr error
		err := rc.Control(func(fd uintptr) {
			serr = unix.SetsockoptString(int(fd), unix.SOL_SOCKET, unix.SO_BINDTODEVICE, li.name)
		})
		if err == nil && serr != nil {
			err = fmt.Errorf("bind to device %s: %w", li.name, serr)
		}
		return err
	}}
	pc, err := lc.ListenPacket(context.Background(), network, laddr)
	if err != nil {
		return nil, err
	}
	c := &advertConn{link: li.name, index: li.index, family: cfg.Family, ipc: pc.(*net.IPConn)}
	c.readFn = c.read
	if err := c.setup(cfg, ifi); err != nil {
		_ = c.ipc.Close()
		return nil, err
	}
	return c, nil
}

func (c *advertConn) setup(cfg netif.AdvertConfig, ifi *net.Interface) error {
	rc, err := c.ipc.SyscallConn()
	if err != nil {
		return err
	}
	c.rc = rc
	var errs []error
	setInt := func(level, opt, v int) {
		var serr error
		if err := rc.Control(func(fd uintptr) { serr = unix.SetsockoptInt(int(fd), level, opt, v) }); err != nil {
			serr = err
		}
		errs = append(errs, serr)
	}
	if cfg.Family == netif.IPv4 {
		p := ipv4.NewPacketConn(c.ipc)
		c.p4 = p
		errs = append(errs,
			p.SetTOS(tosCARP),
			p.SetTTL(255),
			p.SetMulticastTTL(255),
			p.SetMulticastLoopback(false),
			p.SetMulticastInterface(ifi),
		)
		setInt(unix.IPPROTO_IP, unix.IP_MULTICAST_ALL, 0)
		if cfg.Group.IsValid() {
			errs = append(errs, p.JoinGroup(ifi, &net.IPAddr{IP: cfg.Group.AsSlice()}))
		}
		if cfg.Source.IsValid() {
			c.cm4 = &ipv4.ControlMessage{Src: cfg.Source.AsSlice()}
		}
	} else {
		p := ipv6.NewPacketConn(c.ipc)
		c.p6 = p
		errs = append(errs,
			p.SetHopLimit(255),
			p.SetMulticastHopLimit(255),
			p.SetMulticastLoopback(false),
			p.SetMulticastInterface(ifi),
			p.SetControlMessage(ipv6.FlagHopLimit|ipv6.FlagDst, true),
		)
		setInt(unix.IPPROTO_IPV6, unix.IPV6_MULTICAST_ALL, 0)
		if cfg.Group.IsValid() {
			errs = append(errs, p.JoinGroup(ifi, &net.IPAddr{IP: cfg.Group.AsSlice()}))
		}
		c.cm6 = &ipv6.ControlMessage{IfIndex: c.index}
		if cfg.Source.IsValid() {
			c.cm6.Src = cfg.Source.AsSlice()
		}
	}
	// Kernel receive times, so that the master-down timer counts from
	// the advert's arrival, not from when the daemon got to read it.
	setInt(unix.SOL_SOCKET, unix.SO_TIMESTAMPNS, 1)
	if err := errors.Join(errs...); err != nil {
		return err
	}
	// Drop what arrived from other interfaces before the socket was bound.
	return rc.Read(func(fd uintptr) bool {
		var b [1]byte
		for {
			_, _, err := unix.Recvfrom(int(fd), b[:], unix.MSG_DONTWAIT|unix.MSG_TRUNC)
			if err != nil {
				return true
			}
		}
	})
}

// Send implements netif.AdvertConn.
func (c *advertConn) Send(payload []byte, dst netip.Addr) error {
	dst = dst.Unmap()
	if dst.Is4() != (c.family == netif.IPv4) || !dst.IsValid() {
		return fmt.Errorf("linuxnet: send advert on %s: destination %v is not %s", c.link, dst, c.family)
	}
	var err error
	if c.p4 != nil {
		_, err = c.p4.WriteTo(payload, c.cm4, &net.IPAddr{IP: dst.AsSlice()})
	} else {
		_, err = c.p6.WriteTo(payload, c.cm6, &net.IPAddr{IP: dst.WithZone("").AsSlice()})
	}
	if err != nil {
		return fmt.Errorf("linuxnet: send advert on %s to %s: %w", c.link, dst, err)
	}
	return nil
}

// Close implements netif.AdvertConn.
func (c *advertConn) Close() error {
	c.closeOnce.Do(func() {
		if err := c.ipc.Close(); err != nil {
			c.closeErr = fmt.Errorf("linuxnet: close advert connection on %s: %w", c.link, err)
		}
	})
	return c.closeErr
}
