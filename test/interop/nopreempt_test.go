//go:build e2e

package interop

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vipd/vipd/internal/lab"
	"github.com/vipd/vipd/internal/lab/labtest"
)

// TestMixedNoPreempt runs, for each pairing, the two groups of
// TestMixedFailover with preemption off on both sides (vipd preempt:
// false, keepalived nopreempt, ucarp without -P): a preferred host that
// arrives or returns while the other is master stays backup, whichever
// implementation it runs.
func TestMixedNoPreempt(t *testing.T) {
	t.Parallel()
	eachPairing(t, func(t *testing.T, p pairing) {
		ctx := labtest.Context(t, 5*time.Minute)
		l := labtest.NewLab(t, p.options(true))
		vipd, peer := l.Host("h1"), l.Host("h2")

		// vipd starts alone and takes both groups.
		if err := vipd.StartDaemon(ctx); err != nil {
			t.Fatal(err)
		}
		soleHolder(t, ctx, l, 0, vipd)
		soleHolder(t, ctx, l, 1, vipd)

		// The peer arrives, preferred for group b: it stays backup.
		if err := peer.StartDaemon(ctx); err != nil {
			t.Fatal(err)
		}
		peerRejoined(t, ctx, p, peer, 0)
		stays(t, ctx, l, p.quiet(), "the peer's arrival without preemption")
		soleHolder(t, ctx, l, 1, vipd)

		// vipd's link is cut: the peer takes both groups. The link
		// returns: vipd, preferred for group a, stays backup.
		if err := vipd.CutLink(); err != nil {
			t.Fatal(err)
		}
		soleHolder(t, ctx, l, 0, peer)
		soleHolder(t, ctx, l, 1, peer)
		if err := vipd.RestoreLink(); err != nil {
			t.Fatal(err)
		}
		labtest.WaitState(t, ctx, vipd, "a", "backup")
		labtest.WaitState(t, ctx, vipd, "b", "backup")
		stays(t, ctx, l, p.quiet(), "vipd's return without preemption")
		soleHolder(t, ctx, l, 0, peer)

		// The peer's link is cut: vipd takes both groups. The link
		// returns: the peer, preferred for group b, stays backup.
		backups := strings.Count(peer.Log(), p.backupLog)
		if err := peer.CutLink(); err != nil {
			t.Fatal(err)
		}
		soleHolder(t, ctx, l, 0, vipd)
		soleHolder(t, ctx, l, 1, vipd)
		if err := peer.RestoreLink(); err != nil {
			t.Fatal(err)
		}
		peerRejoined(t, ctx, p, peer, backups)
		stays(t, ctx, l, p.quiet(), "the peer's return without preemption")
		soleHolder(t, ctx, l, 1, vipd)
		labtest.WaitState(t, ctx, vipd, "b", "master")
	})
}

// peerRejoined waits until the peer has logged entering backup for both
// groups since its log held before such lines. Peers that log nothing on
// rejoining (ucarp after its link returns) are covered by p.quiet, which
// adds the time they take to look.
func peerRejoined(t *testing.T, ctx context.Context, p pairing, peer *lab.Host, before int) {
	t.Helper()
	if p.backupLog == "" {
		return
	}
	waitLog(t, ctx, peer, p.backupLog, before+1)
}
