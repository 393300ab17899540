package labtest

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/vipd/vipd/internal/lab"
	"github.com/vipd/vipd/internal/linuxnet/nstest"
)

// NewLab builds a lab for t, removed when t ends; the daemons are not
// started. Options left zero take the package's Config (profile, probe
// rates), vipd is the binary under test, and the lab logs to t. Without
// privileges, or without a program the hosts run, t is skipped (or fails
// under VIPD_REQUIRE_NETNS=1). If t fails, the logs of the daemons the lab
// started are printed.
func NewLab(t testing.TB, opts lab.Options) *lab.Lab {
	t.Helper()
	nstest.Require(t)
	opts.VipdBin = Bin(t)
	for _, impl := range append([]lab.Impl{opts.Impl}, opts.HostImpls...) {
		if !impl.Installed() {
			Skip(t, impl.String()+" is not installed")
		}
	}
	if opts.Profile.Name == "" && config.Profile.Name != "" {
		opts.Profile = config.Profile
	}
	if opts.ProbeInterval == 0 {
		opts.ProbeInterval = config.ProbeInterval
	}
	if opts.SweepInterval == 0 {
		opts.SweepInterval = config.SweepInterval
	}
	if opts.Logger == nil {
		opts.Logger = Logger(t)
	}
	// Not t's context: building the lab has its own bound, and removing it
	// must not depend on a context that has ended.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	l, err := lab.New(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Errorf("removing the lab: %v", err)
		}
	})
	t.Cleanup(func() {
		if !t.Failed() {
			return
		}
		for _, h := range l.Hosts() {
			if len(h.Daemons()) > 0 {
				t.Logf("---- %s's log (%s) ----\n%s", h.Name, h.LogPath(), h.Log())
			}
		}
	})
	return l
}

// StartLab builds a lab (NewLab), starts the daemons on every host and
// waits until each group's preferred host alone answers for its VIP.
func StartLab(t testing.TB, ctx context.Context, opts lab.Options) *lab.Lab {
	t.Helper()
	l := NewLab(t, opts)
	StartDaemons(t, ctx, l)
	for i := range l.Targets() {
		if _, err := l.Ready(ctx, i); err != nil {
			t.Fatal(err)
		}
	}
	return l
}

// StartDaemons starts every host's daemon.
func StartDaemons(t testing.TB, ctx context.Context, l *lab.Lab) {
	t.Helper()
	if err := l.StartDaemons(ctx); err != nil {
		t.Fatal(err)
	}
}

// Context returns a context that ends with t or after limit.
func Context(t testing.TB, limit time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), limit)
	t.Cleanup(cancel)
	return ctx
}

// Logger returns a logger that writes to t's log, from level info.
func Logger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(logWriter{t}, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

// logWriter sends log lines to t.Log.
type logWriter struct{ t testing.TB }

func (w logWriter) Write(b []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimRight(string(b), "\n"))
	return len(b), nil
}

// Skip skips t for reason, a missing program or privilege; with
// VIPD_REQUIRE_NETNS=1 (a run that must not skip) it fails t instead.
func Skip(t testing.TB, reason string) {
	t.Helper()
	nstest.Missing(t, reason)
}
