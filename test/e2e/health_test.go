//go:build e2e

package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
	"golang.org/x/sys/unix"

	"github.com/vipd/vipd/internal/control"
	"github.com/vipd/vipd/internal/lab"
	"github.com/vipd/vipd/internal/lab/labtest"
)

// healthURL is where each host's test web server answers, inside the
// host's own namespace (every namespace has its own loopback).
const healthURL = "http://127.0.0.1:8080/health"

// TestHealthHTTPCheckMovesVIP: the master's HTTP check starts failing (the
// server answers 500), so the master goes to fault and the backup takes the
// VIP; when the server recovers the VIP comes back. Every change of the
// check shows in `vipd events` and `vipd status`.
func TestHealthHTTPCheckMovesVIP(t *testing.T) {
	t.Parallel()
	ctx := labtest.Context(t, 2*time.Minute)
	l := labtest.NewLab(t, lab.Options{Hosts: 2, Customize: func(h *lab.Host, f *lab.VipdFile) {
		f.Groups[0].Checks = []map[string]any{{
			"name": "web", "kind": "http", "url": healthURL, "body": "^ok$",
			"interval": "250ms", "timeout": "200ms", "rise": 2, "fall": 2,
		}}
	}})
	h1, h2 := l.Host("h1"), l.Host("h2")
	codes := map[*lab.Host]*atomic.Int32{}
	for _, h := range l.Hosts() {
		codes[h] = serveHealth(t, h)
	}
	if err := l.StartDaemons(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Ready(ctx, 0); err != nil {
		t.Fatal(err)
	}
	waitCheck(t, ctx, h1, "lab", "web", "healthy")

	codes[h1].Store(http.StatusInternalServerError)
	labtest.SoleAnswerer(t, ctx, l, 0, h2)
	labtest.WaitState(t, ctx, h1, "lab", "fault")
	c := waitCheck(t, ctx, h1, "lab", "web", "failing")
	if c.Kind != "http" || !c.Fault || c.LastOK || !strings.Contains(c.LastError, "500") || c.Failures == 0 {
		t.Errorf("h1's failing check in vipd status: %+v", c)
	}

	codes[h1].Store(http.StatusOK)
	labtest.SoleAnswerer(t, ctx, l, 0, h1)
	labtest.WaitState(t, ctx, h2, "lab", "backup")
	waitCheck(t, ctx, h1, "lab", "web", "healthy")

	var changes []string
	fault := false
	for _, ev := range vipdEvents(t, ctx, h1) {
		switch {
		case ev.Kind == "check" && ev.Check == "web":
			changes = append(changes, ev.From+"->"+ev.To)
		case ev.Kind == "transition" && ev.To == "fault" && ev.Reason == "health-fault":
			fault = true
		}
	}
	if want := "unknown->healthy healthy->failing failing->healthy"; strings.Join(changes, " ") != want {
		t.Errorf("h1's check events: %v, want %s", changes, want)
	}
	if !fault {
		t.Error("h1's events have no transition to fault for health-fault")
	}
}

// TestHealthChecksFollowReload: a reload that leaves a group alone keeps
// its checks running as they were; one that changes the group's checks
// restarts them with it.
func TestHealthChecksFollowReload(t *testing.T) {
	t.Parallel()
	ctx := labtest.Context(t, 2*time.Minute)
	l := labtest.NewLab(t, lab.Options{Hosts: 2, Customize: func(h *lab.Host, f *lab.VipdFile) {
		if h.Name == "h1" {
			f.Groups[0].Checks = []map[string]any{{
				"name": "web", "kind": "http", "url": healthURL,
				"interval": "250ms", "timeout": "200ms", "rise": 2, "fall": 2,
			}}
		}
	}})
	h1, h2 := l.Host("h1"), l.Host("h2")
	code := serveHealth(t, h1)
	if err := l.StartDaemons(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Ready(ctx, 0); err != nil {
		t.Fatal(err)
	}
	waitCheck(t, ctx, h1, "lab", "web", "healthy")
	starts := func() int { // first results of the check: one per (re)start
		n := 0
		for _, ev := range vipdEvents(t, ctx, h1) {
			if ev.Kind == "check" && ev.From == "unknown" {
				n++
			}
		}
		return n
	}

	labtest.Ctl(t, ctx, h1, "reload")
	probes := waitCheck(t, ctx, h1, "lab", "web", "healthy").Probes
	waitProbes(t, ctx, h1, probes+4)
	if n := starts(); n != 1 {
		t.Errorf("the check started %d times after a reload that changed nothing, want once", n)
	}
	if g := labtest.GroupStatus(t, ctx, h1, "lab"); g.State != "master" || g.Counters.Transitions["startup"] != 1 {
		t.Errorf("h1 after an empty reload is %s with transitions %v, want the same master", g.State, g.Counters.Transitions)
	}

	// The server fails now, and the check changes (fall 2 -> 1): the
	// group restarts, and its new checks find the server failing.
	code.Store(http.StatusServiceUnavailable)
	editVipdConfig(t, h1, func(f *lab.VipdFile) { f.Groups[0].Checks[0]["fall"] = 1 })
	labtest.Ctl(t, ctx, h1, "reload")
	labtest.SoleAnswerer(t, ctx, l, 0, h2)
	labtest.WaitState(t, ctx, h1, "lab", "fault")
	waitCheck(t, ctx, h1, "lab", "web", "failing")
	if n := starts(); n != 2 {
		t.Errorf("the check started %d times after a reload that changed it, want twice", n)
	}
}

// waitProbes polls h's status until the lab group's first check has made
// at least n probes.
func waitProbes(t *testing.T, ctx context.Context, h *lab.Host, n uint64) {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for time.Now().Before(deadline) {
		if cs := labtest.GroupStatus(t, ctx, h, "lab").Checks; len(cs) > 0 && cs[0].Probes >= n {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatal(ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatalf("%s: the check made fewer than %d probes in %s", h.Name, n, waitFor)
}

// editVipdConfig rewrites the configuration h's daemon runs with.
func editVipdConfig(t *testing.T, h *lab.Host, edit func(*lab.VipdFile)) {
	t.Helper()
	b, err := os.ReadFile(h.ConfigPath())
	if err != nil {
		t.Fatal(err)
	}
	var f lab.VipdFile
	if err := yaml.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	edit(&f)
	if b, err = yaml.Marshal(&f); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(h.ConfigPath(), b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestWeightDropMovesVIP: a failing check with a weight lowers the
// master's priority below its peer's, which preempts; when the check
// passes again the priority comes back and so does the VIP.
func TestWeightDropMovesVIP(t *testing.T) {
	t.Parallel()
	ctx := labtest.Context(t, 2*time.Minute)
	var flag string
	l := labtest.NewLab(t, lab.Options{Hosts: 2, Customize: func(h *lab.Host, f *lab.VipdFile) {
		if h.Name != "h1" {
			return
		}
		flag = filepath.Join(h.Dir(), "degraded")
		// Priorities are 250 (h1) and 200 (h2): -100 puts h1 below h2.
		f.Groups[0].Checks = []map[string]any{{
			"name": "degraded", "kind": "exec", "argv": []string{"/bin/sh", "-c", "test ! -e " + flag},
			"interval": "500ms", "timeout": "400ms", "rise": 2, "fall": 2, "weight": -100,
		}}
	}})
	if err := l.StartDaemons(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Ready(ctx, 0); err != nil {
		t.Fatal(err)
	}
	h1, h2 := l.Host("h1"), l.Host("h2")
	waitCheck(t, ctx, h1, "lab", "degraded", "healthy")
	if p := labtest.GroupStatus(t, ctx, h1, "lab").Priority; p != 250 {
		t.Errorf("h1's priority with a passing check is %d, want 250", p)
	}

	if err := os.WriteFile(flag, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	labtest.SoleAnswerer(t, ctx, l, 0, h2)
	labtest.WaitState(t, ctx, h1, "lab", "backup")
	if g := labtest.GroupStatus(t, ctx, h1, "lab"); g.Priority != 150 || g.BasePriority != 250 {
		t.Errorf("h1's priority with a failing weight -100 check is %d (configured %d), want 150 (250)", g.Priority, g.BasePriority)
	}
	if c := waitCheck(t, ctx, h1, "lab", "degraded", "failing"); c.Weight != -100 || c.Fault {
		t.Errorf("h1's weighted check in vipd status: %+v", c)
	}

	if err := os.Remove(flag); err != nil {
		t.Fatal(err)
	}
	labtest.SoleAnswerer(t, ctx, l, 0, h1)
	labtest.WaitState(t, ctx, h2, "lab", "backup")
	if p := labtest.GroupStatus(t, ctx, h1, "lab").Priority; p != 250 {
		t.Errorf("h1's priority after the check recovered is %d, want 250", p)
	}
}

// TestHangingCheckKeepsAdvertsFlowing: the master's exec check hangs far
// past its timeout at every probe. Checks run off the protocol loop, so the
// adverts the peer hears keep their rhythm and the VIP stays.
func TestHangingCheckKeepsAdvertsFlowing(t *testing.T) {
	t.Parallel()
	ctx := labtest.Context(t, 2*time.Minute)
	l := labtest.NewLab(t, lab.Options{Hosts: 2, Customize: func(h *lab.Host, f *lab.VipdFile) {
		if h.Name != "h1" {
			return
		}
		// A small weight: the failing check must not move the VIP by
		// itself (250 - 10 still beats 200).
		f.Groups[0].Checks = []map[string]any{{
			"name": "stuck", "kind": "exec", "argv": []string{"/bin/sleep", "600"},
			"interval": "3s", "timeout": "2s", "rise": 1, "fall": 1, "weight": -10,
		}}
	}})
	if err := l.StartDaemons(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Ready(ctx, 0); err != nil {
		t.Fatal(err)
	}
	h1, h2 := l.Host("h1"), l.Host("h2")
	c := waitCheck(t, ctx, h1, "lab", "stuck", "failing")
	if !strings.Contains(c.LastError, "timeout") {
		t.Errorf("the hanging check failed with %q, want a timeout", c.LastError)
	}

	// Two hung probes (2 s each) fall within the capture.
	takeovers := labtest.GroupStatus(t, ctx, h2, "lab").Counters.Transitions["master-down"]
	start := time.Now()
	times := advertTimes(t, h2.Node, h1.Addr4.AsSlice(), 7*time.Second)
	if len(times) < 10 {
		t.Fatalf("h2 heard %d adverts from h1 in 7 s, want about 70", len(times))
	}
	// Loose: adverts come every 100 ms; a loop blocked by the check would
	// leave a gap of its 2 s timeout.
	var gap time.Duration
	for i := 1; i < len(times); i++ {
		gap = max(gap, times[i].Sub(times[i-1]))
	}
	if limit := 10 * e2eProfile.Interval; gap > limit {
		t.Errorf("longest gap between h1's adverts at h2 is %s, want under %s", gap, limit)
	}
	if ev := l.VIPEvents(0, start, time.Now()); len(ev) != 0 {
		t.Errorf("the VIP moved while h1's check hung: %+v", ev)
	}
	g := labtest.GroupStatus(t, ctx, h2, "lab")
	if g.State != "backup" || g.Counters.Transitions["master-down"] != takeovers {
		t.Errorf("h2 is %s with transitions %v (master-down %d before); want backup, no takeover", g.State, g.Counters.Transitions, takeovers)
	}
	if g := labtest.GroupStatus(t, ctx, h1, "lab"); g.State != "master" || g.Priority != 240 {
		t.Errorf("h1 is %s at priority %d, want master at 240", g.State, g.Priority)
	}
}

// serveHealth serves healthURL inside h's namespace for the rest of the
// test: status 200 with the body "ok", or the code stored in the result.
func serveHealth(t *testing.T, h *lab.Host) *atomic.Int32 {
	t.Helper()
	code := new(atomic.Int32)
	code.Store(http.StatusOK)
	var ln net.Listener
	err := h.Do(func() error {
		var err error
		ln, err = net.Listen("tcp", strings.TrimSuffix(strings.TrimPrefix(healthURL, "http://"), "/health"))
		return err
	})
	if err != nil {
		t.Fatalf("listening in %s: %v", h.Name, err)
	}
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(int(code.Load()))
			_, _ = w.Write([]byte("ok"))
		}),
		ReadHeaderTimeout: 5 * time.Second,
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		_ = srv.Close()
		if err := <-done; !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("web server in %s: %v", h.Name, err)
		}
	})
	return code
}

// waitCheck polls h's status until group's check is in state and returns
// it.
func waitCheck(t *testing.T, ctx context.Context, h *lab.Host, group, check, state string) control.CheckStatus {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	var last control.CheckStatus
	for time.Now().Before(deadline) {
		for _, c := range labtest.GroupStatus(t, ctx, h, group).Checks {
			if c.Name == check {
				last = c
			}
		}
		if last.State == state {
			return last
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s: waiting for check %s to be %s: %v", h.Name, check, state, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatalf("%s: check %s of %s is %+v, want state %s", h.Name, check, group, last, state)
	return last
}

// vipdEvents returns h's recent events, as `vipd events -o json` prints
// them.
func vipdEvents(t *testing.T, ctx context.Context, h *lab.Host) []control.Event {
	t.Helper()
	out := labtest.Ctl(t, ctx, h, "events", "-o", "json")
	var evs []control.Event
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var ev control.Event
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			t.Fatalf("vipd events on %s: %v: %s", h.Name, err, sc.Text())
		}
		evs = append(evs, ev)
	}
	return evs
}

// advertTimes records when n's link carries an IPv4 protocol-112 packet
// from src, for d. Each packet's time is the kernel's receive timestamp,
// so a busy test process does not make gaps of its own.
func advertTimes(t *testing.T, n *lab.Node, src []byte, d time.Duration) []time.Time {
	t.Helper()
	fd := captureSocket(t, n)
	defer unix.Close(fd)
	var times []time.Time
	buf := make([]byte, 2048)
	oob := make([]byte, 128)
	for end := time.Now().Add(d); time.Now().Before(end); {
		k, oobn, _, _, err := unix.Recvmsg(fd, buf, oob, 0)
		if errors.Is(err, unix.EAGAIN) || errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			t.Fatalf("capture in %s: %v", n.Name, err)
		}
		if k < 20 || buf[0]>>4 != 4 || buf[9] != 112 || !bytes.Equal(buf[12:16], src) {
			continue
		}
		times = append(times, packetTime(oob[:oobn]))
	}
	return times
}

// packetTime reads the SO_TIMESTAMPNS control message (a struct
// timespec of two 64-bit fields on 64-bit Linux), or falls back to now.
func packetTime(oob []byte) time.Time {
	msgs, err := unix.ParseSocketControlMessage(oob)
	if err != nil {
		return time.Now()
	}
	for _, m := range msgs {
		if m.Header.Level == unix.SOL_SOCKET && m.Header.Type == unix.SCM_TIMESTAMPNS && len(m.Data) == 16 {
			sec := int64(binary.NativeEndian.Uint64(m.Data[0:8]))
			nsec := int64(binary.NativeEndian.Uint64(m.Data[8:16]))
			return time.Unix(sec, nsec)
		}
	}
	return time.Now()
}
