package netiftest_test

import (
	"context"
	"errors"
	"net/netip"
	"testing"
	"testing/synctest"

	"github.com/vipd/vipd/internal/netif"
	"github.com/vipd/vipd/internal/netif/netiftest"
)

// TestStrand: connections open when the interface went away receive
// nothing and cannot send; one opened afterwards works.
func TestStrand(t *testing.T) {
	seg := netiftest.NewSegment()
	a := seg.Host(netip.MustParseAddr("192.0.2.1"))
	b := seg.Host(netip.MustParseAddr("192.0.2.2"))
	cfg := netif.AdvertConfig{Link: "eth0", Family: netif.IPv4, Group: netif.GroupIPv4}
	old, err := a.Listen(cfg)
	must(t, err)
	cb, err := b.Listen(cfg)
	must(t, err)

	a.Strand()
	if err := old.Send([]byte("x"), netif.GroupIPv4); err == nil {
		t.Error("a stranded connection sent")
	}
	fresh, err := a.Listen(cfg)
	must(t, err)
	must(t, cb.Send([]byte("hello"), netif.GroupIPv4))
	buf := make([]byte, 64)
	if p, err := fresh.Receive(buf); err != nil || string(p.Payload) != "hello" {
		t.Fatalf("the new connection received %q, %v", p.Payload, err)
	}
	must(t, old.Close())
	if _, err := old.Receive(buf); err == nil {
		t.Error("the stranded connection held a packet")
	}
	if got := len(a.Listened()); got != 2 {
		t.Errorf("Listened has %d entries, want 2", got)
	}
}

func TestSources(t *testing.T) {
	s := netiftest.NewSources()
	ctx := context.Background()
	src := netip.MustParseAddr("192.0.2.1")
	if _, err := s.Source(ctx, "eth0", netif.IPv4, nil); !errors.Is(err, netif.ErrNoSource) {
		t.Fatalf("Source before Set = %v, want ErrNoSource", err)
	}
	s.Set("eth0", src)
	if got, err := s.Source(ctx, "eth0", netif.IPv4, nil); err != nil || got != src {
		t.Fatalf("Source = %v, %v; want %v", got, err, src)
	}
	if _, err := s.Source(ctx, "eth0", netif.IPv6, nil); !errors.Is(err, netif.ErrNoSource) {
		t.Errorf("IPv6 Source = %v, want ErrNoSource", err)
	}
	if _, err := s.Source(ctx, "eth0", netif.IPv4, []netip.Addr{src}); !errors.Is(err, netif.ErrNoSource) {
		t.Errorf("excluded Source = %v, want ErrNoSource", err)
	}
	s.Clear("eth0", netif.IPv4)
	if _, err := s.Source(ctx, "eth0", netif.IPv4, nil); !errors.Is(err, netif.ErrNoSource) {
		t.Errorf("Source after Clear = %v, want ErrNoSource", err)
	}
	if s.Asked() != 5 {
		t.Errorf("Asked = %d, want 5", s.Asked())
	}
}

// TestClaims: a claim reaches the watches of its link and address only,
// and a watch ends with its context.
func TestClaims(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := netiftest.NewClaims()
		vip := netip.MustParseAddr("192.0.2.10")
		ctx, cancel := context.WithCancel(context.Background())
		ch := make(chan netif.Claim, 4)
		done := make(chan error, 1)
		go func() { done <- c.WatchClaims(ctx, "eth0", []netip.Addr{vip}, ch) }()
		synctest.Wait()
		if c.Watching("eth0") != 1 || c.Started("eth0") != 1 {
			t.Fatalf("watching %d, started %d; want 1 and 1", c.Watching("eth0"), c.Started("eth0"))
		}
		claim := netif.Claim{Link: "eth0", Addr: vip, MAC: netif.MAC{2, 0, 0, 0, 0, 1}, Kind: netif.ClaimARPReply}
		other := claim
		other.Addr = netip.MustParseAddr("192.0.2.11")
		elsewhere := claim
		elsewhere.Link = "eth1"
		if n := c.Claim(other) + c.Claim(elsewhere); n != 0 {
			t.Errorf("claims of other addresses and links reached %d watches", n)
		}
		if n := c.Claim(claim); n != 1 {
			t.Errorf("the claim reached %d watches, want 1", n)
		}
		if got := <-ch; got != claim {
			t.Errorf("got %v, want %v", got, claim)
		}
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("WatchClaims = %v, want context.Canceled", err)
		}
		if c.Watching("eth0") != 0 {
			t.Error("the ended watch is still listed")
		}
		if got := claim.String(); got != "192.0.2.10 claimed by 02:00:00:00:00:01 on eth0 (arp-reply)" {
			t.Errorf("String = %q", got)
		}
	})
}
