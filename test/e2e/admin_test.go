//go:build e2e

package e2e

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/vipd/vipd/internal/lab"
	"github.com/vipd/vipd/internal/lab/labtest"
)

// TestMaintenanceSurvivesKill9: an operator puts the master in
// maintenance; the VIP moves to the backup, and stays there when the
// daemon is killed with SIGKILL and started again, until `vipd recover`.
// The "reboot" case also deletes and re-creates the host's link before the
// restart, so that nothing of the host's network state survives (its
// addresses, neighbours, link index), only the state file on disk.
func TestMaintenanceSurvivesKill9(t *testing.T) {
	for _, reboot := range []bool{false, true} {
		name := "kill-9"
		if reboot {
			name = "reboot"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			maintenanceSurvives(t, reboot)
		})
	}
}

func maintenanceSurvives(t *testing.T, reboot bool) {
	ctx := labtest.Context(t, 2*time.Minute)
	l := labtest.StartLab(t, ctx, lab.Options{Hosts: 2})
	h1, h2 := l.Host("h1"), l.Host("h2")

	if out := labtest.Ctl(t, ctx, h1, "maintenance", "lab"); !strings.Contains(out, "maintenance done") {
		t.Errorf("vipd maintenance printed %q", out)
	}
	labtest.SoleAnswerer(t, ctx, l, 0, h2)
	labtest.WaitState(t, ctx, h1, "lab", "maintenance")

	if err := h1.KillDaemon(); err != nil {
		t.Fatal(err)
	}
	if err := h1.WaitDaemon(ctx); err != nil {
		t.Fatal(err)
	}
	if reboot {
		if err := h1.DeleteLink(); err != nil {
			t.Fatal(err)
		}
		if err := h1.RecreateLink(); err != nil {
			t.Fatal(err)
		}
	}
	restarted := time.Now()
	if err := h1.StartDaemon(ctx); err != nil {
		t.Fatal(err)
	}
	waitControl(t, ctx, h1)
	labtest.WaitState(t, ctx, h1, "lab", "maintenance")
	// h1 is preferred and preempts unless maintenance holds it: ten
	// master-down intervals without a move show that it does.
	quiet := time.NewTimer(10 * (3*e2eProfile.Interval + e2eProfile.Interval))
	select {
	case <-ctx.Done():
		t.Fatal(ctx.Err())
	case <-quiet.C:
	}
	for _, ev := range l.VIPEvents(0, restarted, time.Now()) {
		if ev.Held {
			t.Errorf("the VIP moved after h1 restarted in maintenance: %+v", ev)
		}
	}
	labtest.SoleAnswerer(t, ctx, l, 0, h2)
	if g := labtest.GroupStatus(t, ctx, h1, "lab"); g.State != "maintenance" || g.HoldingVIPs {
		t.Errorf("restarted h1 is %s holding=%v, want maintenance holding nothing", g.State, g.HoldingVIPs)
	}

	labtest.Ctl(t, ctx, h1, "recover", "lab")
	labtest.SoleAnswerer(t, ctx, l, 0, h1)
	labtest.WaitState(t, ctx, h2, "lab", "backup")
	labtest.WaitState(t, ctx, h1, "lab", "master")
}

// TestReclaimAfterPartition: a partition (h1 hears and reaches nobody,
// its link still up) leaves both hosts master; once it heals, `vipd
// reclaim` on the preferred host announces its VIP again and it alone
// answers for it.
func TestReclaimAfterPartition(t *testing.T) {
	t.Parallel()
	ctx := labtest.Context(t, 2*time.Minute)
	l := labtest.StartLab(t, ctx, lab.Options{Hosts: 2})
	h1, h2 := l.Host("h1"), l.Host("h2")

	// All of h1's frames are dropped; its carrier stays, so it does not
	// go to fault but stays master, hearing nobody.
	if err := h1.SetLoss(ctx, 100); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h1.ClearLoss(context.Background()) })
	if err := l.WaitAnsweredBy(ctx, 0, h2, time.Second, waitFor); err != nil {
		t.Fatal(err)
	}
	labtest.WaitState(t, ctx, h2, "lab", "master")
	if g := labtest.GroupStatus(t, ctx, h1, "lab"); g.State != "master" || !g.HoldingVIPs {
		t.Fatalf("partitioned h1 is %s holding=%v, want master holding the VIP (split brain)", g.State, g.HoldingVIPs)
	}

	if err := h1.ClearLoss(ctx); err != nil {
		t.Fatal(err)
	}
	before := labtest.GroupStatus(t, ctx, h1, "lab").Counters.Announcements
	if out := labtest.Ctl(t, ctx, h1, "reclaim", "lab"); !strings.Contains(out, "reclaim done") {
		t.Errorf("vipd reclaim printed %q", out)
	}
	if after := labtest.GroupStatus(t, ctx, h1, "lab").Counters.Announcements; after <= before {
		t.Errorf("h1 announced nothing on reclaim (%d announcements before, %d after)", before, after)
	}
	labtest.SoleAnswerer(t, ctx, l, 0, h1)
	labtest.WaitState(t, ctx, h2, "lab", "backup")
	if hs, ok := l.SweepAnswerers(0, time.Second); !ok || len(hs) != 1 || hs[0] != h1 {
		t.Errorf("answering the sweep at the end: %v (steady %v), want h1 alone", labtest.HostNames(hs), ok)
	}
	reclaimed := false
	for _, ev := range vipdEvents(t, ctx, h1) {
		if ev.Kind == "admin" && ev.Command == "reclaim" && ev.Error == "" {
			reclaimed = true
		}
	}
	if !reclaimed {
		t.Error("h1's events have no successful reclaim")
	}
}

// waitControl waits until h's daemon answers on its control socket.
func waitControl(t *testing.T, ctx context.Context, h *lab.Host) {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	var err error
	for time.Now().Before(deadline) {
		cmd := exec.CommandContext(ctx, labtest.Bin(t), "status", "--socket", h.ControlSocket())
		if err = cmd.Run(); err == nil {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s: waiting for the control socket: %v", h.Name, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatalf("%s: the daemon does not answer on its control socket: %v", h.Name, err)
}
