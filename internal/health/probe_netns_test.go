//go:build netns

package health

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"github.com/vipd/vipd/internal/linuxnet/nstest"
)

// segment builds two namespaces on a veth: "here" (192.0.2.1/24,
// 2001:db8::1/64 on veth-h) runs the checks, "peer" (192.0.2.2/24,
// 2001:db8::2/64 on veth-p) answers them. Nothing answers 192.0.2.3 or
// 2001:db8::3.
func segment(t *testing.T) (here, peer *nstest.NS) {
	t.Helper()
	here, peer = nstest.New(t), nstest.New(t)
	nstest.Veth(t, here, "veth-h", peer, "veth-p")
	here.AddAddr(t, "veth-h", netip.MustParsePrefix("192.0.2.1/24"))
	here.AddAddr(t, "veth-h", netip.MustParsePrefix("2001:db8::1/64"))
	peer.AddAddr(t, "veth-p", netip.MustParsePrefix("192.0.2.2/24"))
	peer.AddAddr(t, "veth-p", netip.MustParsePrefix("2001:db8::2/64"))
	return here, peer
}

// checkIn runs one probe of c inside ns, with a timeout.
func checkIn(t *testing.T, ns *nstest.NS, c Checker, timeout time.Duration) error {
	t.Helper()
	var err error
	ns.Do(t, func() {
		ctx, cancel := context.WithTimeout(t.Context(), timeout)
		defer cancel()
		err = c.Check(ctx)
	})
	return err
}

func TestPingInNamespaces(t *testing.T) {
	here, peer := segment(t)
	peerLL := linkLocal(t, peer, "veth-p")
	for _, tc := range []struct {
		name    string
		o       PingOptions
		wantErr string
	}{
		{"IPv4 peer", PingOptions{Target: netip.MustParseAddr("192.0.2.2")}, ""},
		{"IPv4 peer through the interface", PingOptions{Target: netip.MustParseAddr("192.0.2.2"), Interface: "veth-h"}, ""},
		{"IPv6 peer", PingOptions{Target: netip.MustParseAddr("2001:db8::2")}, ""},
		{"IPv6 link-local peer", PingOptions{Target: peerLL, Interface: "veth-h"}, ""},
		{"IPv4 absent", PingOptions{Target: netip.MustParseAddr("192.0.2.3")}, "health: ping 192.0.2.3: no echo reply: context deadline exceeded"},
		{"IPv6 absent", PingOptions{Target: netip.MustParseAddr("2001:db8::3")}, "health: ping 2001:db8::3: no echo reply: context deadline exceeded"},
		{"IPv4 unroutable", PingOptions{Target: netip.MustParseAddr("198.51.100.1")}, "health: ping 198.51.100.1: write ip4 0.0.0.0->198.51.100.1: sendto: network is unreachable"},
		{"no such interface", PingOptions{Target: netip.MustParseAddr("192.0.2.2"), Interface: "nonesuch0"}, "health: ping 192.0.2.2: listen ip4:icmp : bind to nonesuch0: no such device"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := NewPing(tc.o)
			if err != nil {
				t.Fatal(err)
			}
			// Twice: the second probe has a new sequence number.
			for range 2 {
				if got := errText(checkIn(t, here, p, 500*time.Millisecond)); got != tc.wantErr {
					t.Errorf("Check = %q\nwant    %q", got, tc.wantErr)
				}
			}
		})
	}
}

func TestARPInNamespaces(t *testing.T) {
	here, peer := segment(t)
	for _, tc := range []struct {
		name    string
		target  string
		wantErr string
	}{
		{"peer answers", "192.0.2.2", ""},
		{"absent address", "192.0.2.3", "health: arp 192.0.2.3 on veth-h: no reply: context deadline exceeded"},
		{"address outside the link's subnet", "198.51.100.7", "health: arp 198.51.100.7 on veth-h: no reply: context deadline exceeded"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := NewARP(ARPOptions{Target: netip.MustParseAddr(tc.target), Interface: "veth-h"})
			if err != nil {
				t.Fatal(err)
			}
			if got := errText(checkIn(t, here, a, 500*time.Millisecond)); got != tc.wantErr {
				t.Errorf("Check = %q\nwant    %q", got, tc.wantErr)
			}
		})
	}

	t.Run("probe from 0.0.0.0 when the link has no address in the subnet", func(t *testing.T) {
		peer.AddAddr(t, "veth-p", netip.MustParsePrefix("198.51.100.2/24"))
		a, err := NewARP(ARPOptions{Target: netip.MustParseAddr("198.51.100.2"), Interface: "veth-h"})
		if err != nil {
			t.Fatal(err)
		}
		if err := checkIn(t, here, a, 500*time.Millisecond); err != nil {
			t.Errorf("Check: %v", err)
		}
	})

	t.Run("link down", func(t *testing.T) {
		a, err := NewARP(ARPOptions{Target: netip.MustParseAddr("192.0.2.2"), Interface: "veth-h"})
		if err != nil {
			t.Fatal(err)
		}
		peer.LinkDown(t, "veth-p")
		// The kernel marks the carrier lost a moment later (linkwatch).
		want := "health: arp 192.0.2.2: veth-h has no carrier"
		got := ""
		for deadline := time.Now().Add(3 * time.Second); got != want && time.Now().Before(deadline); {
			got = errText(checkIn(t, here, a, 300*time.Millisecond))
			time.Sleep(10 * time.Millisecond)
		}
		if got != want {
			t.Errorf("peer's end down: Check = %q\nwant    %q", got, want)
		}
		here.LinkDown(t, "veth-h")
		want = "health: arp 192.0.2.2: veth-h is down"
		if got := errText(checkIn(t, here, a, 300*time.Millisecond)); got != want {
			t.Errorf("own end down: Check = %q\nwant    %q", got, want)
		}
	})

	t.Run("no such interface", func(t *testing.T) {
		a, err := NewARP(ARPOptions{Target: netip.MustParseAddr("192.0.2.2"), Interface: "nonesuch0"})
		if err != nil {
			t.Fatal(err)
		}
		want := "health: arp 192.0.2.2: route ip+net: no such network interface"
		if got := errText(checkIn(t, here, a, 300*time.Millisecond)); got != want {
			t.Errorf("Check = %q\nwant    %q", got, want)
		}
	})
}

// linkLocal returns the fe80:: address of a link.
func linkLocal(t *testing.T, ns *nstest.NS, link string) netip.Addr {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		addrs, err := ns.Netlink().AddrList(ns.Link(t, link), 10 /* AF_INET6 */)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range addrs {
			if ip, ok := netip.AddrFromSlice(a.IP); ok && ip.IsLinkLocalUnicast() {
				return ip
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no link-local address on %s in %s", link, ns)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
