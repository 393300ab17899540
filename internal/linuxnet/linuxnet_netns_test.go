//go:build netns

package linuxnet

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mdlayher/packet"
	"github.com/vishvananda/netlink"
	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"
	"golang.org/x/sys/unix"

	"github.com/vipd/vipd/internal/linuxnet/nstest"
	"github.com/vipd/vipd/internal/netif"
)

// The tests below run on two namespaces joined by a veth pair:
//
//	ns a: vipdt-a 192.0.2.1/24 2001:db8::1/64 ── ns b: vipdt-b 192.0.2.2/24 2001:db8::2/64
//
// The implementations are built inside a (nstest.NS.Do) and then used from
// the test goroutine outside it, which also checks that they keep to the
// namespace they were built in.

const (
	linkA = "vipdt-a"
	linkB = "vipdt-b"
)

var (
	addrA4 = netip.MustParsePrefix("192.0.2.1/24")
	addrB4 = netip.MustParsePrefix("192.0.2.2/24")
	addrA6 = netip.MustParsePrefix("2001:db8::1/64")
	addrB6 = netip.MustParsePrefix("2001:db8::2/64")
)

type pair struct{ a, b *nstest.NS }

func newPair(t *testing.T) pair {
	t.Helper()
	p := pair{a: nstest.New(t), b: nstest.New(t)}
	nstest.Veth(t, p.a, linkA, p.b, linkB)
	p.a.AddAddr(t, linkA, addrA4)
	p.a.AddAddr(t, linkA, addrA6)
	p.b.AddAddr(t, linkB, addrB4)
	p.b.AddAddr(t, linkB, addrB6)
	return p
}

// kernelAddrs lists the addresses of link in ns as "PREFIX proto=N
// valid=SECONDS|forever" lines, sorted, from our own dump (which reads
// IFA_PROTO).
func kernelAddrs(t *testing.T, ns *nstest.NS, link string) []string {
	t.Helper()
	var nl *rtnl
	ns.Do(t, func() {
		var err error
		if nl, err = dialRTNL(0); err != nil {
			t.Fatal(err)
		}
	})
	defer nl.close()
	li, err := nl.linkByName(t.Context(), link)
	if err != nil {
		t.Fatal(err)
	}
	as, err := nl.addrs(t.Context(), li.index)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, a := range as {
		if a.prefix.Addr().IsLinkLocalUnicast() {
			continue
		}
		valid := "forever"
		if a.valid != foreverLifetime {
			valid = fmt.Sprint(a.valid)
		}
		line := fmt.Sprintf("%s proto=%d valid=%s", a.prefix, a.proto, valid)
		if a.prefix.Addr().Is6() {
			line += fmt.Sprintf(" nodad=%t tentative=%t", a.flags&unix.IFA_F_NODAD != 0, a.flags&unix.IFA_F_TENTATIVE != 0)
		}
		out = append(out, line)
	}
	slices.Sort(out)
	return out
}

