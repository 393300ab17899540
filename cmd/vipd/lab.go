package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/vipd/vipd/internal/lab"
)

func newLabCommand() *cobra.Command {
	var (
		hosts   int
		profile string
		ipv6    bool
		keep    bool
		verbose bool
	)
	cmd := &cobra.Command{
		Use:   "lab",
		Short: "Demonstrate failover on a network of namespaces built on this machine",
		Long: `Build a small network in Linux network namespaces (a bridge, two or three
vipd hosts and a client, all named vipd-lab-*), run vipd on the hosts and let
the client probe the VIP every 2 ms. Then fail the master three ways (cut its
link, stop it with SIGTERM, kill it with SIGKILL), show which host answers and
the gap the client saw each time, and end with a summary table. Everything is
removed at the end, also on Ctrl-C or failure.

Needs root, or an unprivileged user namespace: unshare -rn vipd lab.
Addresses come from 192.0.2.0/24 and 2001:db8::/64 only, and nothing is
connected to this machine's own network.`,
		Example: `  sudo vipd lab
  unshare -rn vipd lab
  sudo vipd lab --profile fast --hosts 2
  sudo vipd lab bench --runs 3`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, err := lab.ParseProfile(profile)
			if err != nil {
				return usageErr(err)
			}
			return runLab(cmd, func(ctx context.Context, bin string) error {
				return lab.Demo(ctx, lab.DemoOptions{VipdBin: bin, Hosts: hosts, Profile: p, IPv6: ipv6,
					KeepDir: keep, Logger: labLogger(verbose)}, cmd.OutOrStdout())
			})
		},
	}
	f := cmd.Flags()
	f.IntVar(&hosts, "hosts", 3, "number of vipd hosts, 2 or 3")
	f.StringVar(&profile, "profile", lab.DefaultProfile.Name, "timing profile: "+profileNames())
	f.BoolVar(&ipv6, "ipv6", false, "use the IPv6 VIP 2001:db8::100")
	f.BoolVar(&keep, "keep", false, "keep the lab's configurations and logs afterwards")
	f.BoolVarP(&verbose, "verbose", "v", false, "log the lab's own debug messages to stderr")
	cmd.AddCommand(newLabBenchCommand(), newLabIdleCommand())
	return cmd
}

func newLabBenchCommand() *cobra.Command {
	var (
		runs      int
		hosts     int
		impls     []string
		profiles  []string
		scenarios []string
		loss      time.Duration
		lossPct   int
		verbose   bool
	)
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure client-observed failover downtime of vipd, keepalived and ucarp",
		Long: `Run each failure scenario several times, each in a fresh lab, for every
implementation and timing profile, and print one line per run and a table:
the client-observed downtime (median and max), master changes under packet
loss, and how many kill -9 runs ended with two hosts answering for the VIP.
keepalived and ucarp run where installed, with settings equivalent to vipd's
(see docs/lab.md); a profile an implementation cannot express is skipped with
a note.

Scenarios: link-cut (the master's switch port goes down), kill-9, sigterm,
switchover (vipd switchover to the next host in line; vipd only), failback
(the preferred host returns after a link cut) and loss (a share of the
master's frames dropped in both directions by an nftables rule).

A backup takes over a fixed time after the last advert it heard, so where a
failure falls between two of the master's adverts shifts the downtime by up
to one advert period. Run r of N therefore fails the master at phase
(r-0.5)/N of its advert period: the lab watches the master's switch port for
its next advert, then waits that fraction of the period. Every
implementation meets the same evenly spread phases, and each run's line
shows its phase.`,
		Example: `  sudo vipd lab bench
  sudo vipd lab bench --runs 3 --loss 10s --impl vipd,keepalived --scenario link-cut,sigterm
  sudo vipd lab bench --profile fast --impl vipd`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts := lab.BenchOptions{Runs: runs, Hosts: hosts, Loss: lab.LossOptions{Percent: lossPct, Duration: loss},
				Logger: labLogger(verbose)}
			var err error
			if opts.Impls, err = parseWords(impls, lab.ParseImpl); err != nil {
				return err
			}
			if opts.Profiles, err = parseWords(profiles, lab.ParseProfile); err != nil {
				return err
			}
			if opts.Scenarios, err = parseWords(scenarios, lab.ParseScenario); err != nil {
				return err
			}
			return runLab(cmd, func(ctx context.Context, bin string) error {
				opts.VipdBin = bin
				_, err := lab.Bench(ctx, opts, cmd.OutOrStdout())
				return err
			})
		},
	}
	f := cmd.Flags()
	f.IntVar(&runs, "runs", 5, "runs of each scenario per implementation and profile")
	f.IntVar(&hosts, "hosts", 3, "number of failover hosts, 2 or 3")
	f.StringSliceVar(&impls, "impl", nil, "implementations to compare (default: vipd, and keepalived and ucarp where installed)")
	f.StringSliceVar(&profiles, "profile", nil, "timing profiles (default: all): "+profileNames())
	f.StringSliceVar(&scenarios, "scenario", nil, "scenarios (default: all): link-cut, kill-9, sigterm, switchover, failback, loss")
	f.DurationVar(&loss, "loss", 60*time.Second, "how long the loss scenario drops packets")
	f.IntVar(&lossPct, "loss-percent", 20, "share of the master's frames the loss scenario drops")
	f.BoolVarP(&verbose, "verbose", "v", false, "log the lab's own debug messages to stderr")
	return cmd
}

