//go:build e2e

// Package interop tests vipd in mixed groups with the real keepalived and
// ucarp, end to end: every test builds a lab (internal/lab) whose hosts run
// different implementations in one group, breaks something, and checks
// who holds and answers for the VIP, that no two hosts do at once, and
// what vipd reports over its control socket. docs/interop.md sums up the
// results, naming the test behind each claim. The helpers they share with
// the other end-to-end packages are in internal/lab/labtest.
//
// The tests need root (or an unprivileged user namespace, see
// internal/lab) and keepalived and ucarp installed; without them they
// skip with the reason, or fail when VIPD_REQUIRE_NETNS=1. Time bounds are
// loose: they only catch a group that does not converge.
package interop

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vipd/vipd/internal/lab"
	"github.com/vipd/vipd/internal/lab/labtest"
)

// TestMain builds vipd once for all tests, unless VIPD_BIN names a binary
// to test instead (as test/e2e does). The labs here run eight at once
// unless -test.parallel says otherwise: they spend their time waiting for
// adverts that come once a second (VRRPv2, ucarp), not computing, so a
// machine with two CPUs still runs eight of them without delaying an
// advert. Their clients probe less often than the lab's default (every
// 5 ms, sweeps every 20 ms): many labs run at once, and elections at
// 100 ms or 1 s adverts need no 2 ms resolution.
func TestMain(m *testing.M) {
	labtest.Main(m, labtest.Config{
		Wait:          waitFor,
		ProbeInterval: 5 * time.Millisecond,
		SweepInterval: 20 * time.Millisecond,
		Parallel:      8,
	})
}

// waitFor bounds every wait for an election: loose, it only catches a lab
// that does not converge. The slowest legitimate wait is a ucarp host
// whose link returned: ucarp looks at a down link again every 10 s.
const waitFor = 45 * time.Second

// soleHolder waits until host alone holds target's VIP: its kernel has the
// VIP and no other host's has (the lab's address watch), it alone answers
// the client's direct probes to every host (the sweep), and the client's
// routed probes reach it. This is "one master, and the others agree".
func soleHolder(t *testing.T, ctx context.Context, l *lab.Lab, target int, host *lab.Host) {
	t.Helper()
	labtest.SoleAnswerer(t, ctx, l, target, host)
	var last []*lab.Host
	deadline := time.Now().Add(waitFor)
	for time.Now().Before(deadline) {
		if last = l.Holders(target); len(last) == 1 && last[0] == host {
			return
		}
		labtest.Sleep(t, ctx, 50*time.Millisecond)
	}
	t.Fatalf("%s is held by %v, want %s alone", l.Targets()[target], labtest.HostNames(last), host.Name)
}

// bothHold waits until both hosts' kernels hold target's VIP: two masters.
func bothHold(t *testing.T, ctx context.Context, l *lab.Lab, target int, a, b *lab.Host) {
	t.Helper()
	var last []*lab.Host
	deadline := time.Now().Add(waitFor)
	for time.Now().Before(deadline) {
		if last = l.Holders(target); slices.Contains(last, a) && slices.Contains(last, b) {
			return
		}
		labtest.Sleep(t, ctx, 50*time.Millisecond)
	}
	t.Fatalf("%s is held by %v, want %s and %s", l.Targets()[target], labtest.HostNames(last), a.Name, b.Name)
}

// stays checks that nothing moves for d: no host gains or loses any of
// the lab's VIPs.
func stays(t *testing.T, ctx context.Context, l *lab.Lab, d time.Duration, why string) {
	t.Helper()
	from := time.Now()
	labtest.Sleep(t, ctx, d)
	for i, vip := range l.Targets() {
		if ev := l.VIPEvents(i, from, time.Now()); len(ev) != 0 {
			t.Errorf("%s moved %s: %+v", why, vip, ev)
		}
	}
}

// waitLog waits until h's daemon log holds more than n lines containing
// s, and returns how many it holds.
func waitLog(t *testing.T, ctx context.Context, h *lab.Host, s string, n int) int {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for time.Now().Before(deadline) {
		if k := strings.Count(h.Log(), s); k > n {
			return k
		}
		labtest.Sleep(t, ctx, 50*time.Millisecond)
	}
	t.Fatalf("%s's log does not show %q more than %d times", h.Name, s, n)
	return 0
}
