package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/vipd/vipd/internal/config"
)

func newCheckCommand() *cobra.Command {
	var path string
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Validate a configuration and print it with every default filled in",
		Long: `Validate a configuration file without touching any interface.

On success the effective configuration is printed (passwords redacted) and
the exit code is 0; warnings are printed to standard error. On failure every
problem is listed with file, line, field and reason, and the exit code is 2.`,
		Example: `  vipd check -c /etc/vipd/vipd.yaml`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := config.Load(path)
			if err != nil {
				return usageErr(err)
			}
			for _, w := range cfg.Warnings {
				fmt.Fprintln(cmd.ErrOrStderr(), "warning:", w.String())
			}
			_, err = cmd.OutOrStdout().Write(cfg.Effective())
			return err
		},
	}
	cmd.Flags().StringVarP(&path, "config", "c", config.DefaultPath, "configuration file")
	return cmd
}
