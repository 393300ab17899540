package main

import (
	"fmt"
	"log/slog"
	"net/netip"

	"github.com/spf13/cobra"

	"github.com/vipd/vipd/internal/linuxnet"
)

func newGarpCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "garp INTERFACE ADDRESS...",
		Short: "Announce addresses on an interface (gratuitous ARP / unsolicited NA)",
		Long: `Send, on INTERFACE, a gratuitous ARP request and reply for each IPv4
ADDRESS and an unsolicited neighbour advertisement (override flag) for each
IPv6 ADDRESS, from the interface's MAC address: the send_arp of the old
failover how-tos, so that neighbours and switches relearn who holds the
addresses. Needs CAP_NET_RAW.`,
		Example: `  vipd garp eth0 192.0.2.100
  vipd garp eth0 192.0.2.100 2001:db8::100`,
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			var addrs []netip.Addr
			for _, s := range args[1:] {
				a, err := netip.ParseAddr(s)
				if err != nil {
					return usageErr(fmt.Errorf("garp: %q is not an IP address", s))
				}
				addrs = append(addrs, a)
			}
			ann, err := linuxnet.NewAnnouncer(linuxnet.AnnouncerOptions{Logger: slog.New(slog.DiscardHandler)})
			if err != nil {
				return err
			}
			return ann.Announce(cmd.Context(), args[0], addrs)
		},
	}
}
