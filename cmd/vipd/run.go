package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/vipd/vipd/internal/config"
	"github.com/vipd/vipd/internal/daemon"
)

func newRunCommand() *cobra.Command {
	var path string
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Run the daemon",
		Long: `Run the daemon with the groups of the configuration file.

The configuration is validated completely before any interface is touched;
a bad one is reported (file, line, field, reason) and vipd exits with code 2.

Signals: SIGTERM or SIGINT stop gracefully (a master hands its VIPs over to
a backup before releasing them, then the stop hooks run); a second one stops
at once. SIGHUP reloads the configuration: only groups whose settings changed
restart, and a bad new configuration is refused while the old one runs on.`,
		Example: `  vipd run -c /etc/vipd/vipd.yaml`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := config.Load(path)
			if err != nil {
				return usageErr(err)
			}
			return runDaemon(cmd.Context(), cfg, path, runSignals)
		},
	}
	cmd.Flags().StringVarP(&path, "config", "c", config.DefaultPath, "configuration file")
	return cmd
}

func newLogger(cfg *config.Config) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.Log.Level}
	if cfg.Log.Format == config.LogJSON {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}

// daemonSignals is how the daemon answers signals.
type daemonSignals struct {
	// stop are the signals that stop it gracefully; a second stop signal
	// of any of them exits at once.
	stop []os.Signal
	// reload, if set, makes the daemon read its file again (SIGHUP).
	reload os.Signal
}

// runSignals are vipd run's: SIGTERM and SIGINT stop, SIGHUP reloads.
var runSignals = daemonSignals{
	stop:   []os.Signal{syscall.SIGTERM, syscall.SIGINT},
	reload: syscall.SIGHUP,
}

func runDaemon(ctx context.Context, cfg *config.Config, path string, sigs daemonSignals) error {
	log := newLogger(cfg)
	d, err := daemon.New(cfg, log)
	if err != nil {
		return err
	}
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	signals := make(chan os.Signal, 4)
	signal.Notify(signals, sigs.stop...)
	if sigs.reload != nil {
		signal.Notify(signals, sigs.reload)
	}
	defer signal.Stop(signals)
	reload := make(chan *config.Config)
	go func() {
		stopping := false
		for sig := range signals {
			switch {
			case sigs.reload != nil && sig == sigs.reload:
				next, err := config.Load(path)
				if err != nil {
					log.Error("reload refused; the running configuration stays", "err", err)
					continue
				}
				select {
				case reload <- next:
				case <-ctx.Done():
				}
			case stopping:
				log.Error("second stop signal: exiting at once", "signal", sig.String())
				os.Exit(1)
			default:
				stopping = true
				log.Info("stopping gracefully", "signal", sig.String())
				stop()
			}
		}
	}()
	log.Info("vipd starting", "version", version(), "config", path, "groups", len(cfg.Groups))
	if err := d.Run(ctx, reload); err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("run: %w", err)
	}
	log.Info("vipd stopped")
	return nil
}
