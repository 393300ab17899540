package netiftest_test

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/vipd/vipd/internal/netif"
	"github.com/vipd/vipd/internal/netif/netiftest"
)

var (
	vip4  = netip.MustParsePrefix("192.0.2.10/24")
	vip4b = netip.MustParsePrefix("192.0.2.11/24")
	vip6  = netip.MustParsePrefix("2001:db8::10/64")
	own4  = netip.MustParsePrefix("192.0.2.1/24")
)

func TestAddressesOwnersAndForeign(t *testing.T) {
	ctx := t.Context()
	a := netiftest.NewAddresses()
	a.AddForeign("eth0", own4)
	a.AddForeign("eth0", vip4b) // someone configured a VIP by hand
	must(t, a.SetVIPs(ctx, netif.VIPSet{Link: "eth0", Owner: "web", VIPs: []netip.Prefix{vip4, vip6}}))
	must(t, a.SetVIPs(ctx, netif.VIPSet{Link: "eth0", Owner: "db", VIPs: []netip.Prefix{vip4b}}))
	want := `ip addr add 192.0.2.1/24 dev eth0 # foreign
ip addr add 192.0.2.10/24 dev eth0
ip addr add 192.0.2.11/24 dev eth0 # foreign
ip addr add 2001:db8::10/64 dev eth0
`
	if diff := cmp.Diff(want, a.State()); diff != "" {
		t.Fatalf("state (-want +got):\n%s", diff)
	}
	// db lets go: the foreign 192.0.2.11 stays; web's are untouched.
	must(t, a.SetVIPs(ctx, netif.VIPSet{Link: "eth0", Owner: "db"}))
	if diff := cmp.Diff(want, a.State()); diff != "" {
		t.Fatalf("after db released (-want +got):\n%s", diff)
	}
	must(t, a.SetVIPs(ctx, netif.VIPSet{Link: "eth0", Owner: "web"}))
	want = "ip addr add 192.0.2.1/24 dev eth0 # foreign\nip addr add 192.0.2.11/24 dev eth0 # foreign\n"
	if diff := cmp.Diff(want, a.State()); diff != "" {
		t.Fatalf("after web released (-want +got):\n%s", diff)
	}
}

func TestAddressesHealAndMissingLink(t *testing.T) {
	ctx := t.Context()
	a := netiftest.NewAddresses()
	set := netif.VIPSet{Link: "eth0", Owner: "web", VIPs: []netip.Prefix{vip4}}
	must(t, a.SetVIPs(ctx, set))
	a.Remove("eth0", vip4)
	must(t, a.SetVIPs(ctx, set))
	if got, want := a.State(), "ip addr add 192.0.2.10/24 dev eth0\n"; got != want {
		t.Fatalf("state = %q, want %q", got, want)
	}
	a.SetLink("eth0", false)
	if err := a.SetVIPs(ctx, set); !errors.Is(err, netif.ErrNoLink) {
		t.Fatalf("SetVIPs on a missing link = %v, want ErrNoLink", err)
	}
	must(t, a.SetVIPs(ctx, netif.VIPSet{Link: "eth0", Owner: "web"}))
	boom := errors.New("boom")
	a.FailWith(boom)
	if err := a.SetVIPs(ctx, set); !errors.Is(err, boom) {
		t.Fatalf("SetVIPs = %v, want boom", err)
	}
}

func TestAddressesLifetime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := t.Context()
		a := netiftest.NewAddresses()
		set := netif.VIPSet{Link: "eth0", Owner: "web", VIPs: []netip.Prefix{vip4}, Lifetime: 2500 * time.Millisecond}
		must(t, a.SetVIPs(ctx, set))
		if d, ok := a.Lifetime("eth0", vip4); !ok || d != 3*time.Second {
			t.Fatalf("lifetime = %v, %v; want 3s (rounded up), true", d, ok)
		}
		time.Sleep(2 * time.Second)
		must(t, a.SetVIPs(ctx, set)) // renews
		time.Sleep(2 * time.Second)
		if a.State() == "" {
			t.Fatal("renewed VIP expired early")
		}
		time.Sleep(time.Second) // the daemon died: no renewal
		if got := a.State(); got != "" {
			t.Fatalf("state after lifetime = %q, want empty", got)
		}
	})
}

