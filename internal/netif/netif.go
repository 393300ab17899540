// Package netif names vipd's edge to the operating system as small roles,
// so that the driver can be tested against the fakes in netiftest and run
// against the Linux implementations in linuxnet:
//
//   - Addresses: make the VIPs an owner (a group) holds on a link exactly
//     these, and sweep up what an earlier run left behind.
//   - Announcer: tell the link who holds these addresses now (gratuitous
//     ARP, unsolicited neighbour advertisements).
//   - Adverts and AdvertConn: send and receive protocol-112 adverts on one
//     link.
//   - LinkWatcher: report whether a named link is there and usable.
//   - Sources: find the address adverts leave from, again after the link
//     was re-created.
//   - ClaimWatcher: report other hosts answering for addresses on a link
//     (ARP, neighbour advertisements), the sign of a split brain.
//   - Timers: wake a loop at its deadline, not a millisecond or more late.
//
// Every role is declarative or idempotent: calling it again with the same
// arguments does no harm and repairs what someone else changed. The package
// holds only types and interfaces; it imports nothing of the operating system.
package netif

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"time"
)

// ErrNoLink says the named link does not exist (now). Implementations wrap
// it, so test with errors.Is.
var ErrNoLink = errors.New("no such link")

// VIPSet is what one owner wants on one link.
type VIPSet struct {
	// Link is the interface name, such as "eth0".
	Link string
	// Owner names who holds the addresses, normally the group name. Several
	// owners may share a link; each SetVIPs call speaks for its owner only.
	Owner string
	// VIPs are the addresses with their prefix length, as they are to be
	// configured (192.0.2.10/24, 2001:db8::10/64). Empty means "hold none".
	VIPs []netip.Prefix
	// Lifetime is the kernel address lifetime (valid and preferred) given to
	// each VIP, renewed by every SetVIPs call, so that the VIPs of a daemon
	// that died without cleaning up disappear by themselves. The kernel counts
	// whole seconds: it is rounded up. Zero means forever.
	Lifetime time.Duration
}

// Address is one address on a link, as Sweep reports it.
type Address struct {
	Link   string
	Prefix netip.Prefix
}

// String renders the address like the ip command that would add it.
func (a Address) String() string {
	return fmt.Sprintf("ip addr add %s dev %s", a.Prefix, a.Link)
}

// Addresses keeps VIPs on links.
//
// Implementations mark the addresses they add and only ever remove
// addresses that carry their mark: an address added by someone else, even
// one equal to a VIP, is left alone (and not taken over). Methods are safe
// for concurrent use by several owners.
type Addresses interface {
	// SetVIPs makes the addresses set.Owner holds on set.Link exactly
	// set.VIPs: it adds the missing ones, renews the lifetime of the present
	// ones, and removes marked addresses on the link that no owner claims any
	// more. Addresses claimed by other owners are not touched. Calling it
	// again with the same set repairs whatever changed in between (a VIP
	// removed by hand, an expired lifetime). If the link does not exist the
	// error wraps ErrNoLink, except when set.VIPs is empty: a missing link
	// holds no VIPs, which is what was asked for.
	SetVIPs(ctx context.Context, set VIPSet) error
	// Sweep removes, on every link, each marked address that no owner
	// claims now (claims live in memory: an owner claims what its latest
	// SetVIPs call named), and reports what it removed. Call it at start,
	// after the SetVIPs calls for anything to be kept, to clean up after an
	// earlier run that died; also after a group moved to another link.
	Sweep(ctx context.Context) ([]Address, error)
}

// Announcer tells the hosts and switches on a link that this host now
// answers for addresses.
//
// Implementations are safe for concurrent use.
type Announcer interface {
	// Announce sends, on link, for each IPv4 address a gratuitous ARP request
	// and a gratuitous ARP reply, and for each IPv6 address an unsolicited
	// neighbour advertisement with the override flag, all from the link's own
	// MAC address. It sends everything it can and returns the errors joined.
	// The addresses should be configured on the link (SetVIPs) first. If the
	// link does not exist the error wraps ErrNoLink.
	Announce(ctx context.Context, link string, addrs []netip.Addr) error
}

// Family is an IP version.
type Family uint8

// IP versions.
const (
	IPv4 Family = 4
	IPv6 Family = 6
)

// String returns "ipv4" or "ipv6".
func (f Family) String() string {
	switch f {
	case IPv4:
		return "ipv4"
	case IPv6:
		return "ipv6"
	}
	return fmt.Sprintf("family(%d)", uint8(f))
}

