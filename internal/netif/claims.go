package netif

import (
	"context"
	"fmt"
	"net/netip"
)

// MAC is an Ethernet (EUI-48) hardware address. Unlike net.HardwareAddr it
// is a comparable value.
type MAC [6]byte

// String renders the address as "02:00:5e:00:01:0a".
func (m MAC) String() string {
	return fmt.Sprintf("%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5])
}

// ClaimKind says how another host claimed an address.
type ClaimKind uint8

// The ways to claim an address on a link.
const (
	// ClaimARPReply is an ARP reply (RFC 826) with the address as sender:
	// an answer for it, or a gratuitous ARP in reply form (RFC 5944 §4.6).
	ClaimARPReply ClaimKind = iota + 1
	// ClaimARPRequest is an ARP request with the address as sender: a
	// gratuitous ARP announcement (RFC 5227 §2.3), or a host that uses the
	// address to ask for another.
	ClaimARPRequest
	// ClaimNeighborAdvert is a neighbour advertisement with the address as
	// target (RFC 4861 §4.4), solicited or not.
	ClaimNeighborAdvert
)

// String returns "arp-reply", "arp-request" or "neighbor-advert".
func (k ClaimKind) String() string {
	switch k {
	case ClaimARPReply:
		return "arp-reply"
	case ClaimARPRequest:
		return "arp-request"
	case ClaimNeighborAdvert:
		return "neighbor-advert"
	}
	return fmt.Sprintf("claim(%d)", uint8(k))
}

// Claim is another host answering for an address on a link.
type Claim struct {
	// Link is the interface the claim was seen on.
	Link string
	// Addr is the address claimed.
	Addr netip.Addr
	// MAC is the claimant's hardware address: the ARP sender hardware
	// address, or the neighbour advertisement's target link-layer address
	// (its Ethernet source if it has none). It is never the link's own.
	MAC MAC
	// Kind says what kind of packet claimed it.
	Kind ClaimKind
}

// String renders the claim in one line, such as
// "192.0.2.10 claimed by 02:00:5e:00:01:0a on eth0 (arp-reply)".
func (c Claim) String() string {
	return fmt.Sprintf("%s claimed by %s on %s (%s)", c.Addr, c.MAC, c.Link, c.Kind)
}

// ClaimWatcher reports other hosts that answer for addresses this host
// holds: two masters after a split brain, a misconfigured host, a spoofer.
type ClaimWatcher interface {
	// WatchClaims sends to ch each claim of one of addrs seen on link, from
	// any hardware address but the link's own, until ctx ends. It returns
	// ctx.Err() then, or another error if watching failed (wrapping
	// ErrNoLink if the link does not exist; the link being deleted ends
	// the watch with an error too). It watches the interface that has the
	// name when it is called: if the LinkWatcher reports a new Index, cancel
	// and call again. Sends to ch block: drain it. WatchClaims runs in the
	// caller's goroutine and starts none that outlive it.
	WatchClaims(ctx context.Context, link string, addrs []netip.Addr, ch chan<- Claim) error
}