func TestAddressesSweepAfterRestart(t *testing.T) {
	ctx := t.Context()
	a := netiftest.NewAddresses()
	must(t, a.SetVIPs(ctx, netif.VIPSet{Link: "eth0", Owner: "web", VIPs: []netip.Prefix{vip4}}))
	must(t, a.SetVIPs(ctx, netif.VIPSet{Link: "eth1", Owner: "db", VIPs: []netip.Prefix{vip4b}}))
	a.AddForeign("eth0", own4)
	a.Restart()
	must(t, a.SetVIPs(ctx, netif.VIPSet{Link: "eth1", Owner: "db", VIPs: []netip.Prefix{vip4b}}))
	removed, err := a.Sweep(ctx)
	must(t, err)
	if diff := cmp.Diff([]netif.Address{{Link: "eth0", Prefix: vip4}}, removed, equateIP); diff != "" {
		t.Fatalf("removed (-want +got):\n%s", diff)
	}
	want := "ip addr add 192.0.2.1/24 dev eth0 # foreign\nip addr add 192.0.2.11/24 dev eth1\n"
	if diff := cmp.Diff(want, a.State()); diff != "" {
		t.Fatalf("state (-want +got):\n%s", diff)
	}
}

func TestAddressesSetVIPsRemovesUnclaimedOnItsLink(t *testing.T) {
	ctx := t.Context()
	a := netiftest.NewAddresses()
	must(t, a.SetVIPs(ctx, netif.VIPSet{Link: "eth0", Owner: "web", VIPs: []netip.Prefix{vip4}}))
	a.Restart() // an earlier run left 192.0.2.10 behind
	must(t, a.SetVIPs(ctx, netif.VIPSet{Link: "eth0", Owner: "db"}))
	if got := a.State(); got != "" {
		t.Fatalf("state = %q, want the stale VIP gone", got)
	}
}

func TestAnnouncerLog(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		var a netiftest.Announcer
		must(t, a.Announce(t.Context(), "eth0", []netip.Addr{vip4.Addr(), vip6.Addr()}))
		time.Sleep(1100 * time.Millisecond)
		must(t, a.Announce(t.Context(), "eth0", []netip.Addr{vip4.Addr()}))
		want := "0s announce eth0 192.0.2.10 2001:db8::10\n1.1s announce eth0 192.0.2.10\n"
		if diff := cmp.Diff(want, a.Log(start)); diff != "" {
			t.Fatalf("log (-want +got):\n%s", diff)
		}
	})
}

