package driver

import (
	"context"
	"net/netip"
	"slices"
	"time"

	"github.com/vipd/vipd/internal/fsm"
	"github.com/vipd/vipd/internal/netif"
)

// received is one Receive result handed to the loop. The packet aliases the
// receiver's buffer: the loop decodes it and then sends on done, and only
// then does the receiver read again. Decoding in the loop keeps the
// decoder's state (CARP's replay guard) owned by one goroutine even while an
// old connection's receiver is still winding down.
type received struct {
	pkt  netif.Packet
	err  error
	conn netif.AdvertConn
	done chan struct{}
}

// maxAdvert is the largest advert worth reading: VRRP with 255 IPv6
// addresses is 8 + 255×16 bytes.
const maxAdvert = 8 + 255*16 + 8

// receive reads adverts from conn until it fails (it is closed) or ctx ends.
func receive(ctx context.Context, conn netif.AdvertConn, out chan<- received) {
	buf := make([]byte, maxAdvert)
	done := make(chan struct{}, 1)
	for {
		p, err := conn.Receive(buf)
		select {
		case out <- received{pkt: p, err: err, conn: conn, done: done}:
		case <-ctx.Done():
			return
		}
		if err != nil {
			return
		}
		select {
		case <-done:
		case <-ctx.Done():
			return
		}
	}
}

// packet handles one Receive result in the loop.
func (g *Group) packet(ctx context.Context, r received) {
	if r.err != nil {
		if r.conn == g.conn && ctx.Err() == nil {
			g.log.Error("receiving adverts failed; reopening", "link", g.cfg.Link, "err", r.err)
			g.reopen(ctx)
		}
		return
	}
	now := time.Now()
	var (
		a    fsm.Advert
		drop string
	)
	if r.pkt.TTL != 255 && !g.isPeer(r.pkt.Src) {
		// RFC 5798 §7.1, RFC 3768 §7.1: only adverts sent on this link.
		drop = dropTTL
	} else {
		a, drop = g.dec.decode(r.pkt, now)
	}
	r.done <- struct{}{}
	if drop != "" {
		g.counters.drop(drop)
		return
	}
	g.counters.Received++
	// The machine times the master's silence from the advert's arrival.
	g.stepAt(ctx, fsm.AdvertReceived{Advert: a}, arrivalTime(r.pkt.At, now))
}

// isPeer reports whether src is one of a unicast group's configured peers.
// Their adverts pass whatever their TTL: keepalived sends IPv6 unicast
// adverts with the default hop limit of 64 and checks no TTL on unicast
// itself ("but not if unicast", vrrp.c), and the peer list is proof enough
// of where an advert came from.
func (g *Group) isPeer(src netip.Addr) bool { return slices.Contains(g.cfg.Peers, src) }
