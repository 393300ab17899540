//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/mdlayher/packet"
	"github.com/vishvananda/netlink"

	"github.com/vipd/vipd/internal/config"
	"github.com/vipd/vipd/internal/lab"
	"github.com/vipd/vipd/internal/lab/labtest"
)

// TestConflictReannounced: a third node holds the master's VIP too (a split
// brain, or a misconfigured host) and claims it with gratuitous ARP replies
// (IPv4) or unsolicited neighbour advertisements with the override flag
// (IPv6) from its own MAC address, moving the client's neighbour entry to
// itself, where it would stay: the third node answers the client's
// reachability probes. The master sees the claims, counts them, logs the
// claimant's MAC address and re-announces, so the client's entry points
// back at the master and its probes are answered by it.
func TestConflictReannounced(t *testing.T) {
	t.Parallel()
	bothFamilies(t, func(t *testing.T, ipv6 bool) {
		ctx := labtest.Context(t, 2*time.Minute)
		l := labtest.StartLab(t, ctx, lab.Options{IPv6: ipv6, Extra: []string{"x1"}})
		h1, h2, x1, client := l.Host("h1"), l.Host("h2"), l.Extra("x1"), l.Client()
		vip := l.Targets()[0]
		waitNeighbour(t, ctx, client, vip, h1.MAC)
		// Once the takeover's announcement and its repeats are out,
		// nothing but a re-announcement moves the client back.
		waitAnnounced(t, ctx, h1, "lab", 1+config.DefaultAnnounceRepeats)

		if err := x1.Netlink().AddrAdd(nodeLink(t, x1), &netlink.Addr{IPNet: netlink.NewIPNet(vip.AsSlice())}); err != nil {
			t.Fatal(err)
		}
		claim, err := newClaimer(x1, vip)
		if err != nil {
			t.Fatal(err)
		}
		defer claim.close()
		// Three claims, closer together than the master's one-second
		// limit on re-announcements: the last one must be answered too.
		const claims = 3
		for i := range claims {
			if i > 0 {
				time.Sleep(300 * time.Millisecond)
			}
			if err := claim.send(); err != nil {
				t.Fatal(err)
			}
		}

		waitNeighbour(t, ctx, client, vip, h1.MAC)
		if err := l.WaitAnsweredBy(ctx, 0, h1, time.Second, waitFor); err != nil {
			t.Fatal(err)
		}
		if n := waitConflicts(t, ctx, h1, "lab", claims); n < claims {
			t.Errorf("h1 counted %d conflicts, want at least %d (one per claim)", n, claims)
		}
		if n := conflicts(t, ctx, h2, "lab"); n != 0 {
			t.Errorf("h2, a backup, counted %d conflicts", n)
		}
		if log := h1.Log(); !strings.Contains(log, "another host answers for a VIP") || !strings.Contains(log, "mac="+x1.MAC.String()) {
			t.Errorf("h1's log names no conflict with %s", x1.MAC)
		}
		if st := labtest.GroupStatus(t, ctx, h1, "lab"); st.State != "master" {
			t.Errorf("h1 is %s, want master", st.State)
		}
	})
}

