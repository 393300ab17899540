package health

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vipd/vipd/internal/fsm"
)

// TestMonitorWithRealHTTPCheck runs a Monitor on the real clock over an
// HTTP check of a page that goes down and comes back: the group goes to
// fault after fall failures and back after rise passes.
func TestMonitorWithRealHTTPCheck(t *testing.T) {
	var down atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if down.Load() {
			http.Error(w, "maintenance", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("<html>ok</html>"))
	}))
	t.Cleanup(srv.Close)
	web, err := NewHTTP(HTTPOptions{URL: srv.URL, Body: regexp.MustCompile(`</html>`)})
	if err != nil {
		t.Fatal(err)
	}
	reports := make(chan fsm.HealthChanged, 10)
	m, err := New(Config{
		Group: "web",
		Checks: []Check{{
			Name: "web", Kind: KindHTTP, Checker: web,
			Interval: 100 * time.Millisecond, Timeout: 80 * time.Millisecond, Rise: 2, Fall: 2, Fault: true,
		}},
		OnHealth: func(_ context.Context, h fsm.HealthChanged) error { reports <- h; return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()

	next := func(want fsm.HealthChanged) {
		t.Helper()
		select {
		case h := <-reports:
			if h != want {
				t.Fatalf("OnHealth(%+v), want %+v", h, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("no OnHealth(%+v) within 5s", want)
		}
	}
	next(fsm.HealthChanged{})
	down.Store(true)
	next(fsm.HealthChanged{Fault: true})
	down.Store(false)
	next(fsm.HealthChanged{})
}
