package hooks

import (
	"context"
	"errors"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/vipd/vipd/internal/fsm"
)

func TestOrderWithinGroupWhileAnotherGroupWaits(t *testing.T) {
	dir := t.TempDir()
	gate := fifo(t, dir, "gate")
	slow := script(t, dir, "slow.sh", "read x < "+q(gate))
	log := filepath.Join(dir, "log")
	state := script(t, dir, "state.sh", `echo "$1 $VIPD_PREV_STATE->$VIPD_STATE" >> `+q(log))
	set := Set{
		OnMaster: Hook{Argv: []string{state, "on_master"}},
		OnBackup: Hook{Argv: []string{state, "on_backup"}},
		OnFault:  Hook{Argv: []string{state, "on_fault"}},
		OnStop:   Hook{Argv: []string{state, "on_stop"}},
		OnChange: Hook{Argv: []string{state, "on_change"}},
	}

	h := startHarness(t, Config{})
	h.r.Submit(event("blocked", fsm.Master, Set{OnMaster: Hook{Argv: []string{slow}}}))
	from := fsm.Init
	for _, to := range []fsm.State{fsm.Backup, fsm.Master, fsm.Fault, fsm.Maintenance, fsm.Backup, fsm.Stopped} {
		ev := event("web", to, set)
		ev.From = from
		h.r.Submit(ev)
		from = to
	}

	// All of web's hooks finish while blocked's hook still waits at its gate.
	var kinds []Kind
	for range 12 {
		res := h.next(t)
		if res.Event.Group != "web" {
			t.Fatalf("result for %q before web's hooks finished", res.Event.Group)
		}
		if res.Err != nil {
			t.Fatalf("%s: %v", res.Kind, res.Err)
		}
		kinds = append(kinds, res.Kind)
	}
	want := []string{
		"on_backup init->backup", "on_change init->backup",
		"on_master backup->master", "on_change backup->master",
		"on_fault master->fault", "on_change master->fault",
		"on_backup fault->maintenance", "on_change fault->maintenance",
		"on_backup maintenance->backup", "on_change maintenance->backup",
		"on_stop backup->stopped", "on_change backup->stopped",
	}
	if diff := cmp.Diff(want, readLines(t, log)); diff != "" {
		t.Errorf("hook calls (-want +got):\n%s", diff)
	}
	wantKinds := []Kind{OnBackup, OnChange, OnMaster, OnChange, OnFault, OnChange, OnBackup, OnChange, OnBackup, OnChange, OnStop, OnChange}
	if diff := cmp.Diff(wantKinds, kinds); diff != "" {
		t.Errorf("result kinds (-want +got):\n%s", diff)
	}

	releaseFifo(t, gate)
	if res := h.next(t); res.Event.Group != "blocked" || res.Err != nil {
		t.Errorf("blocked: group %q, err %v", res.Event.Group, res.Err)
	}
}

func TestSubmitNeverBlocks(t *testing.T) {
	dir := t.TempDir()
	started := fifo(t, dir, "started")
	hang := script(t, dir, "hang.sh", "echo started > "+q(started)+"\nexec sleep 1000")
	const queueLen, n = 4, 1000

	h := startHarness(t, Config{QueueLen: queueLen, KillGrace: 100 * time.Millisecond})
	set := Set{OnMaster: Hook{Argv: []string{hang}, Timeout: time.Hour}, OnBackup: Hook{Argv: []string{"true"}}}
	h.r.Submit(event("web", fsm.Master, set))
	awaitFifo(t, started)

	// The hook hangs; the driver keeps submitting.
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range n {
			h.r.Submit(event("web", fsm.Backup, set))
		}
	}()
	select {
	case <-done:
	case <-time.After(wait):
		t.Fatal("Submit blocked while a hook hangs")
	}
	if got, want := h.r.Dropped(), uint64(n-queueLen); got != want {
		t.Errorf("Dropped() = %d, want %d", got, want)
	}
	recs := h.logs.records(t, map[string]any{"msg": "hook event dropped: queue full", "level": "ERROR", "group": "web"})
	if len(recs) != n-queueLen {
		t.Errorf("%d drop records, want %d", len(recs), n-queueLen)
	}

	// Ending Run kills the hang and drops the queued events.
	h.stop(t)
	res := h.next(t)
	if res.Kind != OnMaster || !errors.Is(res.Err, context.Canceled) || res.TimedOut {
		t.Errorf("hung hook: kind %v, err %v, timed out %v; want on_master canceled", res.Kind, res.Err, res.TimedOut)
	}
	if got, want := h.r.Dropped(), uint64(n); got != want {
		t.Errorf("Dropped() after stop = %d, want %d", got, want)
	}
	select {
	case res := <-h.results:
		t.Errorf("a queued hook ran after Run ended: %+v", res)
	default:
	}
}

