package health

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// script writes an executable shell script and returns its path.
func script(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "check.sh")
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// logLines collects the "line" attribute of debug records.
type logLines struct {
	mu    sync.Mutex
	lines []string
	msgs  []string
}

func (l *logLines) Enabled(context.Context, slog.Level) bool { return true }
func (l *logLines) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.msgs = append(l.msgs, r.Message)
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "line" {
			l.lines = append(l.lines, a.Value.String())
		}
		return true
	})
	return nil
}
func (l *logLines) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *logLines) WithGroup(string) slog.Handler      { return l }

func runExec(t *testing.T, o ExecOptions, timeout time.Duration) (*logLines, error) {
	t.Helper()
	logs := &logLines{}
	o.Logger = slog.New(logs)
	if o.Check == "" {
		o.Group, o.Check = "web", "app"
	}
	c, err := NewExec(o)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), timeout)
	defer cancel()
	return logs, c.Check(ctx)
}

func TestExecExitStatus(t *testing.T) {
	for _, tc := range []struct {
		name, body, wantErr string
	}{
		{"exit 0", "echo fine; exit 0", ""},
		{"exit 1 quotes the last line", "echo checking db; echo 'db: connection refused' >&2; echo; exit 1",
			" exited with status 1: db: connection refused"},
		{"exit 3 without output", "exit 3", " exited with status 3"},
		{"killed by a signal", "kill -TERM $$", " was killed by signal terminated"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := script(t, tc.body)
			_, err := runExec(t, ExecOptions{Argv: []string{path}}, 5*time.Second)
			want := ""
			if tc.wantErr != "" {
				want = "health: " + path + tc.wantErr
			}
			if got := errText(err); got != want {
				t.Errorf("Check = %q\nwant    %q", got, want)
			}
		})
	}
}

func TestExecArgsAndCleanEnvironment(t *testing.T) {
	t.Setenv("VIPD_SECRET_OF_THE_DAEMON", "x")
	logs, err := runExec(t, ExecOptions{Argv: []string{"/usr/bin/env"}, Group: "web", Check: "db"}, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"PATH=" + cleanPath, "VIPD_GROUP=web", "VIPD_CHECK=db"}
	if diff := cmp.Diff(want, logs.lines); diff != "" {
		t.Errorf("environment (-want +got):\n%s", diff)
	}

	path := script(t, `[ "$1" = a ] && [ "$2" = "b c" ] && [ "$(pwd)" = / ] && ! read x`)
	if _, err := runExec(t, ExecOptions{Argv: []string{path, "a", "b c"}}, 5*time.Second); err != nil {
		t.Errorf("arguments, directory /, empty stdin: %v", err)
	}
}

// TestExecHangKilledWithItsChild runs a check that starts a child and then
// hangs: at the timeout both are killed and Check returns at once.
func TestExecHangKilledWithItsChild(t *testing.T) {
	dir := t.TempDir()
	pids := filepath.Join(dir, "pids")
	path := script(t, "sleep 1000 & echo $! > "+pids+"; echo $$ >> "+pids+"; echo started; exec sleep 1000")
	start := time.Now()
	_, err := runExec(t, ExecOptions{Argv: []string{path}}, 300*time.Millisecond)
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("Check returned after %s, want soon after the 300ms timeout", took)
	}
	if want := "health: " + path + " killed at the timeout: started"; errText(err) != want {
		t.Errorf("Check = %q\nwant    %q", errText(err), want)
	}
	for _, pid := range readPIDs(t, pids) {
		waitGone(t, pid)
	}
}

// TestExecLeftoverKilled: a check that exits 0 but leaves a process behind
// holding its output passes, promptly, and the process is killed.
func TestExecLeftoverKilled(t *testing.T) {
	dir := t.TempDir()
	pids := filepath.Join(dir, "pids")
	path := script(t, "sleep 1000 & echo $! > "+pids+"; exit 0")
	start := time.Now()
	_, err := runExec(t, ExecOptions{Argv: []string{path}}, 5*time.Second)
	if err != nil {
		t.Errorf("Check: %v", err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("Check returned after %s", took)
	}
	for _, pid := range readPIDs(t, pids) {
		waitGone(t, pid)
	}
}

func TestExecOutputBounded(t *testing.T) {
	path := script(t, `i=0; while [ $i -lt 1000 ]; do echo "line $i of a noisy check"; i=$((i+1)); done; exit 2`)
	logs, err := runExec(t, ExecOptions{Argv: []string{path}, MaxOutputBytes: 100}, 5*time.Second)
	kept := strings.Join(logs.lines, "\n")
	if len(kept) > 100 || !strings.HasPrefix(kept, "line 0 of a noisy check\nline 1") {
		t.Errorf("kept output %q, want the first 100 bytes at most", kept)
	}
	if !slicesContains(logs.msgs, "check output over the limit, rest not kept") {
		t.Errorf("no note of the dropped output in %q", logs.msgs)
	}
	if err == nil || !strings.HasPrefix(err.Error(), "health: "+path+" exited with status 2: ") || len(err.Error()) > 400 {
		t.Errorf("Check = %v", err)
	}
}

func TestExecDoesNotStart(t *testing.T) {
	_, err := runExec(t, ExecOptions{Argv: []string{"/nonexistent/check"}}, time.Second)
	if want := "health: fork/exec /nonexistent/check: no such file or directory"; errText(err) != want {
		t.Errorf("Check = %q, want %q", errText(err), want)
	}
	if _, err := NewExec(ExecOptions{Argv: []string{"check.sh"}, Check: "app"}); errText(err) != `health: exec check "app": argv[0] must be an absolute path` {
		t.Errorf("NewExec with a relative path: %v", err)
	}
}

func TestCappedTail(t *testing.T) {
	c := &capped{max: 1000}
	c.Write([]byte("first\r\n" + strings.Repeat("é", 150) + "\n\n"))
	if got := c.tail(); !strings.HasSuffix(got, "…") || len(got) > maxTailBytes+len(": …") || !strings.HasPrefix(got, ": é") {
		t.Errorf("tail = %q", got)
	}
	if got := (&capped{max: 10}).tail(); got != "" {
		t.Errorf("tail of nothing = %q", got)
	}
}

func readPIDs(t *testing.T, path string) []int {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var pids []int
	for _, f := range strings.Fields(string(data)) {
		pid, err := strconv.Atoi(f)
		if err != nil {
			t.Fatal(err)
		}
		pids = append(pids, pid)
	}
	return pids
}

// waitGone waits for pid to be dead: gone, or a zombie its new parent has
// not reaped yet.
func waitGone(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if errors.Is(err, os.ErrNotExist) || (err == nil && zombie(stat)) {
			return
		}
		if time.Now().After(deadline) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
			t.Errorf("process %d still running", pid)
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func zombie(stat []byte) bool {
	s := string(stat)
	i := strings.LastIndexByte(s, ')')
	return i >= 0 && strings.HasPrefix(s[i+1:], " Z")
}

func slicesContains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
