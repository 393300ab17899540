package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/vipd/vipd/internal/config"
	"github.com/vipd/vipd/internal/control"
)

func newStatusCommand() *cobra.Command {
	var socket, output string
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show each group's state on this host",
		Example: `  vipd status
  vipd status -o json
  vipd status --socket /run/vipd/other.sock`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if output != "table" && output != "json" {
				return usageErr(fmt.Errorf("status: -o must be table or json, not %q", output))
			}
			st, err := control.NewClient(socket).Status(cmd.Context())
			if err != nil {
				return err
			}
			if output == "json" {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(st)
			}
			return printStatus(cmd.OutOrStdout(), st)
		},
	}
	cmd.Flags().StringVar(&socket, "socket", config.DefaultControlSocket, "control socket of the daemon")
	cmd.Flags().StringVarP(&output, "output", "o", "table", "output format: table or json")
	return cmd
}

func printStatus(out io.Writer, st control.Status) error {
	fmt.Fprintf(out, "node %s\n", st.Node)
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "GROUP\tPROTO\tID\tSTATE\tPRIO\tINTERVAL\tVIPS\tMASTER\tLINK\tCHECKS")
	for _, g := range st.Groups {
		state := g.State
		if g.HandingOver {
			state += " (handing over)"
		}
		master := g.Master
		if g.State == "master" {
			master = "this host"
		}
		checks := make([]string, len(g.Checks))
		for i, c := range g.Checks {
			checks[i] = c.Name + "=" + c.State
		}
		fmt.Fprintf(w, "%s\t%s\t%d\t%s\t%d\t%gms\t%s\t%s\t%s\t%s\n", g.Name, g.Protocol, g.ID, state,
			g.Priority, g.IntervalMS, strings.Join(g.VIPs, ","), master, g.Link, strings.Join(checks, " "))
	}
	return w.Flush()
}