// hasAddr reports whether link in ns has p (by address and length).
func hasAddr(t *testing.T, ns *nstest.NS, link string, p netip.Prefix) bool {
	t.Helper()
	for _, l := range kernelAddrs(t, ns, link) {
		if strings.HasPrefix(l, p.String()+" ") {
			return true
		}
	}
	return false
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", within, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// openIn opens a netlink or packet user inside ns, whose sockets then stay
// in ns, and closes it when t ends.
func openIn[T interface{ Close() error }](t *testing.T, ns *nstest.NS, open func() (T, error)) T {
	t.Helper()
	var v T
	ns.Do(t, func() {
		var err error
		if v, err = open(); err != nil {
			t.Fatal(err)
		}
	})
	t.Cleanup(func() { _ = v.Close() })
	return v
}

func newAddresses(t *testing.T, ns *nstest.NS) *Addresses {
	return openIn(t, ns, func() (*Addresses, error) { return NewAddresses(AddressesOptions{Logger: testLogger(t)}) })
}

func TestAddressesOwnOnlyWhatTheyAdd(t *testing.T) {
	p := newPair(t)
	ctx := t.Context()
	a := newAddresses(t, p.a)
	vip4 := netip.MustParsePrefix("192.0.2.100/24")
	vip6 := netip.MustParsePrefix("2001:db8::100/64")
	handAdded := netip.MustParsePrefix("192.0.2.50/24")
	handVIP := netip.MustParsePrefix("192.0.2.60/24") // also configured as a VIP below
	p.a.AddAddr(t, linkA, handAdded)
	p.a.AddAddr(t, linkA, handVIP)

	web := netif.VIPSet{Link: linkA, Owner: "web", VIPs: []netip.Prefix{vip4, vip6, handVIP}, Lifetime: 30 * time.Second}
	if err := a.SetVIPs(ctx, web); err != nil {
		t.Fatal(err)
	}
	if err := a.SetVIPs(ctx, web); err != nil { // a double acquire is harmless
		t.Fatal(err)
	}
	want := []string{
		"192.0.2.1/24 proto=0 valid=forever",
		"192.0.2.100/24 proto=112 valid=30",
		"192.0.2.50/24 proto=0 valid=forever",
		"192.0.2.60/24 proto=0 valid=forever", // left alone: not retagged, no lifetime
		"2001:db8::1/64 proto=0 valid=forever nodad=false tentative=false",
		"2001:db8::100/64 proto=112 valid=30 nodad=true tentative=false",
	}
	got := kernelAddrs(t, p.a, linkA)
	// The kernel may have counted a second down already.
	for i := range got {
		got[i] = strings.Replace(got[i], "valid=29", "valid=30", 1)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("addresses:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// Someone removes a VIP: the next call puts it back.
	if err := p.a.Netlink().AddrDel(p.a.Link(t, linkA), toNetlinkAddr(vip4)); err != nil {
		t.Fatal(err)
	}
	if err := a.SetVIPs(ctx, web); err != nil {
		t.Fatal(err)
	}
	if !hasAddr(t, p.a, linkA, vip4) {
		t.Fatal("removed VIP not restored")
	}

	// A second owner on the same link; the first lets go of everything.
	dbVIP := netip.MustParsePrefix("198.51.100.7/24")
	if err := a.SetVIPs(ctx, netif.VIPSet{Link: linkA, Owner: "db", VIPs: []netip.Prefix{dbVIP}, Lifetime: 30 * time.Second}); err != nil {
		t.Fatal(err)
	}
	if err := a.SetVIPs(ctx, netif.VIPSet{Link: linkA, Owner: "web"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		p    netip.Prefix
		want bool
	}{{vip4, false}, {vip6, false}, {handAdded, true}, {handVIP, true}, {addrA4, true}, {addrA6, true}, {dbVIP, true}} {
		if got := hasAddr(t, p.a, linkA, tc.p); got != tc.want {
			t.Errorf("after web released: %s present = %v, want %v", tc.p, got, tc.want)
		}
	}

	// A new daemon (a crash and restart) sweeps what the old one left.
	a2 := newAddresses(t, p.a)
	removed, err := a2.Sweep(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := []netif.Address{{Link: linkA, Prefix: dbVIP}}; !slices.Equal(removed, want) {
		t.Fatalf("Sweep removed %v, want %v", removed, want)
	}
	if hasAddr(t, p.a, linkA, dbVIP) || !hasAddr(t, p.a, linkA, handAdded) || !hasAddr(t, p.a, linkA, handVIP) {
		t.Fatalf("after sweep: %v", kernelAddrs(t, p.a, linkA))
	}
}

// TestAddressesKeepSecondaries removes a VIP that is the primary address of
// its subnet while a hand-added address is its secondary: without
// promote_secondaries the kernel would delete both.
func TestAddressesKeepSecondaries(t *testing.T) {
	p := newPair(t)
	ctx := t.Context()
	p.a.Sysctl(t, "net/ipv4/conf/"+linkA+"/promote_secondaries", "0")
	a := newAddresses(t, p.a)
	vip := netip.MustParsePrefix("198.51.100.1/24")
	hand := netip.MustParsePrefix("198.51.100.50/24")
	if err := a.SetVIPs(ctx, netif.VIPSet{Link: linkA, Owner: "web", VIPs: []netip.Prefix{vip}}); err != nil {
		t.Fatal(err)
	}
	p.a.AddAddr(t, linkA, hand) // becomes a secondary of the VIP
	if err := a.SetVIPs(ctx, netif.VIPSet{Link: linkA, Owner: "web"}); err != nil {
		t.Fatal(err)
	}
	if hasAddr(t, p.a, linkA, vip) || !hasAddr(t, p.a, linkA, hand) {
		t.Fatalf("after release: %v, want %s gone and %s kept", kernelAddrs(t, p.a, linkA), vip, hand)
	}
}

func TestAddressesMissingLink(t *testing.T) {
	p := newPair(t)
	a := newAddresses(t, p.a)
	err := a.SetVIPs(t.Context(), netif.VIPSet{Link: "vipdt-none", Owner: "web", VIPs: []netip.Prefix{netip.MustParsePrefix("192.0.2.9/24")}})
	if !errors.Is(err, netif.ErrNoLink) {
		t.Fatalf("SetVIPs on a missing link = %v, want ErrNoLink", err)
	}
	if err := a.SetVIPs(t.Context(), netif.VIPSet{Link: "vipdt-none", Owner: "web"}); err != nil {
		t.Fatalf("releasing on a missing link = %v, want nil", err)
	}
}

// TestAddressLifetime gives VIPs a 2 s lifetime: renewed, they stay past it;
// no longer renewed (the daemon died), the kernel removes them.
func TestAddressLifetime(t *testing.T) {
	p := newPair(t)
	ctx := t.Context()
	a := newAddresses(t, p.a)
	vip4 := netip.MustParsePrefix("192.0.2.100/24")
	vip6 := netip.MustParsePrefix("2001:db8::100/64")
	set := netif.VIPSet{Link: linkA, Owner: "web", VIPs: []netip.Prefix{vip4, vip6}, Lifetime: 2 * time.Second}
	start := time.Now()
	renew := time.NewTicker(500 * time.Millisecond)
	defer renew.Stop()
	var last time.Time // just before the last renewal
	for time.Since(start) < 3500*time.Millisecond {
		last = time.Now()
		if err := a.SetVIPs(ctx, set); err != nil {
			t.Fatal(err)
		}
		for _, v := range set.VIPs {
			if !hasAddr(t, p.a, linkA, v) {
				t.Fatalf("%s gone after %v although renewed", v, time.Since(start))
			}
		}
		<-renew.C
	}
	eventually(t, 10*time.Second, "VIPs still present after their lifetime", func() bool {
		return !hasAddr(t, p.a, linkA, vip4) && !hasAddr(t, p.a, linkA, vip6)
	})
	// The kernel counts whole seconds from the renewal, which came after
	// last.
	if d := time.Since(last); d < 1900*time.Millisecond {
		t.Errorf("VIPs expired %v after the last renewal, before their 2 s lifetime", d)
	}
	if !hasAddr(t, p.a, linkA, addrA4) || !hasAddr(t, p.a, linkA, addrA6) {
		t.Fatalf("permanent addresses went too: %v", kernelAddrs(t, p.a, linkA))
	}
}

// TestAddressesRenewFallsBack: renewals of an unchanged set go straight to
// the kernel; when a VIP was removed behind vipd's back, the renewal
// notices and the VIPs are set up afresh.
func TestAddressesRenewFallsBack(t *testing.T) {
	p := newPair(t)
	ctx := t.Context()
	a := newAddresses(t, p.a)
	vip4 := netip.MustParsePrefix("192.0.2.100/24")
	vip6 := netip.MustParsePrefix("2001:db8::100/64")
	set := netif.VIPSet{Link: linkA, Owner: "web", VIPs: []netip.Prefix{vip4, vip6}, Lifetime: 30 * time.Second}
	for range 2 {
		if err := a.SetVIPs(ctx, set); err != nil {
			t.Fatal(err)
		}
	}
	set.Lifetime = 60 * time.Second
	if err := a.SetVIPs(ctx, set); err != nil {
		t.Fatal(err)
	}
	for _, line := range kernelAddrs(t, p.a, linkA) {
		if strings.Contains(line, "proto=112") && !strings.Contains(line, "valid=60") && !strings.Contains(line, "valid=59") {
			t.Errorf("not renewed to 60 s: %s", line)
		}
	}
	for _, v := range set.VIPs {
		if err := p.a.Netlink().AddrDel(p.a.Link(t, linkA), toNetlinkAddr(v)); err != nil {
			t.Fatal(err)
		}
		if err := a.SetVIPs(ctx, set); err != nil {
			t.Fatal(err)
		}
		if !hasAddr(t, p.a, linkA, v) {
			t.Fatalf("%s removed by someone else was not restored: %v", v, kernelAddrs(t, p.a, linkA))
		}
	}
}

func toNetlinkAddr(p netip.Prefix) *netlink.Addr {
	return &netlink.Addr{IPNet: &net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}}
}

// capture opens an AF_PACKET socket receiving every frame on link in ns.
func capture(t *testing.T, ns *nstest.NS, link string) *packet.Conn {
	t.Helper()
	var c *packet.Conn
	ifi := ns.Interface(t, link)
	ns.Do(t, func() {
		var err error
		if c, err = packet.Listen(ifi, packet.Raw, unix.ETH_P_ALL, nil); err != nil {
			t.Fatal(err)
		}
	})
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// readFrames reads frames from c, passing each to f, until f returns true
// or the deadline passes.
func readFrames(t *testing.T, c *packet.Conn, within time.Duration, f func([]byte) bool) {
	t.Helper()
	if err := c.SetReadDeadline(time.Now().Add(within)); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 65536)
	for {
		n, _, err := c.ReadFrom(buf)
		if err != nil {
			t.Fatalf("capture: %v", err)
		}
		if f(buf[:n]) {
			return
		}
	}
}

func TestAnnounce(t *testing.T) {
	p := newPair(t)
	ctx := t.Context()
	vip4 := netip.MustParseAddr("192.0.2.100")
	vip4new := netip.MustParseAddr("192.0.2.101")
	vip6 := netip.MustParseAddr("2001:db8::100")
	macA := p.a.Interface(t, linkA).HardwareAddr
	bogus := net.HardwareAddr{0x02, 0, 0, 0, 0, 0x99}
	idxB := p.b.Interface(t, linkB).Index

	// b has stale entries for two VIPs pointing at an old MAC, and accepts
	// gratuitous ARP for addresses it has no entry for (arp_accept).
	for _, ip := range []netip.Addr{vip4, vip6} {
		n := &netlink.Neigh{LinkIndex: idxB, State: netlink.NUD_STALE, IP: ip.AsSlice(), HardwareAddr: bogus, Family: netlink.FAMILY_V4}
		if ip.Is6() {
			n.Family = netlink.FAMILY_V6
		}
		if err := p.b.Netlink().NeighAdd(n); err != nil {
			t.Fatal(err)
		}
	}
	p.b.Sysctl(t, "net/ipv4/conf/"+linkB+"/arp_accept", "1")

	addrs := newAddresses(t, p.a)
	if err := addrs.SetVIPs(ctx, netif.VIPSet{Link: linkA, Owner: "web", VIPs: []netip.Prefix{
		netip.PrefixFrom(vip4, 24), netip.PrefixFrom(vip4new, 24), netip.PrefixFrom(vip6, 64),
	}}); err != nil {
		t.Fatal(err)
	}
	var ann *Announcer
	p.a.Do(t, func() {
		var err error
		if ann, err = NewAnnouncer(AnnouncerOptions{Logger: testLogger(t)}); err != nil {
			t.Fatal(err)
		}
	})
	t.Cleanup(func() { _ = ann.Close() })

	cap := capture(t, p.b, linkB)
	if err := ann.Announce(ctx, linkA, []netip.Addr{vip4, vip4new, vip6}); err != nil {
		t.Fatal(err)
	}

	seen := map[string]bool{}
	readFrames(t, cap, 5*time.Second, func(f []byte) bool {
		switch {
		case len(f) >= 42 && binary.BigEndian.Uint16(f[12:]) == etherTypeARP:
			checkGratuitousARP(t, f, macA, seen)
		case len(f) >= 86 && binary.BigEndian.Uint16(f[12:]) == etherTypeIPv6 && f[20] == 58 && f[54] == 136:
			checkNA(t, f, macA, vip6, seen)
		}
		return len(seen) == 5 // 2 × (request, reply) + 1 NA
	})

	// The far side's neighbour table follows.
	for _, ip := range []netip.Addr{vip4, vip4new, vip6} {
		eventually(t, 5*time.Second, fmt.Sprintf("b's neighbour entry for %s does not have a's MAC %s", ip, macA), func() bool {
			return bytes.Equal(neighMAC(t, p.b, idxB, ip), macA)
		})
	}
}

func checkGratuitousARP(t *testing.T, f []byte, mac net.HardwareAddr, seen map[string]bool) {
	t.Helper()
	op := binary.BigEndian.Uint16(f[20:])
	spa, _ := netip.AddrFromSlice(f[28:32])
	tpa, _ := netip.AddrFromSlice(f[38:42])
	if !bytes.Equal(f[6:12], mac) {
		return // not ours
	}
	if !bytes.Equal(f[0:6], broadcastMAC) || !bytes.Equal(f[22:28], mac) || spa != tpa ||
		binary.BigEndian.Uint16(f[14:]) != 1 || binary.BigEndian.Uint16(f[16:]) != etherTypeIPv4 {
		t.Errorf("bad gratuitous ARP % x", f)
		return
	}
	wantTHA := net.HardwareAddr{0, 0, 0, 0, 0, 0}
	if op == arpReply {
		wantTHA = mac
	}
	if !bytes.Equal(f[32:38], wantTHA) {
		t.Errorf("ARP op %d target hardware address %s, want %s", op, net.HardwareAddr(f[32:38]), wantTHA)
	}
	seen[fmt.Sprintf("arp-%d-%s", op, spa)] = true
}

func checkNA(t *testing.T, f []byte, mac net.HardwareAddr, vip netip.Addr, seen map[string]bool) {
	t.Helper()
	target, _ := netip.AddrFromSlice(f[62:78])
	if target != vip {
		return
	}
	src, _ := netip.AddrFromSlice(f[22:38])
	dst, _ := netip.AddrFromSlice(f[38:54])
	switch {
	case !bytes.Equal(f[0:6], allNodesMAC) || !bytes.Equal(f[6:12], mac):
		t.Errorf("NA Ethernet header % x", f[:14])
	case f[21] != 255:
		t.Errorf("NA hop limit %d, want 255", f[21])
	case src != vip || dst != allNodes:
		t.Errorf("NA %s > %s, want %s > ff02::1", src, dst, vip)
	case f[58]&0x20 == 0 || f[58]&0x40 != 0:
		t.Errorf("NA flags %#x: want override set, solicited clear", f[58])
	case f[78] != 2 || f[79] != 1 || !bytes.Equal(f[80:86], mac):
		t.Errorf("NA option % x: want target link-layer address %s", f[78:86], mac)
	case icmpv6Checksum(f[22:38], f[38:54], f[54:86]) != 0:
		t.Errorf("NA checksum does not verify")
	default:
		seen["na-"+vip.String()] = true
	}
}

func neighMAC(t *testing.T, ns *nstest.NS, index int, ip netip.Addr) net.HardwareAddr {
	t.Helper()
	fam := netlink.FAMILY_V4
	if ip.Is6() {
		fam = netlink.FAMILY_V6
	}
	ns0, err := ns.Netlink().NeighList(index, fam)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range ns0 {
		if got, _ := netip.AddrFromSlice(n.IP); got.Unmap() == ip {
			return n.HardwareAddr
		}
	}
	return nil
}

func newAdverts(t *testing.T, ns *nstest.NS) *Adverts {
	return openIn(t, ns, func() (*Adverts, error) { return NewAdverts(AdvertsOptions{Logger: testLogger(t)}) })
}

func listen(t *testing.T, a *Adverts, cfg netif.AdvertConfig) netif.AdvertConn {
	t.Helper()
	c, err := a.Listen(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// receive waits for one packet, giving up (and closing c) after 5 s.
func receive(t *testing.T, c netif.AdvertConn, buf []byte) netif.Packet {
	t.Helper()
	type res struct {
		p   netif.Packet
		err error
	}
	done := make(chan res, 1)
	go func() {
		p, err := c.Receive(buf)
		done <- res{p, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			t.Fatalf("Receive: %v", r.err)
		}
		return r.p
	case <-time.After(5 * time.Second):
		_ = c.Close()
		<-done
		t.Fatal("no advert received within 5 s")
		return netif.Packet{}
	}
}

func linkLocal(t *testing.T, ns *nstest.NS, link string) netip.Addr {
	t.Helper()
	as, err := ns.Netlink().AddrList(ns.Link(t, link), netlink.FAMILY_V6)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range as {
		if ip, _ := netip.AddrFromSlice(a.IP); ip.IsLinkLocalUnicast() {
			return ip
		}
	}
	t.Fatalf("%s has no link-local address", link)
	return netip.Addr{}
}

func TestAdverts(t *testing.T) {
	p := newPair(t)
	advA, advB := newAdverts(t, p.a), newAdverts(t, p.b)
	for _, tc := range []struct {
		name       string
		family     netif.Family
		group      netip.Addr
		dst        netip.Addr // where a sends
		wantSrc    netip.Addr
		backDst    netip.Addr // where b answers (unicast)
		wantBackSr netip.Addr
	}{
		{"ipv4-multicast", netif.IPv4, netif.GroupIPv4, netif.GroupIPv4, addrA4.Addr(), addrA4.Addr(), addrB4.Addr()},
		{"ipv4-unicast", netif.IPv4, netip.Addr{}, addrB4.Addr(), addrA4.Addr(), addrA4.Addr(), addrB4.Addr()},
		{"ipv6-multicast", netif.IPv6, netif.GroupIPv6, netif.GroupIPv6, linkLocal(t, p.a, linkA), addrA6.Addr(), addrB6.Addr()},
		{"ipv6-unicast", netif.IPv6, netip.Addr{}, addrB6.Addr(), addrA6.Addr(), addrA6.Addr(), addrB6.Addr()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ca := listen(t, advA, netif.AdvertConfig{Link: linkA, Family: tc.family, Group: tc.group})
			cb := listen(t, advB, netif.AdvertConfig{Link: linkB, Family: tc.family, Group: tc.group})
			payload := []byte("\x31\x07\x64\x01\x00\x64\x00\x00advert from a " + tc.name)
			if err := ca.Send(payload, tc.dst); err != nil {
				t.Fatal(err)
			}
			buf := make([]byte, 65536)
			got := receive(t, cb, buf)
			want := netif.Packet{Payload: payload, Src: tc.wantSrc, Dst: tc.dst, TTL: 255, Link: linkB}
			if !packetEqual(got, want) {
				t.Fatalf("b received %s, want %s", fmtPacket(got), fmtPacket(want))
			}
			// The answer is the first thing a receives: its own multicast
			// did not loop back to it.
			if err := cb.Send([]byte("answer"), tc.backDst); err != nil {
				t.Fatal(err)
			}
			got = receive(t, ca, buf)
			want = netif.Packet{Payload: []byte("answer"), Src: tc.wantBackSr, Dst: tc.backDst, TTL: 255, Link: linkA}
			if !packetEqual(got, want) {
				t.Fatalf("a received %s, want %s", fmtPacket(got), fmtPacket(want))
			}
		})
	}
}

// TestAdvertsIPv4Header checks what ucarp compatibility needs of the IPv4
// header on the wire: TOS 0x10, TTL 255, protocol 112, multicast MAC.
func TestAdvertsIPv4Header(t *testing.T) {
	p := newPair(t)
	ca := listen(t, newAdverts(t, p.a), netif.AdvertConfig{Link: linkA, Family: netif.IPv4, Group: netif.GroupIPv4})
	cap := capture(t, p.b, linkB)
	if err := ca.Send(make([]byte, 36), netif.GroupIPv4); err != nil {
		t.Fatal(err)
	}
	readFrames(t, cap, 5*time.Second, func(f []byte) bool {
		if len(f) < 34 || binary.BigEndian.Uint16(f[12:]) != etherTypeIPv4 || f[23] != protoAdvert {
			return false
		}
		ip := f[14:]
		if got, want := net.HardwareAddr(f[:6]).String(), "01:00:5e:00:00:12"; got != want {
			t.Errorf("destination MAC %s, want %s", got, want)
		}
		if ip[1] != tosCARP {
			t.Errorf("TOS %#x, want %#x", ip[1], tosCARP)
		}
		if ip[8] != 255 {
			t.Errorf("TTL %d, want 255", ip[8])
		}
		if got := binary.BigEndian.Uint16(ip[2:]); got != 20+36 {
			t.Errorf("total length %d, want 56", got)
		}
		return true
	})
}

// TestAdvertsReportTTL sends adverts with TTL / hop limit 64 from a plain
// raw socket, as a router one hop away would deliver them: the receiver
// reports 64, so the caller can drop them.
func TestAdvertsReportTTL(t *testing.T) {
	p := newPair(t)
	advB := newAdverts(t, p.b)
	for _, fam := range []netif.Family{netif.IPv4, netif.IPv6} {
		t.Run(fam.String(), func(t *testing.T) {
			group := netif.GroupIPv4
			network, laddr := "ip4:112", "0.0.0.0"
			if fam == netif.IPv6 {
				group, network, laddr = netif.GroupIPv6, "ip6:112", "::"
			}
			cb := listen(t, advB, netif.AdvertConfig{Link: linkB, Family: fam, Group: group})
			ifi := p.a.Interface(t, linkA)
			p.a.Do(t, func() {
				c, err := net.ListenPacket(network, laddr)
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				if fam == netif.IPv4 {
					pc := ipv4.NewPacketConn(c)
					must(t, pc.SetMulticastInterface(ifi))
					must(t, pc.SetMulticastTTL(64))
				} else {
					pc := ipv6.NewPacketConn(c)
					must(t, pc.SetMulticastInterface(ifi))
					must(t, pc.SetMulticastHopLimit(64))
				}
				if _, err := c.WriteTo([]byte("far away"), &net.IPAddr{IP: group.AsSlice()}); err != nil {
					t.Fatal(err)
				}
			})
			got := receive(t, cb, make([]byte, 65536))
			if got.TTL != 64 || string(got.Payload) != "far away" {
				t.Fatalf("received %s, want TTL 64 reported", fmtPacket(got))
			}
		})
	}
}

func TestAdvertsCloseUnblocksReceive(t *testing.T) {
	p := newPair(t)
	c := listen(t, newAdverts(t, p.a), netif.AdvertConfig{Link: linkA, Family: netif.IPv6, Group: netif.GroupIPv6})
	done := make(chan error, 1)
	go func() {
		_, err := c.Receive(make([]byte, 2048))
		done <- err
	}()
	time.Sleep(100 * time.Millisecond) // let Receive block; Close must work either way
	must(t, c.Close())
	select {
	case err := <-done:
		if !errors.Is(err, net.ErrClosed) {
			t.Fatalf("Receive after Close = %v, want net.ErrClosed", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not unblock Receive")
	}
	if err := c.Send([]byte("x"), netif.GroupIPv6); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("Send after Close = %v, want net.ErrClosed", err)
	}
	must(t, c.Close())
}

func TestAdvertsMissingLink(t *testing.T) {
	p := newPair(t)
	_, err := newAdverts(t, p.a).Listen(netif.AdvertConfig{Link: "vipdt-none", Family: netif.IPv4, Group: netif.GroupIPv4})
	if !errors.Is(err, netif.ErrNoLink) {
		t.Fatalf("Listen on a missing link = %v, want ErrNoLink", err)
	}
}

// TestAdvertsReceiveDoesNotAllocate queues adverts at b, then counts the
// allocations of the Receive calls that read them.
func TestAdvertsReceiveDoesNotAllocate(t *testing.T) {
	multicastPairs(t, func(t *testing.T, ca, cb netif.AdvertConn, group netip.Addr) {
		const runs = 100
		for range runs + 20 {
			must(t, ca.Send(make([]byte, 36), group))
		}
		buf := make([]byte, 65536)
		receive(t, cb, buf) // the first has arrived; veth delivers in order
		allocs := testing.AllocsPerRun(runs, func() {
			if _, err := cb.Receive(buf); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Fatalf("Receive allocates %.1f times per packet, want 0", allocs)
		}
	})
}

// multicastPairs runs f for IPv4 and for IPv6 with connections on a
// fresh pair of namespaces, a's and b's, both joined to the family's
// multicast group.
func multicastPairs(t *testing.T, f func(t *testing.T, ca, cb netif.AdvertConn, group netip.Addr)) {
	p := newPair(t)
	advA, advB := newAdverts(t, p.a), newAdverts(t, p.b)
	for _, tc := range []struct {
		fam   netif.Family
		group netip.Addr
	}{{netif.IPv4, netif.GroupIPv4}, {netif.IPv6, netif.GroupIPv6}} {
		t.Run(tc.fam.String(), func(t *testing.T) {
			ca := listen(t, advA, netif.AdvertConfig{Link: linkA, Family: tc.fam, Group: tc.group})
			cb := listen(t, advB, netif.AdvertConfig{Link: linkB, Family: tc.fam, Group: tc.group})
			f(t, ca, cb, tc.group)
		})
	}
}

func TestLinkWatcher(t *testing.T) {
	p := newPair(t)
	var w *LinkWatcher
	p.a.Do(t, func() {
		var err error
		if w, err = NewLinkWatcher(LinkWatcherOptions{Logger: testLogger(t)}); err != nil {
			t.Fatal(err)
		}
	})
	t.Cleanup(func() { _ = w.Close() })
	ctx, cancel := context.WithCancel(t.Context())
	ch := make(chan netif.LinkState, 64)
	done := make(chan error, 1)
	go func() { done <- w.Watch(ctx, linkA, ch) }()
	defer func() {
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("Watch = %v, want context.Canceled", err)
		}
	}()

	idx := p.a.Interface(t, linkA).Index
	first := waitState(t, ch, "first state: usable", func(s netif.LinkState) bool { return s.Usable() })
	if first.Index != idx {
		t.Fatalf("first state %v, want index %d", first, idx)
	}

	p.b.LinkDown(t, linkB) // the peer goes away: no carrier
	waitState(t, ch, "carrier lost", func(s netif.LinkState) bool { return s.Present && s.Up && !s.Carrier })
	p.b.LinkUp(t, linkB)
	waitState(t, ch, "carrier back", func(s netif.LinkState) bool { return s.Usable() })

	p.a.LinkDown(t, linkA)
	waitState(t, ch, "administratively down", func(s netif.LinkState) bool { return s.Present && !s.Up })
	p.a.LinkUp(t, linkA)
	waitState(t, ch, "up again", func(s netif.LinkState) bool { return s.Usable() })

	p.a.DeleteLink(t, linkA)
	waitState(t, ch, "deleted", func(s netif.LinkState) bool { return !s.Present })
	nstest.Veth(t, p.a, linkA, p.b, linkB)
	again := waitState(t, ch, "created again", func(s netif.LinkState) bool { return s.Usable() })
	if again.Index == idx {
		t.Errorf("re-created link has the old index %d", idx)
	}

	p.a.LinkDown(t, linkA)
	must(t, p.a.Netlink().LinkSetName(p.a.Link(t, linkA), "vipdt-x"))
	waitState(t, ch, "renamed away", func(s netif.LinkState) bool { return !s.Present })
	must(t, p.a.Netlink().LinkSetName(p.a.Link(t, "vipdt-x"), linkA))
	p.a.LinkUp(t, linkA)
	waitState(t, ch, "renamed back", func(s netif.LinkState) bool { return s.Usable() && s.Index == again.Index })
}

func TestLinkWatcherLinkAppears(t *testing.T) {
	p := pair{a: nstest.New(t), b: nstest.New(t)}
	var w *LinkWatcher
	p.a.Do(t, func() {
		var err error
		if w, err = NewLinkWatcher(LinkWatcherOptions{}); err != nil {
			t.Fatal(err)
		}
	})
	t.Cleanup(func() { _ = w.Close() })
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	ch := make(chan netif.LinkState, 64)
	go func() { _ = w.Watch(ctx, linkA, ch) }()
	waitState(t, ch, "absent at first", func(s netif.LinkState) bool { return !s.Present && s.Name == linkA })
	nstest.Veth(t, p.a, linkA, p.b, linkB)
	waitState(t, ch, "appeared", func(s netif.LinkState) bool { return s.Usable() })
}

// waitState reads states until one satisfies cond, checking that no two
// consecutive states are equal.
func waitState(t *testing.T, ch <-chan netif.LinkState, what string, cond func(netif.LinkState) bool) netif.LinkState {
	t.Helper()
	timeout := time.After(5 * time.Second)
	var seen []string
	for {
		select {
		case s := <-ch:
			if n := len(seen); n > 0 && seen[n-1] == s.String() {
				t.Errorf("two equal states in a row: %v", s)
			}
			seen = append(seen, s.String())
			if cond(s) {
				return s
			}
		case <-timeout:
			t.Fatalf("%s: not seen within 5 s; saw %v", what, seen)
		}
	}
}

func packetEqual(a, b netif.Packet) bool {
	return bytes.Equal(a.Payload, b.Payload) && a.Src == b.Src && a.Dst == b.Dst && a.TTL == b.TTL && a.Link == b.Link
}

func fmtPacket(p netif.Packet) string {
	return fmt.Sprintf("{%s > %s ttl %d link %s payload %q}", p.Src, p.Dst, p.TTL, p.Link, p.Payload)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// testLogger logs to the test's log at debug level.
func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimSuffix(string(b), "\n"))
	return len(b), nil
}

// TestAnnounceRouterFlag: on a link that forwards IPv6 the neighbour
// advertisement says it comes from a router (RFC 4861 §4.4).
func TestAnnounceRouterFlag(t *testing.T) {
	p := newPair(t)
	vip := netip.MustParseAddr("2001:db8::100")
	p.a.Sysctl(t, "net/ipv6/conf/"+linkA+"/forwarding", "1")
	var ann *Announcer
	p.a.Do(t, func() {
		var err error
		if ann, err = NewAnnouncer(AnnouncerOptions{}); err != nil {
			t.Fatal(err)
		}
	})
	t.Cleanup(func() { _ = ann.Close() })
	cap := capture(t, p.b, linkB)
	must(t, ann.Announce(t.Context(), linkA, []netip.Addr{vip}))
	readFrames(t, cap, 5*time.Second, func(f []byte) bool {
		if len(f) < 86 || binary.BigEndian.Uint16(f[12:]) != etherTypeIPv6 || f[20] != 58 || f[54] != 136 {
			return false
		}
		if f[58] != 0xa0 {
			t.Errorf("NA flags %#x, want R and O (0xa0)", f[58])
		}
		return true
	})
}

// TestAdvertsSource sends from a configured source address instead of the
// one the kernel would choose.
func TestAdvertsSource(t *testing.T) {
	p := newPair(t)
	src4 := netip.MustParsePrefix("192.0.2.77/24")
	p.a.AddAddr(t, linkA, src4)
	advA, advB := newAdverts(t, p.a), newAdverts(t, p.b)
	for _, tc := range []struct {
		fam        netif.Family
		group, src netip.Addr
	}{
		{netif.IPv4, netif.GroupIPv4, src4.Addr()},
		{netif.IPv6, netif.GroupIPv6, addrA6.Addr()}, // rather than the link-local
	} {
		t.Run(tc.fam.String(), func(t *testing.T) {
			ca := listen(t, advA, netif.AdvertConfig{Link: linkA, Family: tc.fam, Group: tc.group, Source: tc.src})
			cb := listen(t, advB, netif.AdvertConfig{Link: linkB, Family: tc.fam, Group: tc.group})
			must(t, ca.Send([]byte("from a chosen source"), tc.group))
			if got := receive(t, cb, make([]byte, 65536)); got.Src != tc.src || got.TTL != 255 {
				t.Fatalf("received %s, want source %s", fmtPacket(got), tc.src)
			}
		})
	}
}

// TestAdvertsArrivalTime: a packet read well after it arrived is dated
// when the kernel received it, not when it was read.
func TestAdvertsArrivalTime(t *testing.T) {
	multicastPairs(t, func(t *testing.T, ca, cb netif.AdvertConn, group netip.Addr) {
		sent := time.Now()
		must(t, ca.Send(make([]byte, 36), group))
		time.Sleep(50 * time.Millisecond)
		read := time.Now()
		got := receive(t, cb, make([]byte, 2048))
		if got.At.Before(sent) || !got.At.Before(read) {
			t.Fatalf("At is %v after the send and %v after the read began; want between the send and the read",
				got.At.Sub(sent), got.At.Sub(read))
		}
	})
}
