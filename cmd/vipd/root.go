package main

import (
	"github.com/spf13/cobra"
)

func newRootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "vipd",
		Short: "Keep virtual IP addresses alive across hosts (CARP, VRRPv2, VRRPv3)",
		Long: `vipd elects a master among hosts that share virtual IP addresses (VIPs).
The master holds the VIPs on its interface and announces them; when it fails,
a backup takes over within milliseconds. vipd speaks CARP as ucarp does and
VRRPv2/v3 as keepalived does, so it can join an existing cluster.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(
		newRunCommand(),
		newCheckCommand(),
		newStatusCommand(),
		newGarpCommand(),
		newVersionCommand(),
		newReloadCommand(),
		newEventsCommand(),
		newUcarpCommand(), newImportCommand(),
		newLabCommand(),
	)
	root.AddCommand(adminCommands()...)
	return root
}
