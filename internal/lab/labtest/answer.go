package labtest

import (
	"context"
	"testing"
	"time"

	"github.com/vipd/vipd/internal/lab"
)

// SoleAnswerer waits, for at most the package's Config.Wait, until host
// alone answers for target's VIP, steadily for a second: the client's
// routed probes reach it, and of the client's direct probes to every host
// (the sweep) only host's are answered. A failure names who answers and
// whose kernel holds the VIP.
func SoleAnswerer(t testing.TB, ctx context.Context, l *lab.Lab, target int, host *lab.Host) {
	t.Helper()
	if err := l.WaitAnsweredBy(ctx, target, host, time.Second, wait()); err != nil {
		t.Fatalf("%v (held by %v)", err, HostNames(l.Holders(target)))
	}
	if err := l.WaitSoleAnswerer(ctx, target, host, time.Second, wait()); err != nil {
		hs, _ := l.SweepAnswerers(target, time.Second)
		t.Fatalf("%v (answering the sweep: %v; held by %v)", err, HostNames(hs), HostNames(l.Holders(target)))
	}
}

// HostNames returns the hosts' names, for messages.
func HostNames(hs []*lab.Host) []string {
	var out []string
	for _, h := range hs {
		out = append(out, h.Name)
	}
	return out
}

// Sleep waits for d, failing t if ctx ends first.
func Sleep(t testing.TB, ctx context.Context, d time.Duration) {
	t.Helper()
	if err := pause(ctx, d); err != nil {
		t.Fatal(err)
	}
}

// pause waits for d, or returns ctx's error if it ends first.
func pause(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
