//go:build netns

package linuxnet

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/mdlayher/packet"
	"golang.org/x/sys/unix"

	"github.com/vipd/vipd/internal/linuxnet/nstest"
	"github.com/vipd/vipd/internal/netif"
)

// recreate deletes the veth pair and creates it again under the same names
// (new indexes, new MAC addresses), with the same addresses, as a driver
// reload or a suspend that takes the NIC away would.
func (p pair) recreate(t *testing.T) {
	t.Helper()
	p.a.DeleteLink(t, linkA) // takes linkB with it
	nstest.Veth(t, p.a, linkA, p.b, linkB)
	p.a.AddAddr(t, linkA, addrA4)
	p.a.AddAddr(t, linkA, addrA6)
	p.b.AddAddr(t, linkB, addrB4)
	p.b.AddAddr(t, linkB, addrB6)
}

// TestAdvertsOnRecreatedLink: a connection bound to an interface that was
// deleted is dead for good: sending fails and it receives nothing, even
// once an interface of the same name is back. A connection opened on the
// new interface joins the group there and exchanges adverts both ways.
func TestAdvertsOnRecreatedLink(t *testing.T) {
	p := newPair(t)
	advA, advB := newAdverts(t, p.a), newAdverts(t, p.b)
	buf := make([]byte, 65536)
	for _, tc := range []struct {
		family netif.Family
		group  netip.Addr
	}{{netif.IPv4, netif.GroupIPv4}, {netif.IPv6, netif.GroupIPv6}} {
		t.Run(tc.family.String(), func(t *testing.T) {
			cfgA := netif.AdvertConfig{Link: linkA, Family: tc.family, Group: tc.group}
			cfgB := netif.AdvertConfig{Link: linkB, Family: tc.family, Group: tc.group}
			old := listen(t, advA, cfgA)
			cb := listen(t, advB, cfgB)
			if err := old.Send([]byte("before"), tc.group); err != nil {
				t.Fatal(err)
			}
			if got := receive(t, cb, buf); string(got.Payload) != "before" {
				t.Fatalf("b received %q, want the advert sent before", got.Payload)
			}
			oldIndex := p.a.Interface(t, linkA).Index

			p.recreate(t)
			if p.a.Interface(t, linkA).Index == oldIndex {
				t.Fatal("the re-created link has the old index")
			}
			if err := old.Send([]byte("stale"), tc.group); err == nil {
				t.Error("sending on the deleted interface's connection succeeded")
			}
			stale := make(chan error, 1)
			go func() {
				b := make([]byte, 65536)
				p, err := old.Receive(b)
				if err == nil {
					err = errors.New("received " + string(p.Payload))
				}
				stale <- err
			}()

			fresh := listen(t, advA, cfgA)
			cb = listen(t, advB, cfgB)
			// IPv6 sends fail while the new link-local address is
			// tentative (EADDRNOTAVAIL), for a moment.
			var err error
			eventually(t, 5*time.Second, "sending on the new interface", func() bool {
				err = fresh.Send([]byte("after"), tc.group)
				return err == nil
			})
			if got := receive(t, cb, buf); string(got.Payload) != "after" || got.TTL != 255 {
				t.Fatalf("b received %s, want the advert sent on the new interface", fmtPacket(got))
			}
			eventually(t, 5*time.Second, "answering from b", func() bool {
				err = cb.Send([]byte("answer"), tc.group)
				return err == nil
			})
			if got := receive(t, fresh, buf); string(got.Payload) != "answer" {
				t.Fatalf("a received %s on the new interface, want b's answer", fmtPacket(got))
			}
			// The raw sockets that match a packet get it in one pass: had
			// the old connection been alive, it would hold the answer now.
			_ = old.Close()
			if err := <-stale; !errors.Is(err, net.ErrClosed) {
				t.Errorf("the deleted interface's connection: %v, want nothing received", err)
			}
		})
	}
}

func newSources(t *testing.T, ns *nstest.NS) *Sources {
	return openIn(t, ns, func() (*Sources, error) { return NewSources(SourcesOptions{Logger: testLogger(t)}) })
}

