package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"time"

	sddaemon "github.com/coreos/go-systemd/v22/daemon"

	"github.com/vipd/vipd/internal/driver"
)

// runWatchdog pings systemd's watchdog until ctx ends if systemd asked for
// it (WatchdogSec= sets WATCHDOG_USEC, for this pid), and returns at once
// otherwise. A ping goes out every half of the watchdog interval, and only
// when alive returns nil, so that a wedged group loop stops the pings and
// systemd restarts vipd.
func runWatchdog(ctx context.Context, log *slog.Logger, alive func(context.Context) error) {
	interval, err := sddaemon.SdWatchdogEnabled(false)
	if err != nil {
		log.Warn("cannot read the systemd watchdog settings; not pinging it", "err", err)
		return
	}
	if interval <= 0 {
		return
	}
	log.Info("pinging the systemd watchdog while every group's loop answers", "every", interval/2)
	ping := func() error {
		_, err := sddaemon.SdNotify(false, sddaemon.SdNotifyWatchdog)
		return err
	}
	pingWatchdog(ctx, interval, alive, ping, log)
}

// pingWatchdog calls ping every interval/2 while alive, given a quarter of
// the interval to answer, returns nil; it returns when ctx ends.
func pingWatchdog(ctx context.Context, interval time.Duration, alive func(context.Context) error, ping func() error, log *slog.Logger) {
	every := interval / 2
	tick := time.NewTicker(every)
	defer tick.Stop()
	wedged := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		actx, cancel := context.WithTimeout(ctx, every/2)
		err := alive(actx)
		cancel()
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			if !wedged {
				log.Error("not pinging the systemd watchdog: a group's loop does not answer; systemd restarts vipd if it stays so", "err", err)
			}
			wedged = true
			continue
		case wedged:
			log.Info("every group's loop answers again; pinging the systemd watchdog")
			wedged = false
		}
		if err := ping(); err != nil {
			log.Warn("sd_notify failed", "state", sddaemon.SdNotifyWatchdog, "err", err)
		}
	}
}

// loopsAlive asks every running group's loop for a status snapshot: the
// loop answers between two of its events, so an answer shows it is not
// stuck. A loop that has just ended is not stuck (groupExited restarts a
// failed one).
func (d *Daemon) loopsAlive(ctx context.Context) error {
	d.mu.Lock()
	groups := maps.Clone(d.groups)
	d.mu.Unlock()
	for name, r := range groups {
		if _, err := r.group.Status(ctx); err != nil && !errors.Is(err, driver.ErrNotRunning) {
			return fmt.Errorf("group %s: %w", name, err)
		}
	}
	return nil
}
