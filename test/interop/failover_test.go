//go:build e2e

package interop

import (
	"strings"
	"testing"
	"time"

	"github.com/vipd/vipd/internal/lab"
	"github.com/vipd/vipd/internal/lab/labtest"
)

// TestMixedFailover runs, for each pairing, one vipd host and one peer
// host sharing two groups, one preferring each (so every step is checked
// in both orders of priority): the election, a cut of each master's link
// and its return (preempt takes the VIP back), and a graceful stop
// (SIGTERM) of each side.
func TestMixedFailover(t *testing.T) {
	t.Parallel()
	eachPairing(t, func(t *testing.T, p pairing) {
		ctx := labtest.Context(t, 5*time.Minute)
		l := labtest.NewLab(t, p.options(false))
		vipd, peer := l.Host("h1"), l.Host("h2")
		labtest.StartDaemons(t, ctx, l)

		// The better host wins each group and the other agrees.
		for i := range l.Targets() {
			if _, err := l.Ready(ctx, i); err != nil {
				t.Fatal(err)
			}
		}
		soleHolder(t, ctx, l, 0, vipd)
		soleHolder(t, ctx, l, 1, peer)
		labtest.WaitState(t, ctx, vipd, "a", "master")
		labtest.WaitState(t, ctx, vipd, "b", "backup")

		// Each master's link is cut: the other takes over; the link
		// returns: the preferred host takes its group back.
		for _, c := range []struct {
			target        int
			master, other string
		}{{0, "h1", "h2"}, {1, "h2", "h1"}} {
			master, other := l.Host(c.master), l.Host(c.other)
			r, err := l.Change(ctx, c.target, "cut "+master.Name, master, master.CutLink, is(other))
			if err != nil {
				t.Fatal(err)
			}
			t.Log(r)
			soleHolder(t, ctx, l, c.target, other)
			r, err = l.Change(ctx, c.target, "restore "+master.Name, other, master.RestoreLink, is(master))
			if err != nil {
				t.Fatal(err)
			}
			t.Log(r)
			soleHolder(t, ctx, l, c.target, master)
			g := labtest.GroupStatus(t, ctx, vipd, l.Options().Groups[c.target].Name)
			t.Logf("vipd's group %s after %s returned: dropped %v", g.Name, master.Name, g.Counters.Dropped)
		}
		labtest.WaitState(t, ctx, vipd, "a", "master")
		labtest.WaitState(t, ctx, vipd, "b", "backup")

		// vipd stops gracefully: the peer takes group a, and vipd
		// leaves no VIP behind. Started again, vipd takes a back.
		heard := strings.Count(peer.Log(), p.heardResign)
		if err := vipd.TerminateDaemon(); err != nil {
			t.Fatal(err)
		}
		soleHolder(t, ctx, l, 0, peer)
		// The peer took over because vipd resigned, not by timeout.
		waitLog(t, ctx, peer, p.heardResign, heard)
		if err := vipd.WaitDaemon(ctx); err != nil {
			t.Fatal(err)
		}
		if code := vipd.Daemons()[0].ExitCode(); code != 0 {
			t.Errorf("vipd exited with %d after SIGTERM, want 0", code)
		}
		if vipd.HoldsVIP(0) || vipd.HoldsVIP(1) {
			t.Error("vipd left a VIP behind after a graceful stop")
		}
		if err := vipd.StartDaemon(ctx); err != nil {
			t.Fatal(err)
		}
		soleHolder(t, ctx, l, 0, vipd)
		labtest.WaitState(t, ctx, vipd, "b", "backup")

		// The peer stops gracefully: vipd takes group b, by the
		// peer's resignation where the peer sends one.
		reason := p.resignReason()
		before := labtest.GroupStatus(t, ctx, vipd, "b").Counters.Transitions[reason]
		if err := peer.TerminateDaemon(); err != nil {
			t.Fatal(err)
		}
		soleHolder(t, ctx, l, 1, vipd)
		g := labtest.GroupStatus(t, ctx, vipd, "b")
		if g.State != "master" {
			t.Errorf("vipd's group b is %s after the peer stopped, want master", g.State)
		}
		if n := g.Counters.Transitions[reason]; n != before+1 {
			t.Errorf("vipd's %s transitions went %d -> %d, want one more; transitions %v",
				reason, before, n, g.Counters.Transitions)
		}
	})
}

// is returns a predicate for "h", for lab.Change.
func is(h *lab.Host) func(*lab.Host) bool { return func(x *lab.Host) bool { return x == h } }