// TestSourcesFollowRecreatedLink: the source is read from the interface at
// each call: the IPv6 link-local address of a re-created interface is its
// new one, and an interface without its IPv4 address has no source until
// the address is back. VIPs (marked or excluded) are never a source.
func TestSourcesFollowRecreatedLink(t *testing.T) {
	p := newPair(t)
	s := newSources(t, p.a)
	ctx := t.Context()
	source := func(f netif.Family, exclude ...netip.Addr) (netip.Addr, error) {
		return s.Source(ctx, linkA, f, exclude)
	}
	if got, err := source(netif.IPv4); err != nil || got != addrA4.Addr() {
		t.Fatalf("IPv4 source = %v, %v; want %v", got, err, addrA4.Addr())
	}
	// A new link's link-local address is tentative for a moment, even
	// without duplicate address detection: no source until it is not.
	var oldLL netip.Addr
	eventually(t, 5*time.Second, "the link-local address as source", func() bool {
		got, err := source(netif.IPv6)
		oldLL = got
		return err == nil
	})
	if want := linkLocal(t, p.a, linkA); oldLL != want {
		t.Fatalf("IPv6 source = %v, want the link-local %v", oldLL, want)
	}

	// A VIP that vipd added is not a source, nor is an excluded address.
	vip := netip.MustParsePrefix("192.0.2.100/24")
	if err := newAddresses(t, p.a).SetVIPs(ctx, netif.VIPSet{Link: linkA, Owner: "g", VIPs: []netip.Prefix{vip}}); err != nil {
		t.Fatal(err)
	}
	if got, err := source(netif.IPv4, addrA4.Addr()); !errors.Is(err, netif.ErrNoSource) {
		t.Fatalf("IPv4 source besides the excluded one and a VIP = %v, %v; want ErrNoSource", got, err)
	}
	other := netip.MustParsePrefix("192.0.2.7/24")
	p.a.AddAddr(t, linkA, other)
	if got, err := source(netif.IPv4, addrA4.Addr()); err != nil || got != other.Addr() {
		t.Fatalf("IPv4 source besides the excluded one = %v, %v; want %v", got, err, other.Addr())
	}

	p.a.DeleteLink(t, linkA)
	if got, err := source(netif.IPv4); !errors.Is(err, netif.ErrNoLink) {
		t.Fatalf("source on a deleted link = %v, %v; want ErrNoLink", got, err)
	}
	nstest.Veth(t, p.a, linkA, p.b, linkB)
	if got, err := source(netif.IPv4); !errors.Is(err, netif.ErrNoSource) {
		t.Fatalf("IPv4 source on the re-created link before its address = %v, %v; want ErrNoSource", got, err)
	}
	p.a.AddAddr(t, linkA, addrA4)
	if got, err := source(netif.IPv4); err != nil || got != addrA4.Addr() {
		t.Fatalf("IPv4 source on the re-created link = %v, %v; want %v", got, err, addrA4.Addr())
	}
	var newLL netip.Addr
	eventually(t, 5*time.Second, "the re-created link's link-local address as source", func() bool {
		got, err := source(netif.IPv6)
		newLL = got
		return err == nil
	})
	if want := linkLocal(t, p.a, linkA); newLL != want || newLL == oldLL {
		t.Errorf("IPv6 source on the re-created link = %v, want its new link-local %v (the old was %v)", newLL, want, oldLL)
	}
}

func newClaims(t *testing.T, ns *nstest.NS) *Claims {
	return openIn(t, ns, func() (*Claims, error) { return NewClaims(ClaimsOptions{Logger: testLogger(t)}) })
}

// claimSender writes whole Ethernet frames on a link, as another host that
// claims addresses would.
func claimSender(t *testing.T, ns *nstest.NS, link string) (*packet.Conn, net.HardwareAddr) {
	t.Helper()
	ifi := ns.Interface(t, link)
	var c *packet.Conn
	ns.Do(t, func() {
		var err error
		if c, err = packet.Listen(ifi, packet.Raw, unix.ETH_P_ALL, nil); err != nil {
			t.Fatal(err)
		}
	})
	t.Cleanup(func() { _ = c.Close() })
	return c, ifi.HardwareAddr
}

