package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/vipd/vipd/internal/config"
	"github.com/vipd/vipd/internal/control"
	"github.com/vipd/vipd/internal/ucarpcli"
)

func newUcarpCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "ucarp [ucarp options]",
		Short: "Run one CARP group from a ucarp 1.5.2 command line (drop-in for ucarp)",
		Long: `Run the daemon with one CARP group described by ucarp 1.5.2's options, so
that an init script or systemd unit that runs ucarp keeps working when only
the program changes: the same options with the same meanings and defaults
(no preemption without -P), the up and down scripts called as ucarp calls
them (script <interface> <address> [xparam]) at the same moments (the down
script at start unless -n, at exit with -z), -B to run in the background.

vipd also adds and removes the address itself, as <address>/32 with a short
kernel lifetime, and on SIGTERM hands the address to a backup before it
stops. SIGINT, SIGQUIT and SIGHUP stop it as SIGTERM does (ucarp treats the
four alike; SIGHUP does not reload, unlike vipd run). SIGUSR1 logs the state
and SIGUSR2 hands the address to a backup, as with ucarp. vipd ucarp --help
lists the options; docs/migrate-from-ucarp.md says what differs from ucarp.`,
		Example: `  vipd ucarp -i eth0 -s 10.1.1.1 -v 1 -p mypassword -a 10.1.1.252 \
      -u /etc/vip-up.sh -d /etc/vip-down.sh -z`,
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts, res, err := ucarpConfig(args, ucarpcli.ForDaemon)
			if err != nil {
				return ucarpExit(err)
			}
			if opts.Help {
				_, err := fmt.Fprint(cmd.OutOrStdout(), ucarpcli.Usage)
				return err
			}
			background := ucarpcli.Daemonized()
			if opts.Daemonize && !background {
				// Refuse a second instance here, where it can be seen;
				// the background copy takes the lock for good.
				unlock, err := ucarpcli.LockNetns(ucarpcli.LockName)
				if err != nil {
					return ucarpExit(err)
				}
				unlock()
				_, err = ucarpcli.Daemonize()
				return ucarpExit(err)
			}
			if background {
				defer ucarpcli.StderrToSyslog(opts.Facility)()
			}
			err = runUcarp(cmd, res)
			if err != nil && background {
				fmt.Fprintln(os.Stderr, "vipd:", err) // to syslog, before flush
			}
			return err
		},
	}
}

// ucarpStops are the signals that stop vipd ucarp gracefully, as
// SIGTERM does. ucarp 1.5.2 with -z handles SIGINT, SIGQUIT, SIGTERM and
// SIGHUP alike (src/carp.c docarp: the down script unless BACKUP, then exit
// 0); without -z each of them kills it. So SIGHUP stops rather than reloads
// (vipd ucarp has no file to read again), and SIGQUIT stops rather than
// dumping the goroutines, which would neither hand over nor run the down
// script.
var ucarpStops = daemonSignals{
	stop: []os.Signal{syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP, syscall.SIGQUIT},
}

// runUcarp runs the daemon as vipd run does, alone in its network namespace,
// with ucarp's signals: SIGUSR1 and SIGUSR2, and ucarpStops.
func runUcarp(cmd *cobra.Command, res *ucarpcli.Result) error {
	unlock, err := ucarpcli.LockNetns(ucarpcli.LockName)
	if err != nil {
		return ucarpExit(err)
	}
	defer unlock()
	ctx, cancel := context.WithCancel(cmd.Context())
	defer cancel()
	usr := make(chan os.Signal, 2)
	signal.Notify(usr, syscall.SIGUSR1, syscall.SIGUSR2) // their default action would kill vipd
	defer signal.Stop(usr)
	go ucarpSignals(ctx, usr, res.Config)
	if err := runDaemon(ctx, res.Config, ucarpcli.Source, ucarpStops); err != nil {
		// ucarp exits 2 when it cannot start (docarp fails).
		return &exitError{code: ucarpcli.StatusStart, err: err}
	}
	return nil
}

// ucarpSignals does what ucarp does on SIGUSR1 (log "MASTER on eth0 id 1")
// and SIGUSR2 (step down: here a switchover, which hands the address to the
// best backup at once) through the daemon's control socket, until ctx ends.
func ucarpSignals(ctx context.Context, usr <-chan os.Signal, cfg *config.Config) {
	log := newLogger(cfg)
	client := control.NewClient(cfg.ControlSocket)
	g := cfg.Groups[0]
	for {
		var sig os.Signal
		select {
		case <-ctx.Done():
			return
		case sig = <-usr:
		}
		if sig == syscall.SIGUSR2 {
			if err := client.Admin(ctx, g.Name, "switchover"); err != nil {
				log.Error("SIGUSR2: switchover failed", "group", g.Name, "err", err)
			} else {
				log.Info("SIGUSR2: switchover requested", "group", g.Name)
			}
			continue
		}
		st, err := client.Status(ctx)
		if err != nil {
			log.Error("SIGUSR1: no status", "group", g.Name, "err", err)
			continue
		}
		for _, gs := range st.Groups {
			if gs.Name == g.Name {
				log.Info(fmt.Sprintf("%s on %s id %d", strings.ToUpper(gs.State), g.Interface, g.ID), "group", g.Name)
			}
		}
	}
}

// ucarpConfig parses, checks and converts a ucarp command line. With -h it
// returns the options alone.
func ucarpConfig(args []string, target ucarpcli.Target) (*ucarpcli.Options, *ucarpcli.Result, error) {
	opts, err := ucarpcli.Parse(args, ucarpcli.Env{})
	if err != nil || opts.Help {
		return opts, nil, err
	}
	if err := opts.Check(); err != nil {
		return nil, nil, err
	}
	res, err := ucarpcli.Build(opts, ucarpcli.BuildOptions{
		Target: target, Dir: ucarpcli.Dir(), InterfaceOf: ucarpcli.InterfaceOf,
	})
	return opts, res, err
}

// ucarpExit gives an error the exit status ucarp would have exited with.
func ucarpExit(err error) error {
	var ue *ucarpcli.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ue):
		return &exitError{code: ue.Status, err: err}
	}
	return &exitError{code: ucarpcli.StatusStart, err: err}
}