func TestDrain(t *testing.T) {
	dir := t.TempDir()
	h := newHarness(t, Config{})
	if err := h.r.Drain(context.Background()); err != nil {
		t.Fatalf("Drain with nothing submitted: %v", err)
	}

	// Submitted before Run: waits for it.
	stop := Set{OnStop: Hook{Argv: []string{"touch", filepath.Join(dir, "stopped")}}}
	for _, g := range []string{"a", "b", "c"} {
		h.r.Submit(event(g, fsm.Stopped, stop))
	}
	h.run(t)
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := h.r.Drain(ctx); err != nil {
		t.Fatalf("Drain: %v", err)
	}
	// OnResult has been called for every hook by the time Drain returns.
	if got := len(h.results); got != 3 {
		t.Errorf("%d results when Drain returned, want 3", got)
	}
	for range 3 {
		if res := h.next(t); res.Kind != OnStop || res.Err != nil {
			t.Errorf("result: kind %v, err %v", res.Kind, res.Err)
		}
	}

	// A hook that does not finish: Drain gives up with its context.
	started := fifo(t, dir, "started")
	hang := script(t, dir, "hang.sh", "echo started > "+q(started)+"\nexec sleep 1000")
	h.r.Submit(event("a", fsm.Stopped, Set{OnStop: Hook{Argv: []string{hang}}}))
	awaitFifo(t, started)
	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	if err := h.r.Drain(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Drain of a hanging hook = %v, want context.Canceled", err)
	}
	h.stop(t)
	if err := h.r.Drain(context.Background()); err != nil {
		t.Errorf("Drain after Run ended = %v, want nil", err)
	}
}

func TestRunStopsEverything(t *testing.T) {
	before := runtime.NumGoroutine()
	dir := t.TempDir()
	h := newHarness(t, Config{KillGrace: 100 * time.Millisecond})
	h.run(t)

	// Two groups with a hook each that hangs with a child, plus queued events.
	var children []int
	for _, g := range []string{"a", "b"} {
		started := fifo(t, dir, g)
		hang := script(t, dir, g+".sh", "sleep 1000 &\necho $! > "+q(started)+"\nwait")
		set := Set{OnMaster: Hook{Argv: []string{hang}, Timeout: time.Hour}, OnChange: Hook{Argv: []string{"true"}}}
		h.r.Submit(event(g, fsm.Master, set))
		h.r.Submit(event(g, fsm.Master, set))
		pid, err := strconv.Atoi(strings.TrimSpace(awaitFifo(t, started)))
		if err != nil {
			t.Fatal(err)
		}
		children = append(children, pid)
	}

	h.stop(t)
	for range 2 {
		if res := h.next(t); !errors.Is(res.Err, context.Canceled) {
			t.Errorf("group %s: err %v, want context.Canceled", res.Event.Group, res.Err)
		}
	}
	deadline := time.Now().Add(wait)
	for _, pid := range children {
		for !gone(pid) {
			if time.Now().After(deadline) {
				t.Fatalf("child %d of a killed hook still runs", pid)
			}
			time.Sleep(10 * time.Millisecond) // observing a real process
		}
	}
	if got := h.r.Dropped(); got != 2 {
		t.Errorf("Dropped() = %d, want 2 (one queued event per group)", got)
	}

	// Nothing runs after Run: Submit drops, a second Run refuses.
	h.r.Submit(event("a", fsm.Stopped, Set{OnStop: Hook{Argv: []string{"true"}}}))
	if got := h.r.Dropped(); got != 3 {
		t.Errorf("Dropped() after a late Submit = %d, want 3", got)
	}
	if err := h.r.Run(context.Background()); err == nil {
		t.Error("second Run succeeded")
	}

	deadline = time.Now().Add(wait)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines left, want %d:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond) // goroutines exit on their own schedule
	}
}
