package daemon

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// TestWatchdogPingsOnlyWhileLoopsAnswer: pings come every half interval
// while every loop answers, stop while one does not, and resume when it
// answers again.
func TestWatchdogPingsOnlyWhileLoopsAnswer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var wedged atomic.Bool
		var pings atomic.Int64
		alive := func(ctx context.Context) error {
			if wedged.Load() {
				<-ctx.Done() // a stuck loop never answers
				return ctx.Err()
			}
			return nil
		}
		ping := func() error { pings.Add(1); return nil }
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan struct{})
		go func() {
			defer close(done)
			pingWatchdog(ctx, 10*time.Second, alive, ping, slog.New(slog.DiscardHandler))
		}()

		time.Sleep(21 * time.Second)
		synctest.Wait()
		if n := pings.Load(); n != 4 {
			t.Errorf("%d pings in 21 s at a 10 s watchdog, want 4 (every 5 s)", n)
		}
		wedged.Store(true)
		time.Sleep(30 * time.Second)
		synctest.Wait()
		if n := pings.Load(); n != 4 {
			t.Errorf("%d pings after a loop stopped answering, want still 4", n)
		}
		wedged.Store(false)
		time.Sleep(10 * time.Second)
		synctest.Wait()
		if n := pings.Load(); n < 5 {
			t.Errorf("no ping after the loop answered again")
		}
		cancel()
		<-done
	})
}

// TestWatchdogUsesNotifySocket: with WATCHDOG_USEC and WATCHDOG_PID set
// for this process, WATCHDOG=1 datagrams reach the socket NOTIFY_SOCKET
// names; runWatchdog returns when its context ends.
func TestWatchdogUsesNotifySocket(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "notify.sock")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	t.Setenv("NOTIFY_SOCKET", sock)
	t.Setenv("WATCHDOG_USEC", "100000") // pings every 50 ms
	t.Setenv("WATCHDOG_PID", strconv.Itoa(os.Getpid()))

	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() {
		defer close(done)
		runWatchdog(ctx, slog.New(slog.DiscardHandler), func(context.Context) error { return nil })
	}()
	// Loose bound: it only catches a watchdog that never pings.
	if err := conn.SetReadDeadline(time.Now().Add(10 * time.Second)); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	for range 2 {
		n, err := conn.Read(buf)
		if err != nil {
			t.Fatalf("no watchdog ping: %v", err)
		}
		if got := string(buf[:n]); got != "WATCHDOG=1" {
			t.Errorf("datagram %q, want WATCHDOG=1", got)
		}
	}
	cancel()
	<-done
}

// TestWatchdogOffWithoutSystemd: without WATCHDOG_USEC, or with it meant
// for another process, runWatchdog returns at once and pings nothing.
func TestWatchdogOffWithoutSystemd(t *testing.T) {
	for _, env := range []struct{ usec, pid string }{
		{"", ""},
		{"100000", strconv.Itoa(os.Getpid() + 1)},
	} {
		t.Setenv("WATCHDOG_USEC", env.usec)
		t.Setenv("WATCHDOG_PID", env.pid)
		called := false
		// Were it enabled, it would check the loops within 50 ms.
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		runWatchdog(ctx, slog.New(slog.DiscardHandler), func(context.Context) error {
			called = true
			return errors.New("unreachable")
		})
		cancel()
		if called {
			t.Errorf("WATCHDOG_USEC=%q WATCHDOG_PID=%q: the loops were checked", env.usec, env.pid)
		}
	}
}
