package hooks

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/vipd/vipd/internal/fsm"
)

func TestEnvironmentIsExactlyTheCleanSet(t *testing.T) {
	// Things a daemon may have in its environment that must not reach hooks.
	t.Setenv("IFS", "x")
	t.Setenv("LD_PRELOAD", "")
	t.Setenv("LD_LIBRARY_PATH", "/nonexistent")
	t.Setenv("VIPD_SECRET", "leak")

	dir := t.TempDir()
	out := filepath.Join(dir, "env")
	// /proc/$$/environ is the environment the shell was started with.
	hook := script(t, dir, "env.sh", `tr '\0' '\n' < /proc/$$/environ > "$1"`)
	h := startHarness(t, Config{})
	ev := event("web", fsm.Master, Set{OnMaster: Hook{Argv: []string{hook, out}}})
	ev.From, ev.Reason = fsm.Backup, fsm.ReasonPreempt
	h.r.Submit(ev)
	if res := h.next(t); res.Err != nil {
		t.Fatalf("hook: %v", res.Err)
	}

	got := readLines(t, out)
	slices.Sort(got)
	want := []string{
		"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
		"VIPD_GROUP=web",
		"VIPD_ID=51",
		"VIPD_INTERFACE=eth0",
		"VIPD_PREV_STATE=backup",
		"VIPD_PRIORITY=100",
		"VIPD_PROTOCOL=vrrp3",
		"VIPD_REASON=preempt",
		"VIPD_STATE=master",
		"VIPD_VIPS=192.0.2.10/24 2001:db8::10/64",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("hook environment (-want +got):\n%s", diff)
	}
}

