package driver

import (
	"context"
	"net/netip"
	"time"

	"github.com/vipd/vipd/internal/fsm"
	"github.com/vipd/vipd/internal/netif"
)

// step feeds the machine one input and carries out its effects: first, in
// their order, those that reach the link (adverts, VIPs, announcements),
// then, in theirs, the bookkeeping (transitions, hooks, drop counts). A
// transition's log line and event cost a write or two, measured at about
// 0.2 ms on a small VM, which would otherwise delay every takeover's first
// advert; hooks still run after the VIPs are added or removed.
func (g *Group) step(ctx context.Context, in fsm.Input) {
	g.stepAt(ctx, in, time.Now())
}

// stepAt is step for an input that happened at now, such as an advert's
// arrival. The machine's clock never runs backwards: an input older than
// the last step happened, as far as it knows, at that step.
func (g *Group) stepAt(ctx context.Context, in fsm.Input, now time.Time) {
	if now.Before(g.lastStep) {
		now = g.lastStep
	}
	g.lastStep = now
	effects := g.machine.Step(now, in)
	for _, e := range effects {
		switch e := e.(type) {
		case fsm.SendAdvert:
			g.send(e.Advert, now)
		case fsm.AcquireVIPs:
			g.setVIPs(ctx, true)
		case fsm.ReleaseVIPs:
			g.setVIPs(ctx, false)
		case fsm.Announce:
			g.announce(ctx, e.Reason)
		}
	}
	for _, e := range effects {
		switch e := e.(type) {
		case fsm.RunHook:
			g.deps.Hooks.Submit(HookEvent{
				Group: g.cfg.Name, Protocol: g.cfg.Protocol, ID: g.cfg.ID,
				Interface: g.cfg.Link, VIPs: g.cfg.VIPs,
				From: e.From, To: e.To, Reason: e.Reason,
				Priority: g.machine.Status().Self.Priority,
			})
		case fsm.Transition:
			g.transition(e, now)
		case fsm.Drop:
			g.counters.drop(e.String())
		}
	}
	if g.machine.State() != fsm.Master {
		g.quietRelay()
	}
}

// send encodes the advert once per destination: the multicast group, or
// each unicast peer (the VRRPv3 checksum covers the destination). A
// master's adverts go to its relay too; a resign silences the relay first.
func (g *Group) send(a fsm.Advert, now time.Time) {
	if g.conn == nil {
		return
	}
	if a.Resign {
		g.quietRelay()
	}
	dsts := g.cfg.Peers
	if len(dsts) == 0 {
		dsts = []netip.Addr{g.multicastGroup()}
	}
	out := g.relay.out[:0]
	for i, dst := range dsts {
		if i == len(g.sendBufs) {
			g.sendBufs = append(g.sendBufs, nil)
		}
		g.sendBufs[i] = g.enc.encode(g.sendBufs[i][:0], a, dst, now)
		if err := g.conn.Send(g.sendBufs[i], dst); err != nil {
			g.counters.SendErrors++
			g.log.Warn("sending advert failed", "peer", dst, "err", err)
			continue
		}
		g.counters.Sent++
		out = append(out, netif.Outgoing{Payload: g.sendBufs[i], Dst: dst})
	}
	g.relay.out = out
	if !a.Resign && g.machine.State() == fsm.Master {
		g.relaySent()
	}
}

func (g *Group) multicastGroup() netip.Addr {
	if g.cfg.family() == netif.IPv6 {
		return netif.GroupIPv6
	}
	return netif.GroupIPv4
}

// setVIPs holds the VIPs (renewing their lifetime) or releases them.
func (g *Group) setVIPs(ctx context.Context, hold bool) {
	set := netif.VIPSet{Link: g.cfg.Link, Owner: g.cfg.Name, Lifetime: g.cfg.AddressLifetime}
	if hold {
		set.VIPs = g.cfg.VIPs
	}
	g.holding = hold
	g.renewAt = time.Time{}
	if hold && g.cfg.AddressLifetime > 0 {
		g.renewAt = time.Now().Add(g.cfg.AddressLifetime / 3)
	}
	if err := g.deps.Addresses.SetVIPs(ctx, set); err != nil {
		g.counters.AddressErrors++
		g.log.Error("setting VIPs failed", "link", g.cfg.Link, "hold", hold, "err", err)
	}
}

func (g *Group) announce(ctx context.Context, reason fsm.Reason) {
	if err := g.deps.Announcer.Announce(ctx, g.cfg.Link, g.cfg.vipAddrs()); err != nil {
		g.counters.AnnounceErrors++
		g.log.Warn("announcing VIPs failed", "link", g.cfg.Link, "reason", reason.String(), "err", err)
		return
	}
	g.counters.Announcements++
}

func (g *Group) transition(t fsm.Transition, now time.Time) {
	g.counters.transition(t.Reason)
	g.counters.LastTransition = now
	g.log.Info("state changed", "from", t.From.String(), "to", t.To.String(), "reason", t.Reason.String())
	if t.To == fsm.Stopped {
		g.stopped = true
	}
	if g.deps.Events != nil {
		g.deps.Events(Event{Time: now, Group: g.cfg.Name, From: t.From, To: t.To, Reason: t.Reason})
	}
}