// runLab runs f with this very executable as the hosts' vipd and a context
// that ends on Ctrl-C or SIGTERM, so that the lab is torn down rather than
// left behind.
func runLab(cmd *cobra.Command, f func(ctx context.Context, vipdBin string) error) error {
	bin, err := os.Executable()
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	return f(ctx, bin)
}

// parseWords parses each of a flag's words, as a usage error if one is bad.
func parseWords[T any](words []string, parse func(string) (T, error)) ([]T, error) {
	var out []T
	for _, w := range words {
		v, err := parse(w)
		if err != nil {
			return nil, usageErr(err)
		}
		out = append(out, v)
	}
	return out, nil
}

func labLogger(verbose bool) *slog.Logger {
	if !verbose {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func profileNames() string {
	var names []string
	for _, p := range lab.Profiles {
		names = append(names, fmt.Sprintf("%s (%s adverts)", p.Name, p.Interval))
	}
	return strings.Join(names, ", ")
}

func newLabIdleCommand() *cobra.Command {
	var (
		groups   int
		duration time.Duration
		impls    []string
		verbose  bool
	)
	cmd := &cobra.Command{
		Use:   "idle",
		Short: "Measure the CPU and memory an idle daemon with many groups costs",
		Long: `Run GROUPS failover groups at default settings (1 s adverts) on two lab
hosts, wait until every group has elected its master, then measure for a
while the CPU time and resident memory of the daemons on the master and on
the backup (all processes of each daemon: keepalived's VRRP child, ucarp's
one process per group), for vipd and, where installed, keepalived and ucarp.`,
		Example: `  sudo vipd lab idle
  sudo vipd lab idle --groups 50 --for 2m --impl vipd`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts := lab.IdleOptions{Groups: groups, Duration: duration, Logger: labLogger(verbose)}
			var err error
			if opts.Impls, err = parseWords(impls, lab.ParseImpl); err != nil {
				return err
			}
			return runLab(cmd, func(ctx context.Context, bin string) error {
				opts.VipdBin = bin
				_, err := lab.Idle(ctx, opts, cmd.OutOrStdout())
				return err
			})
		},
	}
	f := cmd.Flags()
	f.IntVar(&groups, "groups", 10, "failover groups per host")
	f.DurationVar(&duration, "for", time.Minute, "how long to measure")
	f.StringSliceVar(&impls, "impl", nil, "implementations to measure (default: vipd, and keepalived and ucarp where installed)")
	f.BoolVarP(&verbose, "verbose", "v", false, "log the lab's own debug messages to stderr")
	return cmd
}
