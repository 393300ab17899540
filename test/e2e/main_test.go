//go:build e2e

// Package e2e tests the real vipd binary on a real (namespaced) network:
// every test builds its own lab (internal/lab) of vipd hosts on a bridge
// and a client that probes the VIP every 2 ms, breaks something, and
// checks who answers for the VIP, what the daemons report, and that no
// two hosts answer at once.
//
// The tests need root, or an unprivileged user namespace (unshare -rn);
// without either they skip with the reason, or fail when
// VIPD_REQUIRE_NETNS=1. Assertions are about behaviour; timing is the
// benchmark's business (vipd lab bench), so time bounds here are loose.
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vipd/vipd/internal/control"
	"github.com/vipd/vipd/internal/lab"
	"github.com/vipd/vipd/internal/linuxnet/nstest"
)

// vipdBin is the binary TestMain built, or "" when the build failed
// (buildErr says why).
var (
	vipdBin  string
	buildErr error
)

// TestMain builds vipd once for all tests, unless VIPD_BIN names a binary
// to test instead (for runs where the go tool is not usable, such as an
// unprivileged user under unshare -rn).
func TestMain(m *testing.M) {
	if bin := os.Getenv("VIPD_BIN"); bin != "" {
		vipdBin = bin
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "vipd-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	// Readable by the daemons whatever user they end up as.
	_ = os.Chmod(dir, 0o755)
	bin := filepath.Join(dir, "vipd")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/vipd/vipd/cmd/vipd").CombinedOutput()
	if err != nil {
		buildErr = fmt.Errorf("go build ./cmd/vipd: %w\n%s", err, out)
	} else {
		vipdBin = bin
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// e2eProfile is quick enough for tests and slow enough for a loaded
// machine running several labs at once: VRRPv3 adverts every 100 ms, a
// backup waits three, VIPs live 1 s unless renewed.
var e2eProfile = lab.Profile{Name: "e2e", Interval: 100 * time.Millisecond, DownAdverts: 3, AddressLifetime: time.Second}

// waitFor bounds every wait for an election in these tests: loose, it
// only catches a lab that does not converge.
const waitFor = 30 * time.Second

// newLab builds a lab of vipd hosts for t, removed when t ends. Without
// privileges t is skipped (or fails under VIPD_REQUIRE_NETNS=1). On
// failure the daemons' logs are printed.
func newLab(t *testing.T, opts lab.Options) *lab.Lab {
	t.Helper()
	nstest.Require(t)
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	opts.Impl = lab.Vipd
	opts.VipdBin = vipdBin
	if opts.Profile.Name == "" {
		opts.Profile = e2eProfile
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	l, err := lab.New(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Errorf("removing the lab: %v", err)
		}
	})
	t.Cleanup(func() {
		if t.Failed() {
			for _, h := range l.Hosts() {
				t.Logf("---- %s's log (%s) ----\n%s", h.Name, h.LogPath(), h.Log())
			}
		}
	})
	return l
}

// startLab builds a lab, starts vipd on every host and waits until each
// group's preferred host alone answers for its VIP.
func startLab(t *testing.T, ctx context.Context, opts lab.Options) *lab.Lab {
	t.Helper()
	l := newLab(t, opts)
	if err := l.StartDaemons(ctx); err != nil {
		t.Fatal(err)
	}
	for i := range l.Targets() {
		if _, err := l.Ready(ctx, i); err != nil {
			t.Fatal(err)
		}
	}
	return l
}

// testContext returns a context that ends with the test or after limit.
func testContext(t *testing.T, limit time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), limit)
	t.Cleanup(cancel)
	return ctx
}

// testWriter sends log lines to t.Log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimRight(string(b), "\n"))
	return len(b), nil
}

// status runs `vipd status -o json` against h's control socket.
func status(t *testing.T, ctx context.Context, h *lab.Host) control.Status {
	t.Helper()
	var out, errb bytes.Buffer
	cmd := exec.CommandContext(ctx, vipdBin, "status", "-o", "json", "--socket", h.ControlSocket())
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("vipd status on %s: %v: %s", h.Name, err, errb.String())
	}
	var st control.Status
	if err := json.Unmarshal(out.Bytes(), &st); err != nil {
		t.Fatalf("vipd status on %s: %v\n%s", h.Name, err, out.String())
	}
	return st
}

// groupStatus returns group's entry in h's status.
func groupStatus(t *testing.T, ctx context.Context, h *lab.Host, group string) control.GroupStatus {
	t.Helper()
	for _, g := range status(t, ctx, h).Groups {
		if g.Name == group {
			return g
		}
	}
	t.Fatalf("vipd status on %s has no group %s", h.Name, group)
	return control.GroupStatus{}
}

// waitState polls h's status until group is in state.
func waitState(t *testing.T, ctx context.Context, h *lab.Host, group, state string) {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	var last string
	for time.Now().Before(deadline) {
		if last = groupStatus(t, ctx, h, group).State; last == state {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s: waiting for %s to be %s: %v", h.Name, group, state, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatalf("%s: group %s is %s, want %s", h.Name, group, last, state)
}

// soleAnswerer checks that host alone answers for target's VIP, steadily,
// both for the client's routed probes and for the direct sweep probes.
func soleAnswerer(t *testing.T, ctx context.Context, l *lab.Lab, target int, host *lab.Host) {
	t.Helper()
	if err := l.WaitAnsweredBy(ctx, target, host, time.Second, waitFor); err != nil {
		t.Fatal(err)
	}
	if err := l.WaitSoleAnswerer(ctx, target, host, time.Second, waitFor); err != nil {
		hs, _ := l.SweepAnswerers(target, time.Second)
		t.Fatalf("%v (answering the sweep: %v)", err, hostNames(hs))
	}
}

func hostNames(hs []*lab.Host) []string {
	var out []string
	for _, h := range hs {
		out = append(out, h.Name)
	}
	return out
}
