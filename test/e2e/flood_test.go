//go:build e2e

package e2e

import (
	"maps"
	"net/netip"
	"testing"
	"time"

	"github.com/vipd/vipd/internal/control"
	"github.com/vipd/vipd/internal/lab"
	"github.com/vipd/vipd/internal/lab/labtest"
)

// TestFloodOfInvalidAdverts has a third namespace flood the link for a few
// seconds with invalid protocol-112 packets, each of which would win the
// election if accepted: wrong TTL, bad checksum, wrong CARP password,
// truncated, and the other protocol's format. No vipd host may change
// state, and every packet must be dropped and counted by reason.
func TestFloodOfInvalidAdverts(t *testing.T) {
	t.Parallel()
	ctx := labtest.Context(t, 2*time.Minute)
	cvip := netip.MustParsePrefix("192.0.2.101/24")
	l := labtest.StartLab(t, ctx, lab.Options{
		Hosts: 2,
		Extra: []string{"x1"},
		Groups: []lab.Group{
			{Name: "v", ID: 10, VIP: lab.VIP4},
			{Name: "c", ID: 20, VIP: cvip},
		},
		Customize: func(h *lab.Host, f *lab.VipdFile) {
			// Group c speaks CARP: advbase 1, h1 preferred.
			g := &f.Groups[1]
			base, skew := 1, 6+50*h.Index
			g.Protocol, g.AdvBase, g.AdvSkew, g.Password = "carp", &base, &skew, lab.Password
			g.Priority, g.Interval = 0, ""
			g.AddressLifetime = ""
		},
	})
	h1 := l.Host("h1")
	fakes, err := forgeries(l.Extra("x1").Addr4, 10, lab.VIP4.Addr(), 20, cvip.Addr(), "c")
	if err != nil {
		t.Fatal(err)
	}
	snd, err := newSender(l.Extra("x1"))
	if err != nil {
		t.Fatal(err)
	}
	defer snd.close()

	before := map[string]control.Status{}
	for _, h := range l.Hosts() {
		before[h.Name] = labtest.Status(t, ctx, h)
	}
	start := time.Now()
	const rounds = 150 // every 20 ms: 3 s, 7 packets a round
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	sent := map[string]int{}
	for range rounds {
		select {
		case <-ctx.Done():
			t.Fatal(ctx.Err())
		case <-tick.C:
		}
		for _, f := range fakes {
			if err := snd.send(f); err != nil {
				t.Fatalf("sending %s: %v", f.name, err)
			}
			sent[f.name]++
		}
	}
	t.Logf("sent %v in %s", sent, time.Since(start).Round(time.Millisecond))

	// Nothing moved.
	if ev := append(l.VIPEvents(0, start, time.Now()), l.VIPEvents(1, start, time.Now())...); len(ev) != 0 {
		t.Errorf("VIPs moved during the flood: %+v", ev)
	}
	labtest.SoleAnswerer(t, ctx, l, 0, h1)
	labtest.SoleAnswerer(t, ctx, l, 1, h1)
	for _, h := range l.Hosts() {
		after := labtest.Status(t, ctx, h)
		for i, g := range after.Groups {
			b := before[h.Name].Groups[i]
			if g.State != b.State || !maps.Equal(g.Counters.Transitions, b.Counters.Transitions) {
				t.Errorf("%s group %s: %s %v before the flood, %s %v after", h.Name, g.Name,
					b.State, b.Counters.Transitions, g.State, g.Counters.Transitions)
			}
			// Every forged packet reaches every group's socket and must be
			// dropped there for a reason of its own (not "other-group",
			// except where it is another group's valid format).
			want := 0
			for _, f := range fakes {
				if f.otherGroupFor != g.Name {
					want += sent[f.name]
				}
			}
			delta := map[string]uint64{}
			total := uint64(0)
			for reason, n := range g.Counters.Dropped {
				if d := n - b.Counters.Dropped[reason]; d > 0 {
					delta[reason] = d
					if reason != "other-group" {
						total += d
					}
				}
			}
			t.Logf("%s group %s dropped during the flood: %v", h.Name, g.Name, delta)
			if total < uint64(want) {
				t.Errorf("%s group %s dropped %d packets for a reason of their own, want at least the %d forged", h.Name, g.Name, total, want)
			}
			if delta["bad-ttl"] < uint64(sent["wrong TTL"]) {
				t.Errorf("%s group %s counted %d bad-ttl drops, want %d", h.Name, g.Name, delta["bad-ttl"], sent["wrong TTL"])
			}
		}
	}
	if t.Failed() {
		return
	}
	v := labtest.GroupStatus(t, ctx, h1, "v").Counters.Dropped
	c := labtest.GroupStatus(t, ctx, h1, "c").Counters.Dropped
	if v["bad-checksum"] < uint64(sent["bad checksum"]) {
		t.Errorf("h1 group v counted %d bad-checksum drops, want %d", v["bad-checksum"], sent["bad checksum"])
	}
	if c["bad-hmac"] < uint64(sent["wrong password"]) {
		t.Errorf("h1 group c counted %d bad-hmac drops, want %d", c["bad-hmac"], sent["wrong password"])
	}
}
