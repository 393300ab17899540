//go:build e2e

package e2e

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vipd/vipd/internal/lab"
	"github.com/vipd/vipd/internal/lab/labtest"
)

// TestHangingHookKeepsAdvertsFlowing gives the master an on_master hook
// that never returns (within the test): hooks run off the protocol loop,
// so the master keeps advertising and no backup takes over.
func TestHangingHookKeepsAdvertsFlowing(t *testing.T) {
	t.Parallel()
	ctx := labtest.Context(t, 2*time.Minute)
	var mark string
	l := labtest.NewLab(t, lab.Options{Customize: func(h *lab.Host, f *lab.VipdFile) {
		if h.Name != "h1" {
			return
		}
		mark = filepath.Join(h.Dir(), "hook.pid")
		// The hook notes its pid, then hangs (bounded, in case anything
		// outlives the test).
		f.Groups[0].Hooks = map[string]any{
			"on_master": []string{"/bin/sh", "-c", "echo $$ > " + mark + "; exec sleep 120"},
			"timeout":   "1h",
		}
	}})
	t.Cleanup(func() { killHook(t, mark) })
	if err := l.StartDaemons(ctx); err != nil {
		t.Fatal(err)
	}
	h1 := l.Host("h1")
	if _, err := l.Ready(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if err := waitFile(ctx, mark); err != nil {
		t.Fatalf("the on_master hook did not run: %v", err)
	}
	// The hook hangs now. Ten master-down intervals without a takeover
	// show that the adverts did not stop. (A backup whose daemon started
	// before h1's may have led briefly at start: count from here.)
	downBefore := map[string]uint64{}
	for _, h := range l.Hosts()[1:] {
		downBefore[h.Name] = labtest.GroupStatus(t, ctx, h, "lab").Counters.Transitions["master-down"]
	}
	hung := time.Now()
	timer := time.NewTimer(10 * (3*e2eProfile.Interval + e2eProfile.Interval))
	select {
	case <-ctx.Done():
		t.Fatal(ctx.Err())
	case <-timer.C:
	}
	if ev := l.VIPEvents(0, hung, time.Now()); len(ev) != 0 {
		t.Errorf("the VIP moved while h1's hook hung: %+v", ev)
	}
	labtest.SoleAnswerer(t, ctx, l, 0, h1)
	if g := labtest.GroupStatus(t, ctx, h1, "lab"); g.State != "master" {
		t.Errorf("h1 is %s, want master", g.State)
	}
	for _, h := range l.Hosts()[1:] {
		g := labtest.GroupStatus(t, ctx, h, "lab")
		if g.State != "backup" || g.Counters.Transitions["master-down"] != downBefore[h.Name] {
			t.Errorf("%s is %s with transitions %v; want backup, never master", h.Name, g.State, g.Counters.Transitions)
		}
	}
}

// waitFile polls until path exists.
func waitFile(ctx interface{ Done() <-chan struct{} }, path string) error {
	deadline := time.NewTimer(waitFor)
	defer deadline.Stop()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		if _, err := os.Stat(path); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return os.ErrDeadlineExceeded
		case <-deadline.C:
			return os.ErrNotExist
		case <-tick.C:
		}
	}
}

// killHook ends the hanging hook by the pid it wrote, if vipd left it.
func killHook(t *testing.T, mark string) {
	b, err := os.ReadFile(mark)
	if err != nil {
		return
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 1 {
		return
	}
	// The pid is the sleep the hook exec'd, started for this test; make
	// sure it is still that before signalling.
	if cmd, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline"); err == nil && strings.HasPrefix(string(cmd), "sleep\x00120") {
		_ = syscall.Kill(pid, syscall.SIGKILL)
		t.Logf("killed the hook (pid %d) that vipd left running", pid)
	}
}