func TestArgvPerMode(t *testing.T) {
	tests := []struct {
		name string
		hook func(prog string) Hook
		to   fsm.State
		want []string // one line per call: $0 then the arguments, '|'-separated
	}{
		{
			name: "argv",
			hook: func(p string) Hook { return Hook{Argv: []string{p, "one", "two words"}} },
			to:   fsm.Master,
			want: []string{"PROG|one|two words"},
		},
		{
			name: "ucarp_args calls once per VIP with interface, address and xparam",
			hook: func(p string) Hook { return Hook{Argv: []string{p}, Mode: ModeUcarp, XParam: "xp"} },
			to:   fsm.Master,
			want: []string{"PROG|eth0|192.0.2.10|xp", "PROG|eth0|2001:db8::10|xp"},
		},
		{
			name: "keepalived notify",
			hook: func(p string) Hook { return Hook{Argv: []string{p}, Mode: ModeKeepalived} },
			to:   fsm.Backup,
			want: []string{"PROG|INSTANCE|web|BACKUP|100"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "calls")
			prog := script(t, dir, "record.sh", `
line=$0
for a in "$@"; do line="$line|$a"; done
echo "$line" >> `+q(out))
			h := startHarness(t, Config{})
			h.r.Submit(event("web", tt.to, Set{OnMaster: tt.hook(prog), OnBackup: tt.hook(prog)}))
			for range tt.want {
				if res := h.next(t); res.Err != nil {
					t.Fatalf("hook: %v", res.Err)
				}
			}
			got := readLines(t, out)
			for i := range got {
				got[i] = strings.Replace(got[i], prog, "PROG", 1)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBareNameUsesCleanPath(t *testing.T) {
	// The daemon's PATH must not decide which program runs.
	dir := t.TempDir()
	script(t, dir, "true", "echo impostor")
	t.Setenv("PATH", dir)
	h := startHarness(t, Config{})
	h.r.Submit(event("web", fsm.Master, Set{OnMaster: Hook{Argv: []string{"true"}}}))
	res := h.next(t)
	if res.Err != nil {
		t.Fatalf("hook: %v", res.Err)
	}
	if got := h.logs.records(t, map[string]any{"msg": "hook output"}); len(got) != 0 {
		t.Errorf("a program from the daemon's PATH ran: %v", got)
	}
}

func TestTimeoutKillsProcessGroup(t *testing.T) {
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "child.pid")
	// Ignores SIGTERM (and so does its child, which inherits that), so
	// only the SIGKILL to the whole group ends them.
	hang := script(t, dir, "hang.sh", `trap '' TERM
sleep 1000 &
echo $! > `+q(pidFile)+`
sleep 1000`)
	next := filepath.Join(dir, "next")
	after := script(t, dir, "after.sh", "touch "+q(next))

	const timeout = time.Second
	h := startHarness(t, Config{KillGrace: 100 * time.Millisecond})
	h.r.Submit(event("web", fsm.Master, Set{OnMaster: Hook{Argv: []string{hang}, Timeout: timeout}}))
	h.r.Submit(event("web", fsm.Backup, Set{OnBackup: Hook{Argv: []string{after}}}))

	res := h.next(t)
	if !res.TimedOut || res.Err == nil || res.Kind != OnMaster {
		t.Fatalf("hanging hook: kind %v, timed out %v, err %v; want on_master timed out with an error", res.Kind, res.TimedOut, res.Err)
	}
	if res.ExitCode != -1 {
		t.Errorf("exit code %d, want -1 (killed)", res.ExitCode)
	}
	if res.Duration < timeout {
		t.Errorf("duration %s, shorter than the timeout %s", res.Duration, timeout)
	}
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatalf("the hook did not record its child: %v", err)
	}
	child, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(wait)
	for !gone(child) {
		if time.Now().After(deadline) {
			t.Fatalf("child %d of the timed-out hook still runs", child)
		}
		time.Sleep(10 * time.Millisecond) // observing a real process
	}

	res = h.next(t)
	if res.Kind != OnBackup || res.Err != nil {
		t.Fatalf("next hook: kind %v, err %v; want on_backup succeeded", res.Kind, res.Err)
	}
	if _, err := os.Stat(next); err != nil {
		t.Errorf("next hook did not run: %v", err)
	}
	recs := h.logs.records(t, map[string]any{"msg": "hook failed", "level": "ERROR", "group": "web", "hook": "on_master", "argv0": hang})
	if len(recs) != 1 || recs[0]["timeout"] == nil || recs[0]["signal"] != "killed" {
		t.Errorf("timeout log records: %v", recs)
	}
}

func TestExitCodeReported(t *testing.T) {
	dir := t.TempDir()
	fail := script(t, dir, "fail.sh", "exit 3")
	h := startHarness(t, Config{})
	h.r.Submit(event("web", fsm.Fault, Set{OnFault: Hook{Argv: []string{fail}}}))

	res := h.next(t)
	if res.ExitCode != 3 || res.TimedOut {
		t.Errorf("exit code %d, timed out %v; want 3, false", res.ExitCode, res.TimedOut)
	}
	var ee *exec.ExitError
	if !errors.As(res.Err, &ee) || !strings.HasPrefix(res.Err.Error(), "hooks: ") {
		t.Errorf("err = %v, want a hooks: error wrapping *exec.ExitError", res.Err)
	}
	recs := h.logs.records(t, map[string]any{
		"msg": "hook failed", "level": "ERROR", "group": "web", "hook": "on_fault", "argv0": fail, "exit_code": 3.0,
	})
	if len(recs) != 1 {
		t.Errorf("want one error record with exit_code 3, got %v", h.logs.records(t, map[string]any{"msg": "hook failed"}))
	}
}

func TestSuccessLoggedWithDuration(t *testing.T) {
	h := startHarness(t, Config{})
	h.r.Submit(event("web", fsm.Master, Set{OnMaster: Hook{Argv: []string{"true"}}}))
	if res := h.next(t); res.Err != nil || res.ExitCode != 0 {
		t.Fatalf("true: exit %d, err %v", res.ExitCode, res.Err)
	}
	recs := h.logs.records(t, map[string]any{"msg": "hook succeeded", "level": "INFO", "hook": "on_master", "argv0": "true"})
	if len(recs) != 1 || recs[0]["duration"] == nil {
		t.Errorf("success records: %v", recs)
	}
}

func TestProgramThatCannotStart(t *testing.T) {
	dir := t.TempDir()
	notExec := filepath.Join(dir, "plain")
	if err := os.WriteFile(notExec, []byte("#!/bin/sh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		argv []string
		want error
	}{
		{"missing", []string{filepath.Join(dir, "missing")}, fs.ErrNotExist},
		{"not executable", []string{notExec}, fs.ErrPermission},
		{"not on PATH", []string{"vipd-no-such-hook"}, exec.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ran := filepath.Join(t.TempDir(), "ran")
			h := startHarness(t, Config{})
			h.r.Submit(event("web", fsm.Master, Set{
				OnMaster: Hook{Argv: tt.argv},
				OnChange: Hook{Argv: []string{"touch", ran}},
			}))
			res := h.next(t)
			if !errors.Is(res.Err, tt.want) || res.ExitCode != -1 {
				t.Errorf("err %v, exit code %d; want %v, -1", res.Err, res.ExitCode, tt.want)
			}
			recs := h.logs.records(t, map[string]any{"msg": "hook did not start", "level": "ERROR", "hook": "on_master"})
			if len(recs) != 1 {
				t.Errorf("want one error record, got %v", recs)
			}
			// The runner goes on with the next hook.
			if res := h.next(t); res.Kind != OnChange || res.Err != nil {
				t.Errorf("next: kind %v, err %v; want on_change succeeded", res.Kind, res.Err)
			}
			if _, err := os.Stat(ran); err != nil {
				t.Errorf("on_change did not run: %v", err)
			}
		})
	}
}

func TestOutputLogged(t *testing.T) {
	dir := t.TempDir()
	chatty := script(t, dir, "chatty.sh", `echo hello
echo oops >&2
printf '%0300d\n' 0
printf 'no newline'`)
	h := startHarness(t, Config{MaxLineBytes: 100})
	h.r.Submit(event("web", fsm.Master, Set{OnMaster: Hook{Argv: []string{chatty}}}))
	if res := h.next(t); res.Err != nil {
		t.Fatalf("hook: %v", res.Err)
	}
	var got []loggedLine
	for _, rec := range h.logs.records(t, map[string]any{"msg": "hook output", "group": "web", "hook": "on_master", "argv0": chatty}) {
		l := loggedLine{Stream: rec["stream"].(string), Line: rec["line"].(string)}
		l.Cut, _ = rec["cut"].(bool)
		got = append(got, l)
	}
	slices.SortStableFunc(got, func(a, b loggedLine) int { return strings.Compare(a.Stream, b.Stream) })
	want := []loggedLine{
		{"stderr", "oops", false},
		{"stdout", "hello", false},
		{"stdout", strings.Repeat("0", 100), true},
		{"stdout", "no newline", false},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("output records (-want +got):\n%s", diff)
	}
}

func TestChattyHookBounded(t *testing.T) {
	dir := t.TempDir()
	// About 2 MB, far more than the pipe holds: the hook finishes only if
	// its output keeps being read after the log budget is spent.
	flood := script(t, dir, "flood.sh", `i=0
while [ $i -lt 2000 ]; do printf '%01000d\n' $i; i=$((i+1)); done`)
	h := startHarness(t, Config{MaxOutputBytes: 4096})
	h.r.Submit(event("web", fsm.Master, Set{OnMaster: Hook{Argv: []string{flood}}}))
	if res := h.next(t); res.Err != nil {
		t.Fatalf("hook: %v", res.Err)
	}
	lines := h.logs.records(t, map[string]any{"msg": "hook output"})
	if len(lines) != 4 { // 4 × 1001 bytes fit in 4096
		t.Errorf("logged %d lines, want 4", len(lines))
	}
	over := h.logs.records(t, map[string]any{"msg": "hook output over the limit, rest not logged", "dropped_lines": 1996.0})
	if len(over) != 1 {
		t.Errorf("want one over-limit record with 1996 dropped lines, got %v",
			h.logs.records(t, map[string]any{"msg": "hook output over the limit, rest not logged"}))
	}
}

func TestBackgroundChildHoldingOutput(t *testing.T) {
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "child.pid")
	// Starts a background process that keeps the hook's stdout open.
	leaky := script(t, dir, "leaky.sh", "sleep 1000 &\necho $! > "+q(pidFile))
	h := startHarness(t, Config{})
	h.r.Submit(event("web", fsm.Master, Set{OnMaster: Hook{Argv: []string{leaky}}}))
	res := h.next(t)
	if b, err := os.ReadFile(pidFile); err == nil {
		if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
			t.Cleanup(func() { syscall.Kill(pid, syscall.SIGKILL) })
			if gone(pid) {
				t.Error("a successful hook's background process was killed")
			}
		}
	}
	if res.Err != nil {
		t.Fatalf("hook: %v", res.Err)
	}
	if recs := h.logs.records(t, map[string]any{"msg": "hook left a process holding its output open; no longer reading it"}); len(recs) != 1 {
		t.Errorf("want one warning about the background process, got %v", recs)
	}
}
