package driver

import (
	"context"
	"time"

	"github.com/vipd/vipd/internal/fsm"
	"github.com/vipd/vipd/internal/netif"
)

// A master that sees another host answer for one of its VIPs (an ARP reply
// or gratuitous ARP, a neighbour advertisement, from a MAC address not its
// own) is in a split brain, or facing a misconfigured or spoofing host:
// clients that heard the other host send their traffic there. Unless it
// stops being master within a grace period, it logs the claims, counts
// them (Counters.Conflicts) and re-announces through the operator's reclaim
// path (fsm.CommandReclaim: an advert now, then the announcement and its
// repeats), so that the last word on the link is its own.
//
// The grace period is for a better host taking over: its first advert and
// its announcement leave within a millisecond of each other, and this loop
// may see the announcement (a claim) before the advert that makes it step
// down. Answering that claim would steal the clients back from the new
// master just as this host lets go of the VIPs. Re-announcements caused by claims
// are also at most reclaimGap apart; a claim inside the gap moves the
// re-announcement to the gap's end rather than dropping it, so a claim is
// always answered while this host stays master.

// reclaimGap is the least time between two re-announcements caused by
// claims: a flood of forged ARP replies costs one announcement a second.
const reclaimGap = time.Second

// claimGrace is how long a master waits, after a claim, for an advert that
// would explain it: one advert interval (a lost first advert of the new
// master is then made up by its second), between 20 ms and 1 s.
func claimGrace(interval time.Duration) time.Duration {
	return min(max(interval, 20*time.Millisecond), time.Second)
}

// claimState is the loop's record of the claim watch.
type claimState struct {
	stop      context.CancelFunc // ends the running watch; nil: none
	index     int                // the interface index it watches
	failed    int                // index whose watch failed: not restarted there
	last      time.Time          // the last re-announcement caused by a claim
	reclaimAt time.Time          // a re-announcement held back by the gap
	held      int                // claims since the last re-announcement
	latest    netif.Claim        // the latest claim, for the log
}

// claimEnd is a claim watch that ended with an error.
type claimEnd struct {
	index int
	err   error
}

// syncClaims runs the claim watch exactly while the group holds its VIPs on
// a usable interface, and on the interface that has the name now.
func (g *Group) syncClaims(ctx context.Context) {
	if !g.holding {
		g.claim.failed = 0
		g.claim.reclaimAt = time.Time{}
		g.claim.held = 0
	}
	want := g.deps.Claims != nil && g.holding && g.usable(g.link)
	if g.claim.stop != nil && (!want || g.claim.index != g.link.Index) {
		g.stopClaims()
	}
	if !want || g.claim.stop != nil || g.claim.failed == g.link.Index {
		return
	}
	cctx, cancel := context.WithCancel(ctx)
	g.claim.stop, g.claim.index = cancel, g.link.Index
	index, vips := g.link.Index, g.cfg.vipAddrs()
	g.workers.Add(1)
	go func() {
		defer g.workers.Done()
		err := g.deps.Claims.WatchClaims(cctx, g.cfg.Link, vips, g.claims)
		if cctx.Err() != nil {
			return
		}
		select {
		case g.claimEnds <- claimEnd{index: index, err: err}:
		case <-cctx.Done():
		}
	}()
}

func (g *Group) stopClaims() {
	if g.claim.stop != nil {
		g.claim.stop()
		g.claim.stop = nil
	}
}

// claimEnded handles a watch that failed. It is not restarted on the same
// interface (it would likely fail again); a new interface or the next
// takeover tries again.
func (g *Group) claimEnded(e claimEnd) {
	if g.claim.stop == nil || e.index != g.claim.index {
		return
	}
	g.stopClaims()
	g.claim.failed = e.index
	if g.usable(g.link) && g.link.Index == e.index {
		g.log.Warn("cannot watch for other hosts answering for the VIPs", "link", g.cfg.Link, "err", e.err)
	} else {
		// The interface went away under the watch: expected.
		g.log.Debug("claim watch ended with the interface", "link", g.cfg.Link, "err", e.err)
	}
}

// claimed handles another host's claim of a VIP: it is answered after the
// grace period, or at the end of the gap since the last answer.
func (g *Group) claimed(c netif.Claim) {
	if !g.holding || g.machine.State() != fsm.Master {
		return // a claim that raced the release: no longer ours to defend
	}
	g.claim.latest = c
	g.claim.held++
	if !g.claim.reclaimAt.IsZero() {
		return // a re-announcement is already due
	}
	due := time.Now().Add(claimGrace(g.machine.Status().Self.Interval))
	if next := g.claim.last.Add(reclaimGap); !g.claim.last.IsZero() && next.After(due) {
		due = next
	}
	g.claim.reclaimAt = due
}

// reclaimDue answers the claims held back by the grace period or the gap,
// if this host is still master: otherwise they were a better host taking
// over, and are neither counted nor answered.
func (g *Group) reclaimDue(ctx context.Context, now time.Time) {
	g.claim.reclaimAt = time.Time{}
	if !g.holding || g.machine.State() != fsm.Master {
		g.claim.held = 0
		return
	}
	g.reclaim(ctx, now)
}

// reclaim counts and logs the claims since the last re-announcement and
// re-announces.
func (g *Group) reclaim(ctx context.Context, now time.Time) {
	c := g.claim.latest
	g.counters.Conflicts += uint64(g.claim.held)
	g.log.Warn("another host answers for a VIP; re-announcing",
		"vip", c.Addr, "mac", c.MAC.String(), "kind", c.Kind.String(), "link", c.Link, "claims", g.claim.held)
	g.claim.last, g.claim.held = now, 0
	g.step(ctx, fsm.Admin{Command: fsm.CommandReclaim})
}
