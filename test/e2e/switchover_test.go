//go:build e2e

package e2e

import (
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/vipd/vipd/internal/lab"
	"github.com/vipd/vipd/internal/lab/labtest"
)

// TestSwitchoverToNamedHost: `vipd switchover lab --to h3`, run on h3,
// moves the VIP from the preferred h1 to the least preferred h3 at once,
// past h2; h3 keeps it although h1 would preempt, until `vipd recover` on
// h3 gives it back to h1. Run on another host, --to h3 is refused (exit 2)
// and nothing moves.
func TestSwitchoverToNamedHost(t *testing.T) {
	t.Parallel()
	ctx := labtest.Context(t, 2*time.Minute)
	l := labtest.StartLab(t, ctx, lab.Options{Hosts: 3})
	h1, h2, h3 := l.Host("h1"), l.Host("h2"), l.Host("h3")

	cmd := exec.CommandContext(ctx, labtest.Bin(t), "switchover", "lab", "--to", "h3", "--socket", h1.ControlSocket())
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 || !strings.Contains(string(out), "run the command on h3") {
		t.Errorf("switchover --to h3 on h1: err %v, output %q; want exit 2 naming h3", err, out)
	}
	if g := labtest.GroupStatus(t, ctx, h1, "lab"); g.State != "master" {
		t.Fatalf("h1 is %s after a refused switchover, want master", g.State)
	}

	if out := labtest.Ctl(t, ctx, h3, "switchover", "lab", "--to", "h3"); !strings.Contains(out, "claimed by h3") {
		t.Errorf("switchover --to h3 on h3 printed %q", out)
	}
	labtest.SoleAnswerer(t, ctx, l, 0, h3)
	labtest.WaitState(t, ctx, h1, "lab", "backup")
	if g := labtest.GroupStatus(t, ctx, h3, "lab"); !g.Claimed || g.Priority != 254 {
		t.Errorf("h3: claimed=%v priority %d, want claimed at 254", g.Claimed, g.Priority)
	}
	// h1 and h2 would preempt a plain h3 at once; ten master-down
	// intervals without a move show the claim holds.
	moved := time.Now()
	quiet := time.NewTimer(10 * (3*e2eProfile.Interval + e2eProfile.Interval))
	select {
	case <-ctx.Done():
		t.Fatal(ctx.Err())
	case <-quiet.C:
	}
	for _, ev := range l.VIPEvents(0, moved, time.Now()) {
		t.Errorf("the VIP moved while h3's claim held: %+v", ev)
	}
	for _, h := range []*lab.Host{h1, h2} {
		if g := labtest.GroupStatus(t, ctx, h, "lab"); g.Counters.Transitions["admin-claim"] != 0 || g.State != "backup" {
			t.Errorf("%s is %s with transitions %v", h.Name, g.State, g.Counters.Transitions)
		}
	}

	labtest.Ctl(t, ctx, h3, "recover", "lab")
	labtest.SoleAnswerer(t, ctx, l, 0, h1)
	labtest.WaitState(t, ctx, h3, "lab", "backup")
}

// TestSwitchoverScenario: the bench's switchover scenario moves the VIP
// from h1 to the next in line, h2, with one master change, by h2's claim
// and not by a master-down timeout; then recovers h2, so that h1 takes
// the VIP back.
func TestSwitchoverScenario(t *testing.T) {
	t.Parallel()
	ctx := labtest.Context(t, 2*time.Minute)
	l := labtest.StartLab(t, ctx, lab.Options{Hosts: 3})
	h1, h2 := l.Host("h1"), l.Host("h2")
	before := labtest.GroupStatus(t, ctx, h2, "lab").Counters.Transitions
	r, err := lab.Switchover(ctx, l, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(r)
	if r.From != "h1" || r.To != "h2" || r.MasterChanges != 1 {
		t.Errorf("switchover: %s -> %s with %d master changes, want h1 -> h2 with 1", r.From, r.To, r.MasterChanges)
	}
	labtest.SoleAnswerer(t, ctx, l, 0, h1)
	labtest.WaitState(t, ctx, h2, "lab", "backup")
	after := labtest.GroupStatus(t, ctx, h2, "lab").Counters.Transitions
	if after["admin-claim"] != before["admin-claim"]+1 || after["master-down"] != before["master-down"] {
		t.Errorf("h2's transitions went from %v to %v; want one admin-claim and no master-down", before, after)
	}
}
