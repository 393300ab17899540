//go:build e2e

// Package interop tests vipd in mixed groups with the real keepalived and
// ucarp, end to end: every test builds a lab (internal/lab) whose hosts run
// different implementations in one group, breaks something, and checks
// who holds and answers for the VIP, that no two hosts do at once, and
// what vipd reports over its control socket. docs/interop.md sums up the
// results, naming the test behind each claim.
//
// The tests need root (or an unprivileged user namespace, see
// internal/lab) and keepalived and ucarp installed; without them they
// skip with the reason, or fail when VIPD_REQUIRE_NETNS=1. Time bounds are
// loose: they only catch a group that does not converge.
package interop

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
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

// parallel is how many labs run at once unless -test.parallel says
// otherwise: the labs spend their time waiting for adverts that come once
// a second (VRRPv2, ucarp), not computing, so a machine with two CPUs
// still runs eight of them without delaying an advert.
const parallel = "8"

// TestMain builds vipd once for all tests, unless VIPD_BIN names a binary
// to test instead (as test/e2e does).
func TestMain(m *testing.M) {
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set {
		_ = flag.Set("test.parallel", parallel)
	}
	if bin := os.Getenv("VIPD_BIN"); bin != "" {
		vipdBin = bin
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "vipd-interop-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "interop:", err)
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

// waitFor bounds every wait for an election: loose, it only catches a lab
// that does not converge. The slowest legitimate wait is a ucarp host
// whose link returned: ucarp looks at a down link again every 10 s.
const waitFor = 45 * time.Second

// newLab builds a lab for t, removed when t ends; the daemons are not
// started. Without privileges, or without the peer's program, t is
// skipped (or fails under VIPD_REQUIRE_NETNS=1). On failure the daemons'
// logs are printed.
func newLab(t *testing.T, opts lab.Options) *lab.Lab {
	t.Helper()
	nstest.Require(t)
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	for _, impl := range opts.HostImpls {
		if !impl.Installed() {
			if os.Getenv(nstest.RequireEnv) == "1" {
				t.Fatalf("%s=1 but %s is not installed", nstest.RequireEnv, impl)
			}
			t.Skipf("%s is not installed", impl)
		}
	}
	opts.VipdBin = vipdBin
	// Fewer probes than the lab's default: many labs run at once here,
	// and elections at 100 ms or 1 s adverts need no 2 ms resolution.
	opts.ProbeInterval = 5 * time.Millisecond
	opts.SweepInterval = 20 * time.Millisecond
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

// startDaemons starts every host's daemon.
func startDaemons(t *testing.T, ctx context.Context, l *lab.Lab) {
	t.Helper()
	if err := l.StartDaemons(ctx); err != nil {
		t.Fatal(err)
	}
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
		sleep(t, ctx, 50*time.Millisecond)
	}
	t.Fatalf("%s: group %s is %s, want %s", h.Name, group, last, state)
}

// sleep waits for d, failing t if ctx ends first.
func sleep(t *testing.T, ctx context.Context, d time.Duration) {
	t.Helper()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		t.Fatal(ctx.Err())
	case <-timer.C:
	}
}

// soleHolder waits until host alone holds target's VIP: its kernel has the
// VIP and no other host's has (the lab's address watch), it alone answers
// the client's direct probes to every host (the sweep), and the client's
// routed probes reach it. This is "one master, and the others agree".
func soleHolder(t *testing.T, ctx context.Context, l *lab.Lab, target int, host *lab.Host) {
	t.Helper()
	if err := l.WaitAnsweredBy(ctx, target, host, time.Second, waitFor); err != nil {
		t.Fatalf("%v (held by %v)", err, hostNames(l.Holders(target)))
	}
	if err := l.WaitSoleAnswerer(ctx, target, host, time.Second, waitFor); err != nil {
		hs, _ := l.SweepAnswerers(target, time.Second)
		t.Fatalf("%v (answering the sweep: %v; held by %v)", err, hostNames(hs), hostNames(l.Holders(target)))
	}
	var last []*lab.Host
	deadline := time.Now().Add(waitFor)
	for time.Now().Before(deadline) {
		if last = l.Holders(target); len(last) == 1 && last[0] == host {
			return
		}
		sleep(t, ctx, 50*time.Millisecond)
	}
	t.Fatalf("%s is held by %v, want %s alone", l.Targets()[target], hostNames(last), host.Name)
}

// bothHold waits until both hosts' kernels hold target's VIP: two masters.
func bothHold(t *testing.T, ctx context.Context, l *lab.Lab, target int, a, b *lab.Host) {
	t.Helper()
	var last []*lab.Host
	deadline := time.Now().Add(waitFor)
	for time.Now().Before(deadline) {
		if last = l.Holders(target); slices.Contains(last, a) && slices.Contains(last, b) {
			return
		}
		sleep(t, ctx, 50*time.Millisecond)
	}
	t.Fatalf("%s is held by %v, want %s and %s", l.Targets()[target], hostNames(last), a.Name, b.Name)
}

// stays checks that nothing moves for d: no host gains or loses any of
// the lab's VIPs.
func stays(t *testing.T, ctx context.Context, l *lab.Lab, d time.Duration, why string) {
	t.Helper()
	from := time.Now()
	sleep(t, ctx, d)
	for i, vip := range l.Targets() {
		if ev := l.VIPEvents(i, from, time.Now()); len(ev) != 0 {
			t.Errorf("%s moved %s: %+v", why, vip, ev)
		}
	}
}

// waitLog waits until h's daemon log holds more than n lines containing
// s, and returns how many it holds.
func waitLog(t *testing.T, ctx context.Context, h *lab.Host, s string, n int) int {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for time.Now().Before(deadline) {
		if k := strings.Count(h.Log(), s); k > n {
			return k
		}
		sleep(t, ctx, 50*time.Millisecond)
	}
	t.Fatalf("%s's log does not show %q more than %d times", h.Name, s, n)
	return 0
}

func hostNames(hs []*lab.Host) []string {
	var out []string
	for _, h := range hs {
		out = append(out, h.Name)
	}
	return out
}