// nodeLink returns n's link.
func nodeLink(t *testing.T, n *lab.Node) netlink.Link {
	t.Helper()
	l, err := n.Netlink().LinkByName(lab.LinkName)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// waitAnnounced waits until h's group has made n announcements. The lab
// sets no periodic refresh: after the takeover's first announcement and its
// repeats the group announces only when something asks it to.
func waitAnnounced(t *testing.T, ctx context.Context, h *lab.Host, group string, n uint64) {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for labtest.GroupStatus(t, ctx, h, group).Counters.Announcements < n {
		if time.Now().After(deadline) {
			t.Fatalf("%s made %d announcements, want %d", h.Name, labtest.GroupStatus(t, ctx, h, group).Counters.Announcements, n)
		}
		select {
		case <-ctx.Done():
			t.Fatal(ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// waitNeighbour waits until n's neighbour entry for ip has mac.
func waitNeighbour(t *testing.T, ctx context.Context, n *lab.Node, ip netip.Addr, mac net.HardwareAddr) {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	var last net.HardwareAddr
	for time.Now().Before(deadline) {
		if last = neighbour(t, n, ip); bytes.Equal(last, mac) {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s: waiting for its neighbour entry for %s: %v", n.Name, ip, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("%s's neighbour entry for %s is %v, want %v", n.Name, ip, last, mac)
}

// neighbour returns n's neighbour entry's MAC address for ip, or nil.
func neighbour(t *testing.T, n *lab.Node, ip netip.Addr) net.HardwareAddr {
	t.Helper()
	family := netlink.FAMILY_V4
	if ip.Is6() {
		family = netlink.FAMILY_V6
	}
	ns, err := n.Netlink().NeighList(n.Index, family)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ns {
		if a, _ := netip.AddrFromSlice(e.IP); a.Unmap() == ip && e.State&(netlink.NUD_INCOMPLETE|netlink.NUD_FAILED) == 0 {
			return e.HardwareAddr
		}
	}
	return nil
}

// conflicts reads the group's conflict counter from `vipd status -o json`.
// It reads the JSON itself, so that a status without the counter fails
// the test rather than reading as zero.
func conflicts(t *testing.T, ctx context.Context, h *lab.Host, group string) uint64 {
	t.Helper()
	out := labtest.Ctl(t, ctx, h, "status", "-o", "json")
	var st struct {
		Groups []struct {
			Name     string
			Counters map[string]json.RawMessage
		}
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("vipd status on %s: %v", h.Name, err)
	}
	for _, g := range st.Groups {
		if g.Name != group {
			continue
		}
		raw, ok := g.Counters["conflicts"]
		if !ok {
			t.Fatalf("vipd status on %s has no conflicts counter: %s", h.Name, out)
		}
		var n uint64
		if err := json.Unmarshal(raw, &n); err != nil {
			t.Fatalf("vipd status on %s: conflicts: %v", h.Name, err)
		}
		return n
	}
	t.Fatalf("vipd status on %s has no group %s", h.Name, group)
	return 0
}

// waitConflicts waits until h counted at least want conflicts (or waitFor
// passed) and returns the count.
func waitConflicts(t *testing.T, ctx context.Context, h *lab.Host, group string, want uint64) uint64 {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for {
		n := conflicts(t, ctx, h, group)
		if n >= want || time.Now().After(deadline) {
			return n
		}
		select {
		case <-ctx.Done():
			t.Fatal(ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// claimer claims an address for a node's MAC address, as a host with the
// same address configured, or a spoofer, would.
type claimer struct {
	send  func() error
	close func()
}

func newClaimer(n *lab.Node, ip netip.Addr) (*claimer, error) {
	ifi := &net.Interface{Index: n.Index, Name: lab.LinkName, HardwareAddr: n.MAC}
	var c *packet.Conn
	err := n.Do(func() error {
		var err error
		// Protocol 0: the socket sends and receives nothing (packet(7)).
		c, err = packet.Listen(ifi, packet.Raw, 0, nil)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("packet socket in %s: %w", n.Name, err)
	}
	var frame []byte
	var dst net.HardwareAddr
	if ip.Is4() {
		frame, dst = gratuitousARPReply(n.MAC, ip), net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
	} else {
		frame, dst = unsolicitedNA(n.MAC, n.Addr6, ip), net.HardwareAddr{0x33, 0x33, 0, 0, 0, 1}
	}
	return &claimer{
		send: func() error {
			_, err := c.WriteTo(frame, &packet.Addr{HardwareAddr: dst})
			return err
		},
		close: func() { _ = c.Close() },
	}, nil
}

// gratuitousARPReply is a broadcast ARP reply (RFC 826) whose sender and
// target are ip at mac: a gratuitous ARP in reply form (RFC 5944 §4.6).
func gratuitousARPReply(mac net.HardwareAddr, ip netip.Addr) []byte {
	a4 := ip.As4()
	b := []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff} // Ethernet destination: broadcast
	b = append(b, mac...)                           // Ethernet source
	b = binary.BigEndian.AppendUint16(b, 0x0806)    // EtherType ARP
	b = binary.BigEndian.AppendUint16(b, 1)         // ar$hrd: Ethernet
	b = binary.BigEndian.AppendUint16(b, 0x0800)    // ar$pro: IPv4
	b = append(b, 6, 4)                             // ar$hln, ar$pln
	b = binary.BigEndian.AppendUint16(b, 2)         // ar$op: reply
	b = append(b, mac...)                           // ar$sha
	b = append(b, a4[:]...)                         // ar$spa: the claimed address
	b = append(b, mac...)                           // ar$tha
	return append(b, a4[:]...)                      // ar$tpa = ar$spa: gratuitous
}

// unsolicitedNA is a neighbour advertisement (RFC 4861 §4.4) from src at
// mac to all nodes, Override set, with target ip and the target link-layer
// address option: a host taking ip over (RFC 4861 §7.2.6).
func unsolicitedNA(mac net.HardwareAddr, src, ip netip.Addr) []byte {
	allNodes := netip.IPv6LinkLocalAllNodes()
	icmp := []byte{136, 0, 0, 0, 0x20, 0, 0, 0} // type NA, code, checksum, flags O
	icmp = append(icmp, ip.AsSlice()...)        // target
	icmp = append(icmp, 2, 1)                   // option: target link-layer address
	icmp = append(icmp, mac...)
	// Checksum over the pseudo-header (RFC 8200 §8.1) and the message.
	var sum uint32
	add := func(b []byte) {
		for i := 0; i+1 < len(b); i += 2 {
			sum += uint32(binary.BigEndian.Uint16(b[i:]))
		}
	}
	add(src.AsSlice())
	add(allNodes.AsSlice())
	add([]byte{0, 0, 0, byte(len(icmp)), 0, 0, 0, 58})
	add(icmp)
	for sum>>16 != 0 {
		sum = sum&0xffff + sum>>16
	}
	binary.BigEndian.PutUint16(icmp[2:], ^uint16(sum))

	b := []byte{0x33, 0x33, 0, 0, 0, 1}                     // Ethernet destination: all nodes
	b = append(b, mac...)                                   // Ethernet source
	b = binary.BigEndian.AppendUint16(b, 0x86dd)            // EtherType IPv6
	b = append(b, 0x60, 0, 0, 0)                            // version 6
	b = binary.BigEndian.AppendUint16(b, uint16(len(icmp))) // payload length
	b = append(b, 58, 255)                                  // ICMPv6, hop limit 255
	b = append(b, src.AsSlice()...)
	b = append(b, allNodes.AsSlice()...)
	return append(b, icmp...)
}
