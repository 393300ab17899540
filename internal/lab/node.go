package lab

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/netip"
	"os/exec"

	"github.com/vishvananda/netlink"
)

// LinkName is the name of every host's and the client's link to the
// switch, inside its own namespace (names are per namespace, so all can
// share it).
const LinkName = "eth0"

// Node is one namespace of the lab: a host or the client, joined to the
// switch's bridge by a veth pair.
type Node struct {
	// Name is the node's short name: "h1", "h2", "h3" or "client".
	Name string
	// Addr4 and Addr6 are the node's own addresses on LinkName
	// (192.0.2.0/24 and 2001:db8::/64).
	Addr4, Addr6 netip.Addr
	// MAC is the hardware address of LinkName.
	MAC net.HardwareAddr
	// Index is the interface index of LinkName in the node's namespace.
	Index int

	port string // the veth end in the switch namespace
	ns   *netNS
}

// Namespace returns the name of the node's network namespace under
// /run/netns (usable with "ip netns exec"), or "" when the lab runs with
// anonymous namespaces (unprivileged, under unshare -rn).
func (n *Node) Namespace() string { return n.ns.name }

// Netlink returns a netlink handle working in the node's namespace. It
// stays owned by the lab.
func (n *Node) Netlink() *netlink.Handle { return n.ns.nl }

// Do runs f on a thread inside the node's namespace and returns its error.
// Sockets that f opens stay in the namespace whatever goroutine uses them
// later; goroutines that f starts do not run in it. f must not block for
// long: the node's other work waits for it.
func (n *Node) Do(f func() error) error { return n.ns.do(f) }

// Start starts cmd (not yet started) inside the node's namespace; the
// caller waits for it. Prefer StartProcess, which also ends it.
func (n *Node) Start(cmd *exec.Cmd) error {
	return n.ns.do(func() error {
		if err := cmd.Start(); err != nil {
			return fmt.Errorf("lab: start %s in %s: %w", cmd.Path, n.Name, err)
		}
		return nil
	})
}

// Run runs argv inside the node's namespace to completion and returns its
// standard output; a failure includes its standard error.
func (n *Node) Run(ctx context.Context, argv ...string) ([]byte, error) {
	return n.RunInput(ctx, nil, argv...)
}

// RunInput is Run with stdin as the command's standard input.
func (n *Node) RunInput(ctx context.Context, stdin []byte, argv ...string) ([]byte, error) {
	if len(argv) == 0 {
		return nil, fmt.Errorf("lab: run in %s: empty command", n.Name)
	}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	if err := n.Start(cmd); err != nil {
		return nil, err
	}
	if err := cmd.Wait(); err != nil {
		return out.Bytes(), fmt.Errorf("lab: %v in %s: %w: %s", argv, n.Name, err, bytes.TrimSpace(errb.Bytes()))
	}
	return out.Bytes(), nil
}

// Sysctl writes value to /proc/sys/path (such as
// "net/ipv4/conf/all/arp_accept") inside the node's namespace.
func (n *Node) Sysctl(path, value string) error { return n.ns.sysctl(path, value) }

// String names the node for messages.
func (n *Node) String() string { return n.Name }

// addAddr adds p to the node's link, as "ip addr add p dev eth0" does.
func (n *Node) addAddr(p netip.Prefix) error {
	l, err := n.ns.nl.LinkByName(LinkName)
	if err != nil {
		return fmt.Errorf("lab: %s in %s: %w", LinkName, n.Name, err)
	}
	a := &netlink.Addr{IPNet: prefixNet(p)}
	if p.Addr().Is4() {
		a.Broadcast = net.IPv4zero
	} else {
		a.Flags = 0x02 // IFA_F_NODAD
	}
	if err := n.ns.nl.AddrAdd(l, a); err != nil {
		return fmt.Errorf("lab: add %s to %s: %w", p, n.Name, err)
	}
	return nil
}

// prefixNet converts p to a net.IPNet with p's address (not masked).
func prefixNet(p netip.Prefix) *net.IPNet {
	return &net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}
}
