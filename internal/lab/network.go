package lab

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/vishvananda/netlink"
)

// The lab's addresses: documentation ranges only (RFC 5737, RFC 3849).
var (
	// Net4 is the IPv4 subnet of the lab: hosts .1 .2 .3, client .200.
	Net4 = netip.MustParsePrefix("192.0.2.0/24")
	// Net6 is the IPv6 subnet of the lab: hosts ::1 ::2 ::3, client ::200.
	Net6 = netip.MustParsePrefix("2001:db8::/64")
	// VIP4 is the IPv4 VIP of the lab's first group.
	VIP4 = netip.MustParsePrefix("192.0.2.100/24")
	// VIP6 is the IPv6 VIP of the lab's first group.
	VIP6 = netip.MustParsePrefix("2001:db8::100/64")
)

// bridgeName is the switch's bridge, inside the switch namespace.
const bridgeName = "br0"

// network is the lab's wiring: a switch namespace holding a bridge, and
// nodes joined to it by veth pairs. Nothing links to the namespace the lab
// was started from, and no namespace has a default route.
type network struct {
	sw     *netNS
	hosts  []*Node
	client *Node
	extra  []*Node
	all    []*Node // every node made so far, for close
}

// nodeAddr returns the addresses of the node with host part id.
func nodeAddr(id int) (netip.Addr, netip.Addr) {
	a4 := Net4.Addr().As4()
	a4[3] = byte(id)
	// The IPv6 host part is written with the decimal id's digits
	// (2001:db8::200 for id 200), so both families read alike.
	a6 := Net6.Addr().As16()
	a6[14], a6[15] = byte(id/100), byte(id/10%10<<4|id%10)
	return netip.AddrFrom4(a4), netip.AddrFrom16(a6)
}

// buildNetwork creates the switch and nHosts hosts named h1…hN, the client
// and the extra nodes, under namespace names stem-ROLE. On failure it
// removes what it made.
func buildNetwork(stem string, nHosts int, extra []string) (_ *network, err error) {
	sw, err := newNetNS(stem + "-sw")
	if err != nil {
		return nil, err
	}
	n := &network{sw: sw}
	defer func() {
		if err != nil {
			err = errors.Join(err, n.close())
		}
	}()
	br := &netlink.Bridge{LinkAttrs: netlink.LinkAttrs{Name: bridgeName}, MulticastSnooping: new(bool)}
	if err := sw.nl.LinkAdd(br); err != nil {
		return nil, fmt.Errorf("lab: add bridge in %s: %w", sw, err)
	}
	if err := linkUp(sw, bridgeName); err != nil {
		return nil, err
	}
	for i := range nHosts {
		h, err := n.addNode(stem, fmt.Sprintf("h%d", i+1), i+1)
		if err != nil {
			return nil, err
		}
		n.hosts = append(n.hosts, h)
	}
	if n.client, err = n.addNode(stem, "client", 200); err != nil {
		return nil, err
	}
	for i, name := range extra {
		x, err := n.addNode(stem, name, 201+i)
		if err != nil {
			return nil, err
		}
		n.extra = append(n.extra, x)
	}
	for _, h := range n.hosts {
		if err := h.knowClient(n.client); err != nil {
			return nil, err
		}
	}
	return n, nil
}

// knowClient gives n permanent neighbour entries for the client's
// addresses. Without them a host that answers a sweep probe for the VIP
// would resolve the client with an ARP request (or neighbour solicitation)
// sent from the VIP, and the client would learn from it that the VIP is at
// that host: the measurement would move the VIP it measures.
func (n *Node) knowClient(c *Node) error {
	for _, ip := range []netip.Addr{c.Addr4, c.Addr6} {
		family := netlink.FAMILY_V4
		if ip.Is6() {
			family = netlink.FAMILY_V6
		}
		err := n.ns.nl.NeighSet(&netlink.Neigh{
			LinkIndex: n.Index, Family: family, State: netlink.NUD_PERMANENT,
			IP: ip.AsSlice(), HardwareAddr: c.MAC,
		})
		if err != nil {
			return fmt.Errorf("lab: neighbour entry for the client in %s: %w", n.Name, err)
		}
	}
	return nil
}

// addNode creates a namespace, joins it to the bridge with a veth pair
// (LinkName inside, name in the switch) and gives it the addresses with
// host part id.
func (n *network) addNode(stem, name string, id int) (*Node, error) {
	ns, err := newNetNS(stem + "-" + name)
	if err != nil {
		return nil, err
	}
	node := &Node{Name: name, port: name, ns: ns}
	node.Addr4, node.Addr6 = nodeAddr(id)
	n.all = append(n.all, node)
	v := &netlink.Veth{
		LinkAttrs:     netlink.LinkAttrs{Name: node.port},
		PeerName:      LinkName,
		PeerNamespace: netlink.NsFd(int(ns.h)),
	}
	if err := n.sw.nl.LinkAdd(v); err != nil {
		return nil, fmt.Errorf("lab: add veth %s-%s: %w", name, LinkName, err)
	}
	port, err := n.sw.nl.LinkByName(node.port)
	if err != nil {
		return nil, fmt.Errorf("lab: switch port %s: %w", node.port, err)
	}
	brl, err := n.sw.nl.LinkByName(bridgeName)
	if err != nil {
		return nil, fmt.Errorf("lab: bridge: %w", err)
	}
	if err := n.sw.nl.LinkSetMaster(port, brl); err != nil {
		return nil, fmt.Errorf("lab: add %s to the bridge: %w", node.port, err)
	}
	if err := linkUp(n.sw, node.port); err != nil {
		return nil, err
	}
	if err := linkUp(ns, LinkName); err != nil {
		return nil, err
	}
	for _, p := range []netip.Prefix{netip.PrefixFrom(node.Addr4, Net4.Bits()), netip.PrefixFrom(node.Addr6, Net6.Bits())} {
		if err := node.addAddr(p); err != nil {
			return nil, err
		}
	}
	l, err := ns.nl.LinkByName(LinkName)
	if err != nil {
		return nil, fmt.Errorf("lab: %s in %s: %w", LinkName, name, err)
	}
	node.MAC, node.Index = l.Attrs().HardwareAddr, l.Attrs().Index
	return node, nil
}

// linkUp sets the named link of ns administratively up.
func linkUp(ns *netNS, name string) error {
	l, err := ns.nl.LinkByName(name)
	if err == nil {
		err = ns.nl.LinkSetUp(l)
	}
	if err != nil {
		return fmt.Errorf("lab: set %s up in %s: %w", name, ns, err)
	}
	return nil
}

// linkDown sets the named link of ns administratively down.
func linkDown(ns *netNS, name string) error {
	l, err := ns.nl.LinkByName(name)
	if err == nil {
		err = ns.nl.LinkSetDown(l)
	}
	if err != nil {
		return fmt.Errorf("lab: set %s down in %s: %w", name, ns, err)
	}
	return nil
}

// close removes every namespace of the network (the veth pairs and the
// bridge go with them).
func (n *network) close() error {
	var errs []error
	for _, node := range n.all {
		errs = append(errs, node.ns.close())
	}
	if n.sw != nil {
		errs = append(errs, n.sw.close())
	}
	return errors.Join(errs...)
}
