package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vipd/vipd/internal/config"
	"github.com/vipd/vipd/internal/control"
)

// adminCommands are the per-group operator commands, each a thin call over
// the control socket.
func adminCommands() []*cobra.Command {
	specs := []struct{ name, short, long string }{
		{"maintenance", "Step a group down on this host and keep it down, across restarts",
			`Put GROUP in maintenance on this host: a master hands its VIPs over to a backup
(make-before-break) and the group stays down, whatever the election says, until
"vipd recover GROUP". The decision is written to the state file first, so it
survives a restart or a reboot (faild's FAIL).`},
		{"recover", "Let a group in maintenance rejoin the election",
			`Take GROUP out of maintenance on this host: it rejoins as a backup and takes
over if the election says so (faild's RECOVER).`},
		{"reclaim", "Re-announce a group's VIPs now (after a split brain healed)",
			`If this host is GROUP's master, send an advert and gratuitous ARP / neighbour
advertisements for its VIPs at once and restart the repeat schedule, so that
neighbours that followed another host come back.`},
		{"switchover", "Hand a group's mastership to another host with no master-down wait",
			`If this host is GROUP's master, resign: the best backup takes over at once, and
this host keeps the VIPs until it hears the successor. This host then does not
preempt back until it becomes master on its own again (or is recovered).

With --to NODE, run on NODE: NODE claims the group. It advertises the best
standing its protocol allows (VRRP priority 254, CARP its least advskew) and
takes over from the master at once; the master hands over on hearing it
(make-before-break). The claim holds, also against a host of higher configured
priority, until "vipd recover GROUP" on NODE or a restart of its daemon. VRRP
adverts do not carry node names, so the claim has to be made on the target.`},
	}
	var cmds []*cobra.Command
	for _, spec := range specs {
		var socket, to string
		cmd := &cobra.Command{
			Use:     spec.name + " GROUP",
			Short:   spec.short,
			Long:    spec.long,
			Example: "  vipd " + spec.name + " web",
			Args:    cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				client := control.NewClient(socket)
				command := spec.name
				if to != "" {
					st, err := client.Status(cmd.Context())
					if err != nil {
						return err
					}
					if st.Node != to {
						return usageErr(fmt.Errorf("switchover --to %s: this is node %s; run the command on %s, which then claims %s from the master", to, st.Node, to, args[0]))
					}
					command = "claim"
				}
				if err := client.Admin(cmd.Context(), args[0], command); err != nil {
					return err
				}
				if command == "claim" {
					fmt.Fprintf(cmd.OutOrStdout(), "%s: claimed by %s until \"vipd recover %s\"\n", args[0], to, args[0])
					return nil
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s: %s done\n", args[0], spec.name)
				return nil
			},
		}
		cmd.Flags().StringVar(&socket, "socket", config.DefaultControlSocket, "control socket of the daemon")
		if spec.name == "switchover" {
			cmd.Flags().StringVar(&to, "to", "", "move the group to NODE (run on NODE: it claims the group)")
			cmd.Example = "  vipd switchover web            # on the master: the best backup takes over\n  vipd switchover web --to db2   # on db2: db2 takes over and keeps the group"
		}
		cmds = append(cmds, cmd)
	}
	return cmds
}

func newReloadCommand() *cobra.Command {
	var socket string
	cmd := &cobra.Command{
		Use:   "reload",
		Short: "Make the daemon read its configuration file again",
		Long: `Reload the running daemon's configuration (like SIGHUP, but with an answer):
groups whose settings did not change keep their state and VIPs; a bad file is
refused with every error listed and the running configuration stays.`,
		Example: "  vipd reload",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := control.NewClient(socket).Reload(cmd.Context()); err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), "reloaded")
			return nil
		},
	}
	cmd.Flags().StringVar(&socket, "socket", config.DefaultControlSocket, "control socket of the daemon")
	return cmd
}

func newEventsCommand() *cobra.Command {
	var (
		socket, output string
		follow         bool
	)
	cmd := &cobra.Command{
		Use:   "events",
		Short: "Show recent transitions, hook runs and operator commands",
		Long: `Show the daemon's recent events: every state transition with its reason,
every hook run with its exit code, every operator command. With --follow,
keep printing new ones as they happen.`,
		Example: `  vipd events
  vipd events --follow
  vipd events -f -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			out := cmd.OutOrStdout()
			print := func(ev control.Event) { printEvent(out, ev) }
			if output == "json" {
				enc := json.NewEncoder(out)
				print = func(ev control.Event) { _ = enc.Encode(ev) }
			} else if output != "text" {
				return usageErr(fmt.Errorf("events: -o must be text or json, not %q", output))
			}
			return control.NewClient(socket).Events(cmd.Context(), follow, print)
		},
	}
	cmd.Flags().StringVar(&socket, "socket", config.DefaultControlSocket, "control socket of the daemon")
	cmd.Flags().BoolVarP(&follow, "follow", "f", false, "keep printing new events")
	cmd.Flags().StringVarP(&output, "output", "o", "text", "output format: text or json")
	return cmd
}

func printEvent(out io.Writer, ev control.Event) {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s", ev.Time.Format("2006-01-02T15:04:05.000Z07:00"), ev.Group, ev.Kind)
	switch ev.Kind {
	case "transition":
		fmt.Fprintf(&b, " %s -> %s (%s)", ev.From, ev.To, ev.Reason)
	case "hook":
		fmt.Fprintf(&b, " %s for %s -> %s", ev.Hook, ev.From, ev.To)
		if ev.ExitCode != nil {
			fmt.Fprintf(&b, " exit=%d", *ev.ExitCode)
		}
		if ev.TimedOut {
			b.WriteString(" timed-out")
		}
	case "admin":
		b.WriteString(" " + ev.Command)
	case "check":
		fmt.Fprintf(&b, " %s %s -> %s", ev.Check, ev.From, ev.To)
	}
	if ev.Error != "" {
		b.WriteString(" error: " + ev.Error)
	}
	fmt.Fprintln(out, b.String())
}
