//go:build e2e

package interop

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"github.com/vipd/vipd/internal/control"
	"github.com/vipd/vipd/internal/lab"
	"github.com/vipd/vipd/internal/lab/labtest"
)

// TestMismatch sets vipd's password or id apart from the peer's in each
// group. The hosts then do not hear each other: vipd rejects every
// advert of the peer and counts it by reason, the peer ignores vipd's, and
// both become master and hold the VIP — what two separate groups on one
// link do, and the reason every host of a group needs the same settings.
func TestMismatch(t *testing.T) {
	t.Parallel()
	vip := func(i byte) netip.Prefix {
		a := lab.VIP4.Addr().As4()
		a[3] += i
		return netip.PrefixFrom(netip.AddrFrom4(a), lab.VIP4.Bits())
	}
	tests := []struct {
		name    string
		peer    lab.Impl
		profile lab.Profile
		// groups are the peer's settings; vipd's differ by change.
		groups []lab.Group
		change func(g *lab.VipdGroup)
		// want is the drop reason vipd counts, by group.
		want map[string]string
	}{
		{
			name: "keepalived-vrrp3", peer: lab.Keepalived, profile: vrrp3Profile,
			groups: []lab.Group{{Name: "vrid", ID: 10, VIP: vip(0)}},
			change: func(g *lab.VipdGroup) { g.ID = 12 },
			want:   map[string]string{"vrid": "other-group"},
		},
		{
			name: "keepalived-vrrp2", peer: lab.Keepalived, profile: vrrp2Profile,
			groups: []lab.Group{
				{Name: "pass", ID: 10, VIP: vip(0), Password: "vipd-v2"},
				{Name: "noauth", ID: 11, VIP: vip(1), Password: "vipd-v2"},
				{Name: "vrid", ID: 12, VIP: vip(2)},
			},
			change: func(g *lab.VipdGroup) {
				switch g.Name {
				case "pass":
					g.Password = "wrong"
				case "noauth":
					g.Password = "" // keepalived sends PASS, vipd expects none
				case "vrid":
					g.ID = 13
				}
			},
			want: map[string]string{"pass": "bad-password", "noauth": "bad-auth-type", "vrid": "other-group"},
		},
		{
			name: "ucarp-carp", peer: lab.Ucarp, profile: carpProfile,
			groups: []lab.Group{{Name: "pass", ID: 10, VIP: vip(0)}, {Name: "vhid", ID: 11, VIP: vip(1)}},
			change: func(g *lab.VipdGroup) {
				switch g.Name {
				case "pass":
					g.Password = "not-the-password"
				case "vhid":
					g.ID = 13
				}
			},
			want: map[string]string{"pass": "bad-hmac", "vhid": "other-group"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := labtest.Context(t, 3*time.Minute)
			l := labtest.NewLab(t, lab.Options{
				Hosts: 2, HostImpls: []lab.Impl{lab.Vipd, tt.peer}, Profile: tt.profile, Groups: tt.groups,
				Customize: func(_ *lab.Host, f *lab.VipdFile) {
					for i := range f.Groups {
						tt.change(&f.Groups[i])
					}
				},
			})
			vipd, peer := l.Host("h1"), l.Host("h2")
			labtest.StartDaemons(t, ctx, l)
			for i, g := range tt.groups {
				// vipd is preferred: the peer holds the VIP only because
				// it does not accept vipd's adverts.
				bothHold(t, ctx, l, i, vipd, peer)
				labtest.WaitState(t, ctx, vipd, g.Name, "master")
			}
			for _, g := range tt.groups {
				st := waitDropped(t, ctx, vipd, g.Name, tt.want[g.Name])
				if st.Counters.AdvertsReceived != 0 {
					t.Errorf("group %s: vipd accepted %d adverts from the mismatched peer", g.Name, st.Counters.AdvertsReceived)
				}
				if st.State != "master" {
					t.Errorf("group %s: vipd is %s, want master", g.Name, st.State)
				}
				t.Logf("group %s: vipd %s, dropped %v", g.Name, st.State, st.Counters.Dropped)
			}
		})
	}
}

// waitDropped polls h's status until group has dropped an advert for
// reason, and returns that status.
func waitDropped(t *testing.T, ctx context.Context, h *lab.Host, group, reason string) control.GroupStatus {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for {
		st := labtest.GroupStatus(t, ctx, h, group)
		if st.Counters.Dropped[reason] > 0 {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("group %s: vipd counted no %s drops; dropped %v", group, reason, st.Counters.Dropped)
		}
		labtest.Sleep(t, ctx, 50*time.Millisecond)
	}
}
