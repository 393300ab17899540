package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/vipd/vipd/internal/kaimport"
	"github.com/vipd/vipd/internal/ucarpcli"
)

func newImportCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import",
		Short: "Convert a keepalived or ucarp configuration to vipd's",
		Long: `Print a vipd configuration made from another program's: the YAML goes to
standard output, and every setting that could not be carried over (or was,
with a difference) to standard error as a warning with its file and line.
The YAML always passes vipd check.`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return cmd.Help()
			}
			return usageErr(fmt.Errorf("import: unknown source %q: want keepalived or ucarp", args[0]))
		},
	}
	cmd.AddCommand(newImportKeepalivedCommand(), newImportUcarpCommand())
	return cmd
}

func newImportKeepalivedCommand() *cobra.Command {
	var configID string
	cmd := &cobra.Command{
		Use:   "keepalived FILE",
		Short: "Convert a keepalived.conf (VRRP instances, scripts, sync groups) to vipd YAML",
		Long: `Convert the VRRP part of a keepalived configuration, with its include
files, to a vipd configuration: each vrrp_instance becomes a group (vrrp2 or
vrrp3, as keepalived would run it), vrrp_script and track_script become exec
checks, notify scripts become hooks. LVS, virtual routes, sync groups and the
rest are reported as warnings. Lines starting with @ID are kept or dropped as
keepalived -i ID would (by default the host name).`,
		Example: `  vipd import keepalived /etc/keepalived/keepalived.conf > vipd.yaml
  vipd import keepalived --config-id lb2 /etc/keepalived/keepalived.conf`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			res, err := kaimport.Import(args[0], kaimport.Options{ConfigID: configID})
			if res != nil {
				for _, w := range res.Warnings {
					fmt.Fprintln(cmd.ErrOrStderr(), "warning:", w.String())
				}
				if _, werr := cmd.OutOrStdout().Write(res.YAML); werr != nil && err == nil {
					err = werr
				}
			}
			return err
		},
	}
	cmd.Flags().StringVarP(&configID, "config-id", "i", "", "keepalived's configuration id for @ID lines (default: the host name)")
	return cmd
}

func newImportUcarpCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "ucarp [ucarp options]",
		Short: "Convert a ucarp command line to vipd YAML",
		Long: `Print the configuration vipd ucarp would run for these ucarp options, as
a file for vipd run: vipd's default control socket and state file, and -o as
password_file. Run it once per ucarp instance and put the groups together in
one file. The password of -p is written in the clear: keep the file private.`,
		Example: `  vipd import ucarp -i eth0 -s 10.1.1.1 -v 1 -o /etc/ucarp/vip.pass -a 10.1.1.252 \
      -u /etc/vip-up.sh -d /etc/vip-down.sh -z -P > vipd.yaml`,
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts, res, err := ucarpConfig(args, ucarpcli.ForFile)
			if err != nil {
				return ucarpExit(err)
			}
			if opts.Help {
				_, err := fmt.Fprint(cmd.OutOrStdout(), ucarpcli.Usage)
				return err
			}
			for _, n := range res.Notes {
				fmt.Fprintln(cmd.ErrOrStderr(), "warning:", n.String())
			}
			_, err = cmd.OutOrStdout().Write(res.YAML)
			return err
		},
	}
}