func TestSegmentMulticastUnicastInject(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		seg := netiftest.NewSegment()
		h1 := seg.Host(netip.MustParseAddr("192.0.2.1"))
		h2 := seg.Host(netip.MustParseAddr("192.0.2.2"))
		h3 := seg.Host(netip.MustParseAddr("192.0.2.3"))
		listen := func(h *netiftest.Host, group netip.Addr) netif.AdvertConn {
			c, err := h.Listen(netif.AdvertConfig{Link: "eth0", Family: netif.IPv4, Group: group})
			must(t, err)
			t.Cleanup(func() { _ = c.Close() })
			return c
		}
		c1 := listen(h1, netif.GroupIPv4)
		c2 := listen(h2, netif.GroupIPv4)
		c3 := listen(h3, netip.Addr{}) // unicast only

		must(t, c1.Send([]byte("hello"), netif.GroupIPv4))
		buf := make([]byte, 64)
		p, err := c2.Receive(buf)
		must(t, err)
		want := netif.Packet{Payload: []byte("hello"), Src: netip.MustParseAddr("192.0.2.1"), Dst: netif.GroupIPv4, TTL: 255, Link: "eth0"}
		if diff := cmp.Diff(want, p, equateIP); diff != "" {
			t.Fatalf("packet (-want +got):\n%s", diff)
		}

		must(t, c1.Send([]byte("peer"), netip.MustParseAddr("192.0.2.3")))
		p, err = c3.Receive(buf)
		must(t, err)
		if string(p.Payload) != "peer" || p.Dst != netip.MustParseAddr("192.0.2.3") {
			t.Fatalf("unicast packet = %+v", p)
		}

		seg.Inject(netif.Packet{Payload: []byte("forged"), Src: netip.MustParseAddr("192.0.2.99"), Dst: netif.GroupIPv4, TTL: 64})
		for _, c := range []netif.AdvertConn{c1, c2} {
			p, err := c.Receive(buf)
			must(t, err)
			if string(p.Payload) != "forged" || p.TTL != 64 {
				t.Fatalf("injected packet = %+v", p)
			}
		}

		h2.Cut(true)
		must(t, c1.Send([]byte("lost"), netif.GroupIPv4))
		h2.Cut(false)
		must(t, c1.Send([]byte("found"), netif.GroupIPv4))
		p, err = c2.Receive(buf)
		must(t, err)
		if string(p.Payload) != "found" {
			t.Fatalf("after reconnect got %q, want found", p.Payload)
		}
		want2 := "192.0.2.1 > 224.0.0.18 ttl 255 len 5\n192.0.2.1 > 192.0.2.3 ttl 255 len 4\n" +
			"192.0.2.1 > 224.0.0.18 ttl 255 len 4\n192.0.2.1 > 224.0.0.18 ttl 255 len 5\n"
		if diff := cmp.Diff(want2, seg.Log()); diff != "" {
			t.Fatalf("log (-want +got):\n%s", diff)
		}
	})
}

func TestConnCloseUnblocksReceive(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		seg := netiftest.NewSegment()
		c, err := seg.Host(netip.MustParseAddr("2001:db8::1")).Listen(netif.AdvertConfig{Link: "eth0", Family: netif.IPv6, Group: netif.GroupIPv6})
		must(t, err)
		done := make(chan error)
		go func() {
			_, err := c.Receive(make([]byte, 16))
			done <- err
		}()
		synctest.Wait()
		must(t, c.Close())
		if err := <-done; !errors.Is(err, net.ErrClosed) {
			t.Fatalf("Receive after Close = %v, want net.ErrClosed", err)
		}
		if err := c.Send(nil, netif.GroupIPv6); !errors.Is(err, net.ErrClosed) {
			t.Fatalf("Send after Close = %v, want net.ErrClosed", err)
		}
		must(t, c.Close())
	})
}

func TestLinksWatch(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		links := netiftest.NewLinks(netiftest.Usable("eth0", 2))
		ch := make(chan netif.LinkState)
		done := make(chan error)
		go func() { done <- links.Watch(ctx, "eth0", ch) }()
		if got := <-ch; got != netiftest.Usable("eth0", 2) {
			t.Fatalf("first state = %v", got)
		}
		links.Set(netif.LinkState{Name: "eth0", Present: true, Index: 2, Up: true})
		if got := <-ch; got.String() != "eth0 index=2 up no-carrier" {
			t.Fatalf("carrier lost = %v", got)
		}
		// Two changes while the reader is away: it sees the latest only.
		links.Set(netif.LinkState{Name: "eth0"})
		links.Set(netiftest.Usable("eth0", 7))
		synctest.Wait()
		if got := <-ch; got != netiftest.Usable("eth0", 7) {
			t.Fatalf("re-created = %v", got)
		}
		links.Set(netiftest.Usable("eth0", 7)) // no change: nothing sent
		synctest.Wait()
		select {
		case got := <-ch:
			t.Fatalf("unexpected state %v", got)
		default:
		}
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Fatalf("Watch = %v, want context.Canceled", err)
		}
	})
}

var equateIP = cmpopts.EquateComparable(netip.Addr{}, netip.Prefix{})

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
