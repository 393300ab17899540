package hooks

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/vipd/vipd/internal/fsm"
)

// wait bounds every wait on a real process, so a broken hook fails the test
// instead of hanging it. It is a deadline, never a synchronisation sleep.
const wait = 30 * time.Second

// logSink collects JSON log records.
type logSink struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *logSink) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *logSink) logger() *slog.Logger {
	return slog.New(slog.NewJSONHandler(s, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// records returns the records whose fields include all of match.
func (s *logSink) records(t *testing.T, match map[string]any) []map[string]any {
	t.Helper()
	s.mu.Lock()
	data := bytes.Clone(s.buf.Bytes())
	s.mu.Unlock()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var rec map[string]any
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("log line %q: %v", sc.Text(), err)
		}
		ok := true
		for k, v := range match {
			if rec[k] != v {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, rec)
		}
	}
	return out
}

// harness is a Runner with its log and results captured.
type harness struct {
	r       *Runner
	logs    *logSink
	results chan Result
	cancel  context.CancelFunc
	runDone chan error
}

// newHarness returns a Runner that is not running yet.
func newHarness(t *testing.T, cfg Config) *harness {
	t.Helper()
	h := &harness{logs: &logSink{}, results: make(chan Result, 4096)}
	cfg.Logger = h.logs.logger()
	cfg.OnResult = func(r Result) { h.results <- r }
	h.r = New(cfg)
	return h
}

// run starts Run; the test's cleanup stops it.
func (h *harness) run(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	h.runDone = make(chan error, 1)
	go func() { h.runDone <- h.r.Run(ctx) }()
	t.Cleanup(func() { h.stop(t) })
}

// stop ends Run and waits for it.
func (h *harness) stop(t *testing.T) {
	t.Helper()
	h.cancel()
	select {
	case err := <-h.runDone:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
		h.runDone <- nil // later stops return at once
	case <-time.After(wait):
		t.Fatal("Run did not return after its context ended")
	}
}

// startHarness returns a running Runner.
func startHarness(t *testing.T, cfg Config) *harness {
	t.Helper()
	h := newHarness(t, cfg)
	h.run(t)
	return h
}

// next returns the next hook result.
func (h *harness) next(t *testing.T) Result {
	t.Helper()
	select {
	case r := <-h.results:
		return r
	case <-time.After(wait):
		t.Fatal("no hook result")
		return Result{}
	}
}

// script writes an executable /bin/sh script and returns its path.
func script(t *testing.T, dir, name, body string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// q quotes a path for a shell script.
func q(path string) string { return "'" + path + "'" }

// fifo makes a named pipe in dir.
func fifo(t *testing.T, dir, name string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// awaitFifo blocks until a hook has written to the fifo and closed it, and
// returns what it wrote.
func awaitFifo(t *testing.T, path string) string {
	t.Helper()
	got := make(chan string, 1)
	go func() {
		f, err := os.Open(path) // blocks until a writer opens it
		if err != nil {
			got <- "error: " + err.Error()
			return
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		got <- string(b)
	}()
	select {
	case s := <-got:
		return s
	case <-time.After(wait):
		t.Fatalf("nothing written to %s", path)
		return ""
	}
}

// releaseFifo lets a hook that reads the fifo go on.
func releaseFifo(t *testing.T, path string) {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		f, err := os.OpenFile(path, os.O_WRONLY, 0) // blocks until a reader opens it
		if err == nil {
			_, err = f.WriteString("go\n")
			f.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(wait):
		t.Fatalf("no hook read %s", path)
	}
}

// readLines returns a file's lines.
func readLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

// event returns a transition of group to state to with hooks set.
func event(group string, to fsm.State, set Set) Event {
	return Event{
		Group:     group,
		Protocol:  "vrrp3",
		ID:        51,
		Priority:  100,
		Interface: "eth0",
		VIPs:      []netip.Prefix{netip.MustParsePrefix("192.0.2.10/24"), netip.MustParsePrefix("2001:db8::10/64")},
		From:      fsm.Backup,
		To:        to,
		Reason:    fsm.ReasonMasterDown,
		Hooks:     set,
	}
}

// gone reports whether pid has exited (a zombie counts: it runs no more).
func gone(pid int) bool {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return true
	}
	// pid (comm) S ...: the state follows the last ')'.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i >= 0 && i+2 < len(s) && s[i+2] == 'Z'
}
