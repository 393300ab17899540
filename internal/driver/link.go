package driver

import (
	"context"
	"net/netip"
	"time"

	"github.com/vipd/vipd/internal/fsm"
	"github.com/vipd/vipd/internal/netif"
)

// The group takes part in the election only while it can advertise: its
// interface is usable (there, up and, unless Config.IgnoreCarrier, with
// carrier) and its connection is open. An interface that is
// deleted and created again (suspend, driver reload, a veth re-created)
// comes back under a new index; sockets bound to the old one are dead, so
// the connection is opened again, the source address found again, and the
// machine told the link is up only once that worked. Until then the group is
// in Fault (link-down), and the loop retries with a backoff.

// Bounds of the backoff between attempts to open the connection.
const (
	openRetryMin = 250 * time.Millisecond
	openRetryMax = 5 * time.Second
)

// openState is the loop's record of opening the connection.
type openState struct {
	retryAt time.Time     // next attempt; zero: none scheduled
	delay   time.Duration // the last backoff
	lastErr string        // the last failure logged, to log each kind once
}

// linkChanged follows the interface: a usable link gets a connection (a new
// one if the interface was re-created) and then the election; an unusable
// one puts the machine in Fault.
func (g *Group) linkChanged(ctx context.Context, st netif.LinkState) {
	prev := g.link
	g.link = st
	g.log.Info("link changed", "link", st.String())
	if !g.usable(st) {
		g.closeConn()
		g.open = openState{lastErr: g.open.lastErr}
		g.tellLink(ctx, false)
		return
	}
	replaced := st.Index != prev.Index
	if g.conn == nil || replaced {
		g.closeConn()
		g.open.delay = 0
		if !g.openConn(ctx) {
			g.tellLink(ctx, false)
			return
		}
	}
	if !g.linkUp {
		g.tellLink(ctx, true)
		return
	}
	if replaced && g.holding {
		// The interface was re-created (or renamed in) under the same
		// name while this host is master, without ever being seen
		// absent: its VIPs went with the old one. Put them back.
		g.setVIPs(ctx, true)
		g.announce(ctx, fsm.ReasonLinkUp)
	}
}

// usable reports whether the group can take part in the election on a link
// in state st. Without carrier the socket and the VIPs still work on a link
// that is there and up: a group that ignores carrier keeps advertising, and
// its adverts reach peers again as soon as the carrier returns.
func (g *Group) usable(st netif.LinkState) bool {
	if g.cfg.IgnoreCarrier {
		return st.Present && st.Up
	}
	return st.Usable()
}

// tellLink gives the machine the link's state if it changed.
func (g *Group) tellLink(ctx context.Context, up bool) {
	if up == g.linkUp {
		return
	}
	g.linkUp = up
	g.step(ctx, fsm.LinkChanged{Up: up})
}

// reopen replaces a connection that failed.
func (g *Group) reopen(ctx context.Context) {
	g.closeConn()
	g.open.delay = 0
	if !g.openConn(ctx) {
		g.tellLink(ctx, false)
	}
}

// retryOpen is the timer's attempt after a failure.
func (g *Group) retryOpen(ctx context.Context) {
	g.open.retryAt = time.Time{}
	if g.conn != nil || !g.usable(g.link) {
		return
	}
	if g.openConn(ctx) {
		g.tellLink(ctx, true)
	}
}

// openConn finds the source address and listens on the group's link. On
// failure it logs (each kind of failure once) and schedules another attempt.
func (g *Group) openConn(ctx context.Context) bool {
	src, err := g.source(ctx)
	var conn netif.AdvertConn
	if err == nil {
		group := g.multicastGroup()
		if len(g.cfg.Peers) > 0 {
			group = netip.Addr{}
		}
		conn, err = g.deps.Adverts.Listen(netif.AdvertConfig{
			Link:   g.cfg.Link,
			Family: g.cfg.family(),
			Group:  group,
			Source: src,
		})
	}
	if err != nil {
		g.open.delay = min(max(2*g.open.delay, openRetryMin), openRetryMax)
		g.open.retryAt = time.Now().Add(g.open.delay)
		if msg := err.Error(); msg != g.open.lastErr {
			g.open.lastErr = msg
			g.log.Error("cannot listen for adverts; retrying", "link", g.cfg.Link, "err", err)
		} else {
			g.log.Debug("cannot listen for adverts; retrying", "link", g.cfg.Link, "in", g.open.delay, "err", err)
		}
		return false
	}
	if g.open.lastErr != "" {
		g.log.Info("listening for adverts again", "link", g.cfg.Link)
	}
	g.open = openState{}
	g.useSource(ctx, src)
	g.conn = conn
	g.startRelay()
	g.workers.Add(1)
	go func() {
		defer g.workers.Done()
		receive(ctx, conn, g.packets)
	}()
	return true
}

// source is the address adverts leave from: found on the interface when
// the group has Sources, else the configured one.
func (g *Group) source(ctx context.Context) (netip.Addr, error) {
	if g.deps.Sources == nil {
		return g.cfg.Machine.Self.From, nil
	}
	return g.deps.Sources.Source(ctx, g.cfg.Link, g.cfg.family(), g.cfg.vipAddrs())
}

// useSource makes src the source the adverts are encoded for (VRRPv3's
// checksum covers it) and the machine's own address, which breaks ties
// between equal priorities (VRRP) or intervals (CARP) and recognises the
// host's own adverts. Only an IPv6 link-local address is likely to change
// (a new MAC address), or any address the group did not know at start.
func (g *Group) useSource(ctx context.Context, src netip.Addr) {
	if src == g.src {
		return
	}
	g.log.Info("source address changed", "link", g.cfg.Link, "from", g.src, "to", src)
	g.src = src
	g.enc.setSource(src)
	g.step(ctx, fsm.SourceChanged{From: src})
}

func (g *Group) closeConn() {
	g.stopRelay()
	if g.conn != nil {
		_ = g.conn.Close()
		g.conn = nil
	}
}
