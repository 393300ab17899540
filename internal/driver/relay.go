package driver

import (
	"time"

	"github.com/vipd/vipd/internal/fsm"
	"github.com/vipd/vipd/internal/netif"
)

// The relay (Deps.Relays) sends a master's adverts again from other CPUs
// while this loop is silent: a virtual CPU the hypervisor leaves
// unscheduled stops the loop and its timer with it, and on a small VM such
// stalls of 10-26 ms came every few tens of seconds, longer than a fast
// group's backups wait.

// relayState is the loop's side of its relay.
type relayState struct {
	relay  netif.Relay // nil without Deps.Relays, for CARP, or while closed
	armed  bool        // Sent was called and Quiet not since
	before uint64      // adverts relayed by earlier relays of this group
	out    []netif.Outgoing
}

// relayMaxDown is the longest master-down wait a relay is started for.
// The stalls it covers last tens of milliseconds; a group whose backups
// wait seconds rides them out, and its relay's threads would cost 0.4 %
// of a core for 10 groups at 1 s adverts (vipd lab idle) for nothing.
const relayMaxDown = time.Second

// startRelay starts a relay on the new connection, for a VRRP group whose
// backups wait less than relayMaxDown. CARP gets none: every CARP advert
// carries a new counter, which a relay could not sign, and a vipd peer
// refuses a counter it has seen.
func (g *Group) startRelay() {
	if g.deps.Relays == nil || g.cfg.Protocol == CARP {
		return
	}
	t := relayTiming(g.cfg.Machine.Policy, g.cfg.Machine.Self, g.cfg.Machine.AdvertsPerInterval)
	if !t.Valid() || t.For > relayMaxDown {
		return
	}
	r, err := g.deps.Relays.Start(g.conn, t)
	if err != nil {
		g.log.Warn("starting the advert relay failed; adverts go from the loop only", "err", err)
		return
	}
	g.relay.relay = r
}

// stopRelay stops the relay, before its connection closes.
func (g *Group) stopRelay() {
	r := g.relay.relay
	if r == nil {
		return
	}
	if err := r.Close(); err != nil {
		g.log.Warn("stopping the advert relay failed", "err", err)
	}
	g.relay.before += r.Relayed()
	g.relay.relay, g.relay.armed = nil, false
}

// relaySent hands the relay what a master just sent.
func (g *Group) relaySent() {
	if g.relay.relay == nil || len(g.relay.out) == 0 {
		return
	}
	g.relay.relay.Sent(g.relay.out)
	g.relay.armed = true
}

// quietRelay stops the relay from speaking for this host, before a resign
// advert and whenever the machine is not master.
func (g *Group) quietRelay() {
	if g.relay.armed {
		g.relay.relay.Quiet()
		g.relay.armed = false
	}
}

// relayed counts the adverts this group's relays sent.
func (g *Group) relayed() uint64 {
	n := g.relay.before
	if g.relay.relay != nil {
		n += g.relay.relay.Relayed()
	}
	return n
}

// relayTiming: the relay sends at the master's own rate; it starts once
// the loop has missed about two sends (three periods, but at least a
// quarter period more than one so that a loop on time never doubles its
// adverts, and at most a third of the shortest master-down wait so that
// loss of the relay's first adverts still leaves time), and stops after
// the shortest master-down wait, so a hung loop delays a takeover by at
// most that.
func relayTiming(p fsm.Policy, self fsm.Advert, perInterval int) netif.RelayTiming {
	every := self.Interval / time.Duration(max(perInterval, 1))
	down := p.MasterDown(fsm.Advert{Priority: 255, Interval: self.Interval}, self)
	after := max(min(3*every, down/3), every+every/4)
	return netif.RelayTiming{Every: every, After: after, For: down}
}
