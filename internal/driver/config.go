package driver

import (
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/vipd/vipd/internal/fsm"
	"github.com/vipd/vipd/internal/netif"
	"github.com/vipd/vipd/internal/vrrp"
)

// Protocol is a group's wire protocol.
type Protocol uint8

// The wire protocols.
const (
	CARP Protocol = iota + 1
	VRRP3
	VRRP2
)

// String returns "carp", "vrrp3" or "vrrp2".
func (p Protocol) String() string {
	switch p {
	case CARP:
		return "carp"
	case VRRP3:
		return "vrrp3"
	case VRRP2:
		return "vrrp2"
	}
	return fmt.Sprintf("protocol(%d)", uint8(p))
}

// Config is everything one group's loop needs. The daemon builds it from the
// validated configuration; the driver checks only what would make the loop
// misbehave.
type Config struct {
	// Name is the group's name, used in logs, metrics and hooks.
	Name string
	// Link is the interface the group advertises on and holds its VIPs on.
	Link string
	// IgnoreCarrier keeps the group in the election while its link has no
	// carrier, as long as the link is there and up (config track_link:
	// false; ucarp -S, keepalived dont_track_primary).
	IgnoreCarrier bool
	// Protocol and ID (VRID or vhid) identify the group on the link.
	Protocol Protocol
	ID       uint8
	// VIPs are the addresses the master holds.
	VIPs []netip.Prefix
	// Machine is the election configuration; Machine.Self.From is the
	// primary address adverts are sent from. It may be left invalid when
	// Deps.Sources is set: the group then waits in Fault until the address
	// is found on the interface (the interface is missing at start).
	Machine fsm.Config
	// Peers, if set, are unicast destinations used instead of multicast.
	Peers []netip.Addr
	// Password is the CARP key (required for CARP) or the VRRPv2 simple
	// password (optional).
	Password []byte
	// Checksum is the VRRPv3-over-IPv4 checksum variant to send.
	Checksum vrrp.ChecksumVariant
	// AddressLifetime is the kernel lifetime of the VIPs, renewed while
	// master at a third of it; 0 keeps them forever.
	AddressLifetime time.Duration
	// StartInMaintenance starts the group in Maintenance: the operator put
	// it there before a restart, and it stays until recovered.
	StartInMaintenance bool
}

// family is the IP version of the group's adverts: that of its VIPs.
func (c *Config) family() netif.Family {
	if c.VIPs[0].Addr().Is4() {
		return netif.IPv4
	}
	return netif.IPv6
}

// vipAddrs returns the VIPs without prefix lengths, for announcements and
// the adverts' address lists.
func (c *Config) vipAddrs() []netip.Addr {
	addrs := make([]netip.Addr, len(c.VIPs))
	for i, p := range c.VIPs {
		addrs[i] = p.Addr()
	}
	return addrs
}

func (c *Config) validate() error {
	switch {
	case c.Name == "":
		return errors.New("driver: group has no name")
	case c.Link == "":
		return fmt.Errorf("driver: group %s has no interface", c.Name)
	case c.Protocol < CARP || c.Protocol > VRRP2:
		return fmt.Errorf("driver: group %s has an unknown protocol", c.Name)
	case c.ID == 0:
		return fmt.Errorf("driver: group %s has id 0", c.Name)
	case len(c.VIPs) == 0:
		return fmt.Errorf("driver: group %s has no VIPs", c.Name)
	case c.Machine.Self.From.IsValid() && c.Machine.Self.From.Is4() != c.VIPs[0].Addr().Is4():
		return fmt.Errorf("driver: group %s sends from %s for VIPs of the other IP version", c.Name, c.Machine.Self.From)
	case c.Protocol == CARP && len(c.Password) == 0:
		return fmt.Errorf("driver: carp group %s has no password", c.Name)
	}
	return nil
}
