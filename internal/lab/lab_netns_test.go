//go:build netns

package lab

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vishvananda/netlink"

	"github.com/vipd/vipd/internal/linuxnet/nstest"
)

// testWriter sends log lines to t.Log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(b), "\n"))
	return len(b), nil
}

// newTestLab builds a lab for t (skipping without privileges, as nstest
// does) and removes it when t ends.
func newTestLab(t *testing.T, opts Options) *Lab {
	t.Helper()
	nstest.Require(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}
	l, err := New(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			for _, h := range l.Hosts() {
				t.Logf("---- %s ----\n%s", h.Name, h.Log())
			}
		}
		if err := l.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return l
}

func TestNetworkStaysInItsNamespaces(t *testing.T) {
	nstest.Require(t)
	rootBefore := linkNames(t, nil)
	l := newTestLab(t, Options{Extra: []string{"x1"}})
	if got := linkNames(t, nil); got != rootBefore {
		t.Errorf("links of the root namespace changed: %s -> %s", rootBefore, got)
	}
	nodes := []*Node{l.Client(), l.Extra("x1")}
	for _, h := range l.Hosts() {
		nodes = append(nodes, h.Node)
	}
	var named []string
	for _, n := range nodes {
		if got := linkNames(t, n.Netlink()); got != "eth0 lo" {
			t.Errorf("%s has links %s, want eth0 lo", n.Name, got)
		}
		routes, err := n.Netlink().RouteList(nil, netlink.FAMILY_ALL)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range routes {
			if r.Dst == nil {
				t.Errorf("%s has a default route: %v", n.Name, r)
			}
		}
		if n.Namespace() != "" {
			named = append(named, n.Namespace())
			if !strings.HasPrefix(n.Namespace(), Prefix) {
				t.Errorf("namespace %s lacks the prefix %s", n.Namespace(), Prefix)
			}
		}
	}
	if l.Named() != (len(named) > 0) {
		t.Errorf("Named() = %v with %d named namespaces", l.Named(), len(named))
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	for _, name := range named {
		if _, err := os.Stat(filepath.Join(runDir, name)); !os.IsNotExist(err) {
			t.Errorf("%s still there after Close: %v", name, err)
		}
	}
	if _, err := os.Stat(l.Dir()); !os.IsNotExist(err) {
		t.Errorf("working directory %s still there after Close: %v", l.Dir(), err)
	}
}

// linkNames lists the links a handle sees (nil: the test's namespace).
func linkNames(t *testing.T, h *netlink.Handle) string {
	t.Helper()
	var links []netlink.Link
	var err error
	if h == nil {
		links, err = netlink.LinkList()
	} else {
		links, err = h.LinkList()
	}
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, l := range links {
		names = append(names, l.Attrs().Name)
	}
	slices.Sort(names)
	return strings.Join(names, " ")
}

// setVIP adds (or removes) the VIP on h's link by hand, as a daemon would.
func setVIP(t *testing.T, h *Host, vip netip.Prefix, add bool) {
	t.Helper()
	link, err := h.Netlink().LinkByName(LinkName)
	if err != nil {
		t.Fatal(err)
	}
	a := &netlink.Addr{IPNet: prefixNet(vip)}
	if vip.Addr().Is6() {
		a.Flags = 0x02 // IFA_F_NODAD
	}
	if add {
		err = h.Netlink().AddrAdd(link, a)
	} else {
		err = h.Netlink().AddrDel(link, a)
	}
	if err != nil {
		t.Fatalf("%s VIP on %s: %v", map[bool]string{true: "add", false: "remove"}[add], h.Name, err)
	}
}

// TestProbesSeeWhoHoldsTheVIP moves the VIP by hand and checks what the
// client's two kinds of probes report: the routed stream follows the
// client's neighbour entry, the sweep sees every host that holds the VIP.
func TestProbesSeeWhoHoldsTheVIP(t *testing.T) {
	for _, v6 := range []bool{false, true} {
		name := "IPv4"
		if v6 {
			name = "IPv6"
		}
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			l := newTestLab(t, Options{Hosts: 2, IPv6: v6})
			vip := l.Options().Groups[0].VIP
			h1, h2 := l.Hosts()[0], l.Hosts()[1]
			const window, within = 200 * time.Millisecond, 10 * time.Second

			start := time.Now()
			setVIP(t, h1, vip, true)
			if err := l.WaitAnsweredBy(ctx, 0, h1, window, within); err != nil {
				t.Fatal(err)
			}
			if err := l.WaitSoleAnswerer(ctx, 0, h1, window, within); err != nil {
				t.Fatal(err)
			}
			// Two hosts hold the VIP: the client's stream still goes to h1
			// (its neighbour entry), the sweep sees both.
			setVIP(t, h2, vip, true)
			both := time.Now()
			if err := poll(ctx, within, "sweep sees h1 and h2", func() bool {
				hs, ok := l.SweepAnswerers(0, window)
				return ok && len(hs) == 2
			}); err != nil {
				t.Fatal(err)
			}
			if got := l.Answering(0, window); got != h1 {
				t.Errorf("the stream is answered by %v, want h1 (the client's neighbour entry)", got)
			}
			// h1 lets go; the client relearns the VIP's address once its
			// stale neighbour entry is gone.
			setVIP(t, h1, vip, false)
			moved := time.Now()
			if err := l.WaitSoleAnswerer(ctx, 0, h2, window, within); err != nil {
				t.Fatal(err)
			}
			flushNeighbour(t, l.Client(), vip.Addr())
			if err := l.WaitAnsweredBy(ctx, 0, h2, window, within); err != nil {
				t.Fatal(err)
			}
			r := l.Measure(0, "moved", h1, h2, moved, time.Now())
			if r.Downtime <= 2*l.Options().ProbeInterval || r.ClientSwitches != 1 || r.Takeover <= 0 {
				t.Errorf("after the move: %+v; want a gap, one switch, a takeover time", r.String()+fmt.Sprintf(" switches %d takeover %v", r.ClientSwitches, r.Takeover))
			}
			sweep := l.Sweep(0)
			if rounds, _ := sweep.Overlap(both, moved); rounds == 0 {
				t.Error("the sweep record shows no round with two answers while both held the VIP")
			}
			ev := l.VIPEvents(0, start, time.Now())
			if len(ev) != 3 || !ev[0].Held || ev[0].Host != 0 || !ev[1].Held || ev[1].Host != 1 || ev[2].Held || ev[2].Host != 0 {
				t.Errorf("VIP events %+v, want h1 added, h2 added, h1 removed", ev)
			}
			if got := l.Holders(0); len(got) != 1 || got[0] != h2 {
				t.Errorf("Holders = %s, want h2", names(got))
			}
		})
	}
}

