package daemon

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/vipd/vipd/internal/control"
	"github.com/vipd/vipd/internal/health"
)

var t0 = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

func result(check string, ok, healthy bool, latency time.Duration) health.Result {
	r := health.Result{Group: "web", Check: check, Kind: health.KindHTTP, Time: t0, Latency: latency, OK: ok, Healthy: healthy}
	if !ok {
		r.Err = errors.New("status 500")
	}
	return r
}

// TestCheckStatusesAndEvents: probes are counted per check across a
// restart of the group's monitor, the snapshot shows the latest probe, and
// events carry the state before and after a change.
func TestCheckStatusesAndEvents(t *testing.T) {
	var rec checkRecords
	if was := rec.add(result("api", true, true, 2*time.Millisecond)); was != "unknown" {
		t.Errorf("first result: was %q, want unknown", was)
	}
	if was := rec.add(result("api", false, false, 4*time.Millisecond)); was != "healthy" {
		t.Errorf("second result: was %q, want healthy", was)
	}
	rec.restart("web")
	last := result("api", false, false, 6*time.Millisecond)
	if was := rec.add(last); was != "unknown" {
		t.Errorf("after a restart: was %q, want unknown", was)
	}
	got := rec.statuses("web", health.Status{Checks: []health.CheckStatus{
		{Name: "api", Kind: health.KindHTTP, Fault: true, Known: true, Last: last},
		{Name: "db", Kind: health.KindTCP, Weight: -50},
	}})
	want := []control.CheckStatus{
		{Name: "api", Kind: "http", Fault: true, State: "failing", LastProbe: t0, LastError: "status 500",
			LatencyMS: 6, Probes: 3, Failures: 2, ProbeSeconds: 0.012},
		{Name: "db", Kind: "tcp", Weight: -50, State: "unknown"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	ev := checkEvent(last, "healthy")
	wantEv := control.Event{Time: t0, Group: "web", Kind: "check", Check: "api", From: "healthy", To: "failing", Error: "status 500"}
	if diff := cmp.Diff(wantEv, ev); diff != "" {
		t.Errorf("event (-want +got):\n%s", diff)
	}
}

// statusSource serves a fixed status.
type statusSource struct{ st control.Status }

func (s statusSource) Status(context.Context) (control.Status, error) { return s.st, nil }
func (statusSource) Admin(context.Context, string, string) error      { return nil }
func (statusSource) Reload(context.Context) error                     { return nil }

// TestCheckMetrics: the metrics listener exports each check's state,
// probes by result and probe time.
func TestCheckMetrics(t *testing.T) {
	st := control.Status{Node: "h1", Groups: []control.GroupStatus{{
		Name: "web", State: "master",
		Checks: []control.CheckStatus{
			{Name: "api", Kind: "http", State: "failing", Probes: 5, Failures: 2, ProbeSeconds: 0.25},
			{Name: "db", Kind: "tcp", State: "unknown"},
		},
	}}}
	srv, err := control.ListenHTTP("127.0.0.1:0", statusSource{st}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve() }()
	t.Cleanup(func() {
		_ = srv.Close()
		<-done
	})
	resp, err := http.Get("http://" + srv.Addr().String() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	for _, line := range []string{
		`vipd_check_healthy{check="api",group="web"} 0`,
		`vipd_check_probes_total{check="api",group="web",result="pass"} 3`,
		`vipd_check_probes_total{check="api",group="web",result="fail"} 2`,
		`vipd_check_probe_duration_seconds_sum{check="api",group="web"} 0.25`,
		`vipd_check_probe_duration_seconds_count{check="api",group="web"} 5`,
		`vipd_check_probes_total{check="db",group="web",result="pass"} 0`,
	} {
		if !strings.Contains(text, line+"\n") {
			t.Errorf("metrics lack %s", line)
		}
	}
	if strings.Contains(text, `vipd_check_healthy{check="db"`) {
		t.Error("a check without a result has a vipd_check_healthy value")
	}
}
