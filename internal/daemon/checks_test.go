package daemon

import (
	"errors"
	"io/fs"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/vipd/vipd/internal/health"
)

// TestHealthChecksMapEveryKind: each configured check becomes a checker of
// its kind with its schedule and effect unchanged.
func TestHealthChecksMapEveryKind(t *testing.T) {
	g := parseGroup(t, `
groups:
  - name: web
    interface: eth0
    protocol: vrrp3
    id: 1
    priority: 200
    vips: [192.0.2.100/24]
    checks:
      - {name: gw, kind: arp, target: 192.0.2.1}
      - {name: peer, kind: ping, target: 2001:db8::1, interval: 1s, timeout: 300ms}
      - {name: db, kind: tcp, address: "127.0.0.1:5432", weight: -50}
      - {name: page, kind: http, url: "http://127.0.0.1/health", status: [200-299], body: "</html>", rise: 1, fall: 5}
      - {name: tls, kind: https, url: "https://127.0.0.1/", insecure_skip_verify: true, weight: 10}
      - {name: script, kind: exec, argv: [/usr/local/bin/check, --quick]}
`)
	checks, err := healthChecks(g, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	type mapped struct {
		Name              string
		Kind              health.Kind
		Interval, Timeout time.Duration
		Rise, Fall        int
		Fault             bool
		Weight            int
	}
	var got []mapped
	for _, c := range checks {
		if c.Checker == nil {
			t.Errorf("check %s has no checker", c.Name)
		}
		got = append(got, mapped{c.Name, c.Kind, c.Interval, c.Timeout, c.Rise, c.Fall, c.Fault, c.Weight})
	}
	want := []mapped{
		{"gw", health.KindARP, 2 * time.Second, time.Second, 2, 3, true, 0},
		{"peer", health.KindPing, time.Second, 300 * time.Millisecond, 2, 3, true, 0},
		{"db", health.KindTCP, 2 * time.Second, time.Second, 2, 3, false, -50},
		{"page", health.KindHTTP, 2 * time.Second, time.Second, 1, 5, true, 0},
		{"tls", health.KindHTTPS, 2 * time.Second, time.Second, 2, 3, false, 10},
		{"script", health.KindExec, 2 * time.Second, time.Second, 2, 3, true, 0},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("checks (-want +got):\n%s", diff)
	}
	if _, ok := checks[0].Checker.(*health.ARP); !ok {
		t.Errorf("arp check got a %T", checks[0].Checker)
	}
	if _, ok := checks[5].Checker.(*health.Exec); !ok {
		t.Errorf("exec check got a %T", checks[5].Checker)
	}
}

// TestHealthChecksReadCAFileAtStart: a CA file that is gone when the group
// starts stops the group from starting, naming the group and the check.
func TestHealthChecksReadCAFileAtStart(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "ca.pem")
	g := parseGroup(t, `
groups:
  - name: web
    interface: eth0
    protocol: vrrp3
    id: 1
    vips: [192.0.2.100/24]
    checks:
      - {name: tls, kind: https, url: "https://127.0.0.1/", ca_file: `+missing+`}
`)
	_, err := healthChecks(g, slog.New(slog.DiscardHandler))
	if err == nil || !strings.Contains(err.Error(), "group web: check tls") {
		t.Fatalf("healthChecks = %v, want an error naming group web and check tls", err)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("error %v does not keep its cause", err)
	}
}