// TestClaims: the watch reports ARP and neighbour advertisements from
// another MAC address for the watched addresses, and nothing for other
// addresses or for this host's own announcements; it ends with an error
// when the interface is deleted and with the context otherwise.
func TestClaims(t *testing.T) {
	p := newPair(t)
	vip4, vip6 := netip.MustParseAddr("192.0.2.100"), netip.MustParseAddr("2001:db8::100")
	claims := newClaims(t, p.a)
	var ann *Announcer
	p.a.Do(t, func() {
		var err error
		if ann, err = NewAnnouncer(AnnouncerOptions{}); err != nil {
			t.Fatal(err)
		}
	})
	t.Cleanup(func() { _ = ann.Close() })
	sender, bMAC := claimSender(t, p.b, linkB)
	var wantMAC netif.MAC
	copy(wantMAC[:], bMAC)
	send := func(f []byte) {
		t.Helper()
		if _, err := sender.WriteTo(f, &packet.Addr{HardwareAddr: broadcastMAC}); err != nil {
			t.Fatal(err)
		}
	}

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	ch := make(chan netif.Claim, 16)
	done := make(chan error, 1)
	go func() { done <- claims.WatchClaims(ctx, linkA, []netip.Addr{vip4, vip6}, ch) }()

	// The watch has no ready signal: claim until it is heard.
	first := netif.Claim{Link: linkA, Addr: vip4, MAC: wantMAC, Kind: netif.ClaimARPReply}
	deadline := time.After(5 * time.Second)
	for heard := false; !heard; {
		send(appendGratuitousARP(nil, arpReply, bMAC, vip4))
		select {
		case c := <-ch:
			if c != first {
				t.Fatalf("first claim %v, want %v", c, first)
			}
			heard = true
		case <-time.After(100 * time.Millisecond):
		case <-deadline:
			t.Fatal("no claim within 5 s")
		}
	}
	for len(ch) > 0 {
		<-ch // repeats of the first claim
	}

	// Not claims: this host's own announcements, another address, an ARP
	// probe. Then one that is; it must be the next one reported.
	if err := ann.Announce(t.Context(), linkA, []netip.Addr{vip4, vip6}); err != nil {
		t.Fatal(err)
	}
	send(appendGratuitousARP(nil, arpReply, bMAC, netip.MustParseAddr("192.0.2.77")))
	probe := appendGratuitousARP(nil, arpRequest, bMAC, vip4)
	copy(probe[ethHeaderLen+14:ethHeaderLen+18], []byte{0, 0, 0, 0})
	send(probe)
	send(appendUnsolicitedNA(nil, bMAC, vip6, false))
	want := netif.Claim{Link: linkA, Addr: vip6, MAC: wantMAC, Kind: netif.ClaimNeighborAdvert}
	select {
	case c := <-ch:
		if c != want {
			t.Fatalf("claim %v, want %v (and nothing for the frames before it)", c, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the neighbour advertisement was not reported within 5 s")
	}
	send(appendGratuitousARP(nil, arpRequest, bMAC, vip4))
	select {
	case c := <-ch:
		if want := (netif.Claim{Link: linkA, Addr: vip4, MAC: wantMAC, Kind: netif.ClaimARPRequest}); c != want {
			t.Fatalf("claim %v, want %v", c, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the gratuitous ARP request was not reported within 5 s")
	}

	p.a.DeleteLink(t, linkA)
	select {
	case err := <-done:
		if err == nil || errors.Is(err, context.Canceled) {
			t.Errorf("WatchClaims after the link was deleted = %v, want an error of its own", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("WatchClaims still runs 5 s after its interface was deleted")
	}

	if err := claims.WatchClaims(t.Context(), linkA, []netip.Addr{vip4}, ch); !errors.Is(err, netif.ErrNoLink) {
		t.Errorf("WatchClaims on a missing link = %v, want ErrNoLink", err)
	}
	nstest.Veth(t, p.a, linkA, p.b, linkB)
	ctx2, cancel2 := context.WithCancel(t.Context())
	go func() { done <- claims.WatchClaims(ctx2, linkA, []netip.Addr{vip4}, ch) }()
	time.Sleep(50 * time.Millisecond) // let it block in its read, or not: both must end
	cancel2()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("WatchClaims after cancel = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("WatchClaims still runs 5 s after its context ended")
	}
}
