package control

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type fixedSource struct {
	st  Status
	err error
}

func (s fixedSource) Status(context.Context) (Status, error) { return s.st, s.err }

func serve(t *testing.T, src Source) (string, *Server) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "run", "vipd.sock")
	srv, err := Listen(path, src, slog.New(slog.DiscardHandler))
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
	if _, err := Listen(path, fixedSource{}, slog.New(slog.DiscardHandler)); err == nil {
		t.Fatal("a second daemon got the socket of a live one")
	}
	stale := filepath.Join(t.TempDir(), "stale.sock")
	if err := os.WriteFile(stale, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	srv, err := Listen(stale, fixedSource{}, slog.New(slog.DiscardHandler))
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