// flushNeighbour deletes n's neighbour entry for ip.
func flushNeighbour(t *testing.T, n *Node, ip netip.Addr) {
	t.Helper()
	family := netlink.FAMILY_V4
	if ip.Is6() {
		family = netlink.FAMILY_V6
	}
	err := n.Netlink().NeighDel(&netlink.Neigh{LinkIndex: n.Index, Family: family, IP: net.IP(ip.AsSlice())})
	if err != nil && !strings.Contains(err.Error(), "no such file") {
		t.Fatalf("delete neighbour %s in %s: %v", ip, n.Name, err)
	}
}

func TestLossDropsTraffic(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	l := newTestLab(t, Options{Hosts: 2})
	h1 := l.Hosts()[0]
	setVIP(t, h1, VIP4, true)
	if err := l.WaitAnsweredBy(ctx, 0, h1, 200*time.Millisecond, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := h1.SetLoss(ctx, 100); err != nil {
		t.Fatal(err)
	}
	lossFrom := time.Now()
	if err := poll(ctx, 10*time.Second, "no answers under 100% loss", func() bool {
		tl := l.Timeline(0)
		return tl.MaxGap(lossFrom, time.Now()).Duration() > 300*time.Millisecond
	}); err != nil {
		t.Fatal(err)
	}
	if err := h1.ClearLoss(ctx); err != nil {
		t.Fatal(err)
	}
	if err := l.WaitAnsweredBy(ctx, 0, h1, 200*time.Millisecond, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	out, err := h1.Run(ctx, "nft", "list", "tables")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), lossTable) {
		t.Errorf("loss table still there after ClearLoss:\n%s", out)
	}
}

// TestImplementations runs the lab's scenarios against keepalived and
// ucarp, where installed: they prove the network, the probes and the
// measurements with programs the lab does not control.
func TestImplementations(t *testing.T) {
	for _, tt := range []struct {
		impl    Impl
		profile Profile
	}{
		{Keepalived, VRRP10msProfile},
		{Ucarp, DefaultProfile},
	} {
		t.Run(tt.impl.String(), func(t *testing.T) {
			if !tt.impl.Installed() {
				nstest.Missing(t, tt.impl.String()+" is not installed")
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			l := newTestLab(t, Options{Impl: tt.impl, Profile: tt.profile})
			if err := l.StartDaemons(ctx); err != nil {
				t.Fatal(err)
			}
			r, err := LinkCut(ctx, l, 0)
			if err != nil {
				t.Fatal(err)
			}
			t.Log(r)
			if r.To != "h2" || r.MasterChanges != 1 {
				t.Errorf("link cut of h1: %s took over with %d master changes, want h2 with 1", r.To, r.MasterChanges)
				t.Logf("takeover %s, end %s after the cut", r.Takeover, r.End.Sub(r.Start))
				for _, e := range l.VIPEvents(0, time.Time{}, time.Now()) {
					t.Logf("VIP event %+v (%s after the cut)", e, e.At.Sub(r.Start))
				}
			}
			// A killed daemon leaves its VIP: both implementations let two
			// hosts answer from then on, and the lab must see it.
			r, err = Kill9(ctx, l, 0)
			if err != nil {
				t.Fatal(err)
			}
			t.Log(r)
			if !r.TwoAnswering {
				t.Errorf("after kill -9 of %s, the lab saw no second host answering: %+v", tt.impl, r)
			}
		})
	}
}