// Adverts IP group addresses (RFC 5798 §5.1.1.2 and §5.1.2.2; CARP uses the
// IPv4 one too).
var (
	GroupIPv4 = netip.MustParseAddr("224.0.0.18")
	GroupIPv6 = netip.MustParseAddr("ff02::12")
)

// AdvertConfig says where to send and receive adverts.
type AdvertConfig struct {
	// Link is the interface name. The connection sends and receives on this
	// interface only.
	Link string
	// Family is the IP version of the connection.
	Family Family
	// Group is the multicast group to join, GroupIPv4 or GroupIPv6, or the
	// zero Addr for a connection that only exchanges unicast adverts with a
	// peer list.
	Group netip.Addr
	// Source, if valid, is the source address of the adverts sent (it must
	// be configured on the link). If zero, the kernel chooses: for IPv6
	// multicast that is the link-local address, as RFC 5798 §5.1.2.1 asks.
	Source netip.Addr
}

// Adverts opens connections for adverts.
type Adverts interface {
	// Listen opens a connection on cfg.Link; if there is no such link the
	// error wraps ErrNoLink. A connection belongs to the interface that had
	// the name when Listen ran: if the LinkWatcher reports the link gone or
	// replaced (a new Index), close it and listen again.
	Listen(cfg AdvertConfig) (AdvertConn, error)
}

// Packet is a received advert.
type Packet struct {
	// Payload is the protocol-112 payload: the bytes after the IP header,
	// what the codecs parse. It aliases the buffer given to Receive.
	Payload []byte
	// Src and Dst are the IP header's addresses, without zone.
	Src, Dst netip.Addr
	// TTL is the received IPv4 TTL or IPv6 hop limit. Adverts that did not
	// come from the link itself have less than 255 and must be dropped
	// (RFC 5798 §7.1, RFC 3768 §7.1); the caller drops and counts them.
	TTL int
	// Link is the name of the interface the packet came in on.
	Link string
	// At is when the kernel received the packet, on the monotonic clock,
	// or when it was read if the kernel gave no time. The master-down
	// timer counts from it, so a busy or sleeping reader does not
	// lengthen a takeover.
	At time.Time
}

// AdvertConn sends and receives protocol-112 adverts on one link, for one IP
// version.
//
// Send and Receive may be called concurrently with each other; each on its
// own from one goroutine at a time. Close may be called at any time, more
// than once: it makes a pending Receive return an error that wraps
// net.ErrClosed, and every later call fail the same way.
type AdvertConn interface {
	// Send sends payload (an encoded advert, without IP header) to dst, a
	// multicast group or a unicast peer, with TTL / hop limit 255.
	Send(payload []byte, dst netip.Addr) error
	// Receive waits for the next advert and copies it into b, which should
	// hold at least 65535 bytes; Packet.Payload is a slice of b. A packet
	// longer than b is cut to fit.
	Receive(b []byte) (Packet, error)
	// Close releases the connection.
	Close() error
}

// LinkState is what a LinkWatcher knows about a named link.
type LinkState struct {
	// Name is the watched name.
	Name string
	// Present says an interface has the name now. The fields below are zero
	// when it is false.
	Present bool
	// Index is the interface index. A new index for the same name means the
	// interface was deleted and created again (or renamed in): sockets bound
	// to the old one must be reopened.
	Index int
	// Up is the administrative state (ip link set NAME up).
	Up bool
	// Carrier says the lower layer is up: a cable, a peer (IFF_LOWER_UP).
	Carrier bool
}

// Usable reports whether adverts and VIPs can work on the link: it is there,
// up and has carrier.
func (s LinkState) Usable() bool { return s.Present && s.Up && s.Carrier }

// String renders the state in one line, such as "eth0 index=2 up carrier".
func (s LinkState) String() string {
	if !s.Present {
		return s.Name + " absent"
	}
	out := fmt.Sprintf("%s index=%d", s.Name, s.Index)
	if s.Up {
		out += " up"
	} else {
		out += " down"
	}
	if s.Carrier {
		out += " carrier"
	} else {
		out += " no-carrier"
	}
	return out
}

// LinkWatcher reports changes of links.
type LinkWatcher interface {
	// Watch sends the state of the link named name to ch at once, then again
	// each time it changes (carrier, administrative state, deleted, created
	// again, renamed away or into the name), until ctx ends. It returns
	// ctx.Err() then, or another error if watching failed. Consecutive states
	// sent are never equal. Sends to ch block: drain it. Watch runs in the
	// caller's goroutine and starts none that outlive it.
	Watch(ctx context.Context, name string, ch chan<- LinkState) error
}
