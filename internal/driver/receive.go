package driver

import (
	"context"
	"net/netip"
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
func (g *Group) packet(ctx context.Context, r received, reopen func()) {
	if r.err != nil {
		if r.conn == g.conn && ctx.Err() == nil {
			g.log.Error("receiving adverts failed; reopening", "link", g.cfg.Link, "err", r.err)
			g.closeConn()
			reopen()
		}
		return
	}
	now := time.Now()
	var (
		a    fsm.Advert
		drop string
	)
	if r.pkt.TTL != 255 {
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
	g.step(ctx, fsm.AdvertReceived{Advert: a})
}

// openConn listens on the group's link; nil if it cannot now (the error is
// logged and the link watcher will bring another chance).
func (g *Group) openConn() netif.AdvertConn {
	group := netif.GroupIPv4
	if g.cfg.family() == netif.IPv6 {
		group = netif.GroupIPv6
	}
	if len(g.cfg.Peers) > 0 {
		group = netip.Addr{}
	}
	conn, err := g.deps.Adverts.Listen(netif.AdvertConfig{
		Link:   g.cfg.Link,
		Family: g.cfg.family(),
		Group:  group,
		Source: g.cfg.Machine.Self.From,
	})
	if err != nil {
		g.log.Error("cannot listen for adverts", "link", g.cfg.Link, "err", err)
		return nil
	}
	g.conn = conn
	return conn
}

func (g *Group) closeConn() {
	if g.conn != nil {
		_ = g.conn.Close()
		g.conn = nil
	}
}

// linkChanged follows the interface: a usable link gets a connection (a new
// one if the interface was re-created), an unusable one puts the machine in
// Fault.
func (g *Group) linkChanged(ctx context.Context, st netif.LinkState, open func()) {
	prev := g.link
	g.link = st
	g.log.Info("link changed", "link", st.String())
	if !st.Usable() {
		g.closeConn()
		g.step(ctx, fsm.LinkChanged{Up: false})
		return
	}
	if g.conn == nil || st.Index != prev.Index {
		g.closeConn()
		open()
	}
	switch {
	case !prev.Usable():
		g.step(ctx, fsm.LinkChanged{Up: true})
	case st.Index != prev.Index && g.holding:
		// The interface was re-created under the same name while this
		// host is master: its VIPs went with the old one. Put them back.
		g.setVIPs(ctx, true)
		g.announce(ctx, fsm.ReasonLinkUp)
	}
}
