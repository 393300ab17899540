package lab

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/vishvananda/netlink"
)

// DeleteLink deletes the host's link (LinkName), as unloading its NIC's
// driver, or a suspend that takes the NIC away, would: the veth pair goes
// with its switch port, and with it the host's addresses and neighbour
// entries on the link. The daemon keeps running. RecreateLink brings the
// link back.
func (h *Host) DeleteLink() error {
	l, err := h.ns.nl.LinkByName(LinkName)
	if err == nil {
		err = h.ns.nl.LinkDel(l)
	}
	if err != nil {
		return fmt.Errorf("lab: delete %s in %s: %w", LinkName, h.Name, err)
	}
	return nil
}

// RecreateLink creates the host's link again after DeleteLink, as the
// NIC's driver coming back and the system configuring it would: a new veth
// pair with the same names and the same MAC address, its switch end on the
// bridge, the host's addresses added and then the link set up. The new
// interface has a new index (Node.Index is updated). The host's permanent
// neighbour entries for the client are restored too.
func (h *Host) RecreateLink() error {
	sw := h.lab.net.sw
	v := &netlink.Veth{
		LinkAttrs:        netlink.LinkAttrs{Name: h.port},
		PeerName:         LinkName,
		PeerHardwareAddr: h.MAC,
		PeerNamespace:    netlink.NsFd(int(h.ns.h)),
	}
	if err := sw.nl.LinkAdd(v); err != nil {
		return fmt.Errorf("lab: add veth %s-%s again: %w", h.port, LinkName, err)
	}
	port, err := sw.nl.LinkByName(h.port)
	if err != nil {
		return fmt.Errorf("lab: switch port %s: %w", h.port, err)
	}
	br, err := sw.nl.LinkByName(bridgeName)
	if err != nil {
		return fmt.Errorf("lab: bridge: %w", err)
	}
	if err := sw.nl.LinkSetMaster(port, br); err != nil {
		return fmt.Errorf("lab: add %s to the bridge: %w", h.port, err)
	}
	if err := linkUp(sw, h.port); err != nil {
		return err
	}
	var errs []error
	for _, p := range []netip.Prefix{netip.PrefixFrom(h.Addr4, Net4.Bits()), netip.PrefixFrom(h.Addr6, Net6.Bits())} {
		errs = append(errs, h.addAddr(p))
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if err := linkUp(h.ns, LinkName); err != nil {
		return err
	}
	l, err := h.ns.nl.LinkByName(LinkName)
	if err != nil {
		return fmt.Errorf("lab: %s in %s: %w", LinkName, h.Name, err)
	}
	h.Node.Index = l.Attrs().Index
	return h.knowClient(h.lab.net.client)
}
