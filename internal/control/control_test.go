package control

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type fixedSource struct {
	st       Status
	err      error
	commands *[]string
}

func (s fixedSource) Status(context.Context) (Status, error) { return s.st, s.err }

func (s fixedSource) Admin(_ context.Context, group, command string) error {
	if s.commands != nil {
		*s.commands = append(*s.commands, group+" "+command)
	}
	return s.err
}

func (s fixedSource) Reload(context.Context) error { return s.err }

func serve(t *testing.T, src Source) (string, *Server) {
	return serveHub(t, src, NewHub())
}

func serveHub(t *testing.T, src Source, hub *Hub) (string, *Server) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "run", "vipd.sock")
	srv, err := Listen(path, src, hub, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve() }()
	t.Cleanup(func() {
		srv.Close()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return path, srv
}

func TestStatusRoundTrip(t *testing.T) {
	want := Status{Node: "h1", Groups: []GroupStatus{{
		Name: "web", Protocol: "carp", ID: 42, State: "master", VIPs: []string{"192.0.2.100/24"},
		Counters: Counters{AdvertsSent: 3, Dropped: map[string]uint64{"bad-hmac": 2}, Transitions: map[string]uint64{"startup": 1}},
	}}}
	path, _ := serve(t, fixedSource{st: want})
	got, err := NewClient(path).Status(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("status (-want +got):\n%s", diff)
	}
}

func TestSocketIsOwnerOnly(t *testing.T) {
	path, _ := serve(t, fixedSource{})
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("socket mode %o, want 600", perm)
	}
	di, err := os.Stat(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	if perm := di.Mode().Perm(); perm != 0o700 {
		t.Errorf("socket directory mode %o, want 700", perm)
	}
}

func TestSecondDaemonRefusedStaleSocketReplaced(t *testing.T) {
	path, _ := serve(t, fixedSource{})
	if _, err := Listen(path, fixedSource{}, NewHub(), slog.New(slog.DiscardHandler)); err == nil {
		t.Fatal("a second daemon got the socket of a live one")
	}
	stale := filepath.Join(t.TempDir(), "stale.sock")
	if err := os.WriteFile(stale, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	srv, err := Listen(stale, fixedSource{}, NewHub(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("a stale socket file was not replaced: %v", err)
	}
	srv.Close()
}

func TestStatusErrorsReachTheClient(t *testing.T) {
	path, _ := serve(t, fixedSource{err: errors.New("group web: not running")})
	if _, err := NewClient(path).Status(t.Context()); err == nil {
		t.Fatal("the source's error was lost")
	}
	if _, err := NewClient(filepath.Join(t.TempDir(), "none.sock")).Status(t.Context()); err == nil {
		t.Fatal("no error without a daemon")
	}
}

func TestAdminCommandsReachTheSource(t *testing.T) {
	var got []string
	path, _ := serve(t, fixedSource{commands: &got})
	c := NewClient(path)
	for _, cmd := range Commands {
		if err := c.Admin(t.Context(), "web", cmd); err != nil {
			t.Fatalf("%s: %v", cmd, err)
		}
	}
	if err := c.Admin(t.Context(), "web", "explode"); err == nil {
		t.Error("an unknown command was accepted")
	}
	want := []string{"web maintenance", "web recover", "web reclaim", "web switchover", "web claim"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("commands (-want +got):\n%s", diff)
	}
	if err := NewClient(path).Admin(t.Context(), "web", "recover"); err != nil {
		t.Fatal(err)
	}
	failing, _ := serve(t, fixedSource{err: errors.New("no running group \"db\"")})
	if err := NewClient(failing).Admin(t.Context(), "db", "recover"); err == nil || !strings.Contains(err.Error(), "no running group") {
		t.Errorf("the source's refusal did not reach the client: %v", err)
	}
}

func TestEventsRecentThenFollow(t *testing.T) {
	hub := NewHub()
	hub.Publish(Event{Group: "web", Kind: "transition", From: "init", To: "backup", Reason: "startup"})
	path, _ := serveHub(t, fixedSource{}, hub)

	var recent []Event
	if err := NewClient(path).Events(t.Context(), false, func(ev Event) { recent = append(recent, ev) }); err != nil {
		t.Fatal(err)
	}
	if len(recent) != 1 || recent[0].To != "backup" {
		t.Fatalf("recent events: %+v", recent)
	}

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	got := make(chan Event)
	done := make(chan error, 1)
	go func() {
		done <- NewClient(path).Events(ctx, true, func(ev Event) { got <- ev })
	}()
	<-got // the recent one
	// The subscriber is registered once the recent events arrived.
	hub.Publish(Event{Group: "web", Kind: "transition", From: "backup", To: "master", Reason: "master-down"})
	if ev := <-got; ev.To != "master" {
		t.Errorf("followed event %+v", ev)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Events after cancel: %v", err)
	}
}

func TestHubDropsSlowSubscribersWithoutBlocking(t *testing.T) {
	hub := NewHub()
	_, events, cancel := hub.Subscribe()
	defer cancel()
	for i := range subscriberQueue + 10 {
		hub.Publish(Event{Group: "web", Kind: "transition", Reason: strconv.Itoa(i)})
	}
	n := 0
	for range events {
		n++
	}
	if n != subscriberQueue {
		t.Errorf("slow subscriber got %d events before being cut off, want %d", n, subscriberQueue)
	}
}

func TestMetricsFromStatus(t *testing.T) {
	src := fixedSource{st: Status{Node: "h1", Groups: []GroupStatus{{
		Name: "web", State: "master", Priority: 200, HoldingVIPs: true,
		Counters: Counters{
			AdvertsSent: 7, AdvertsReceived: 3,
			Dropped:     map[string]uint64{"bad-hmac": 2, "bad-ttl": 1},
			Transitions: map[string]uint64{"master-down": 1},
			HookRuns:    map[string]uint64{"on_master": 1}, HookFailures: map[string]uint64{"on_master": 1},
		},
	}}}}
	srv, err := ListenHTTP("127.0.0.1:0", src, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve()
	defer srv.Close()
	resp, err := http.Get("http://" + srv.Addr().String() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{
		`vipd_group_state{group="web",state="master"} 1`,
		`vipd_group_state{group="web",state="backup"} 0`,
		`vipd_group_priority{group="web"} 200`,
		`vipd_group_holding_vips{group="web"} 1`,
		`vipd_adverts_sent_total{group="web"} 7`,
		`vipd_adverts_dropped_total{group="web",reason="bad-hmac"} 2`,
		`vipd_transitions_total{group="web",reason="master-down"} 1`,
		`vipd_hook_failures_total{group="web",hook="on_master"} 1`,
		`go_goroutines`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	for _, path := range []string{"/status", "/healthz"} {
		resp, err := http.Get("http://" + srv.Addr().String() + path)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %v %v", path, err, resp.Status)
		}
		resp.Body.Close()
	}
}
