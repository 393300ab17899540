package lab

import (
	"context"
	"fmt"
)

// The kernels the lab targets have no sch_netem, so packet loss is an
// nftables rule in the host's namespace: a netdev table with an ingress
// and an egress chain on the host's link, each dropping a random percent
// of every frame (adverts, ARP, probes, everything) in its direction.

// lossTable is the nftables table the lab's loss rules live in.
const lossTable = "vipdloss"

// lossRuleset renders the nftables ruleset dropping percent % of the
// frames in each direction of link.
func lossRuleset(link string, percent int) string {
	rule := fmt.Sprintf("numgen random mod 100 < %d drop", percent)
	if percent >= 100 {
		rule = "drop" // numgen's values end at 99
	}
	return fmt.Sprintf(`table netdev %[1]s {
	chain in {
		type filter hook ingress device %[2]q priority 0; policy accept;
		%[3]s
	}
	chain out {
		type filter hook egress device %[2]q priority 0; policy accept;
		%[3]s
	}
}
`, lossTable, link, rule)
}

// SetLoss drops percent % (1-100) of the frames the host's link sends and
// receives, until ClearLoss.
func (h *Host) SetLoss(ctx context.Context, percent int) error {
	if percent < 1 || percent > 100 {
		return fmt.Errorf("lab: loss of %d%%: want 1-100", percent)
	}
	if h.lossOn {
		if err := h.ClearLoss(ctx); err != nil {
			return err
		}
	}
	nft, err := lookPath("nft")
	if err != nil {
		return err
	}
	if _, err := h.RunInput(ctx, []byte(lossRuleset(LinkName, percent)), nft, "-f", "-"); err != nil {
		return err
	}
	h.lossOn = true
	return nil
}

// ClearLoss removes the loss rules of SetLoss.
func (h *Host) ClearLoss(ctx context.Context) error {
	if !h.lossOn {
		return nil
	}
	nft, err := lookPath("nft")
	if err != nil {
		return err
	}
	if _, err := h.Run(ctx, nft, "delete", "table", "netdev", lossTable); err != nil {
		return err
	}
	h.lossOn = false
	return nil
}
