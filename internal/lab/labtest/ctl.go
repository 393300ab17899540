package labtest

import (
	"bytes"
	"context"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/vipd/vipd/internal/control"
	"github.com/vipd/vipd/internal/lab"
)

// Ctl runs `vipd ARGS --socket SOCKET` against h's daemon, as an operator
// would, and returns what it printed; it fails t if vipd does not exit 0.
func Ctl(t testing.TB, ctx context.Context, h *lab.Host, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	cmd := exec.CommandContext(ctx, Bin(t), append(args, "--socket", h.ControlSocket())...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("vipd %s on %s: %v: %s", strings.Join(args, " "), h.Name, err, errb.String())
	}
	return out.String()
}

// Status returns h's status, as `vipd status -o json` prints it.
func Status(t testing.TB, ctx context.Context, h *lab.Host) control.Status {
	t.Helper()
	out := Ctl(t, ctx, h, "status", "-o", "json")
	var st control.Status
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("vipd status on %s: %v\n%s", h.Name, err, out)
	}
	return st
}

// GroupStatus returns group's entry in h's status.
func GroupStatus(t testing.TB, ctx context.Context, h *lab.Host, group string) control.GroupStatus {
	t.Helper()
	for _, g := range Status(t, ctx, h).Groups {
		if g.Name == group {
			return g
		}
	}
	t.Fatalf("vipd status on %s has no group %s", h.Name, group)
	return control.GroupStatus{}
}

// WaitState polls h's status until group is in state, for at most the
// package's Config.Wait.
func WaitState(t testing.TB, ctx context.Context, h *lab.Host, group, state string) {
	t.Helper()
	deadline := time.Now().Add(wait())
	var last string
	for time.Now().Before(deadline) {
		if last = GroupStatus(t, ctx, h, group).State; last == state {
			return
		}
		if err := pause(ctx, 50*time.Millisecond); err != nil {
			t.Fatalf("%s: waiting for %s to be %s: %v", h.Name, group, state, err)
		}
	}
	t.Fatalf("%s: group %s is %s, want %s", h.Name, group, last, state)
}
