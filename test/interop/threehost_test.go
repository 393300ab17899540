//go:build e2e

package interop

import (
	"testing"
	"time"

	"github.com/vipd/vipd/internal/lab"
	"github.com/vipd/vipd/internal/lab/labtest"
)

// TestThreeHosts runs one group on vipd, the peer and vipd again, the
// peer preferred and h1 next: the group converges on the peer, with both
// vipd hosts backup; when the peer's link is cut the better vipd host
// takes over and the other stays backup; when it returns the peer takes
// the group back.
func TestThreeHosts(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name    string
		peer    lab.Impl
		profile lab.Profile
	}{
		{"keepalived-vrrp3", lab.Keepalived, vrrp3Profile},
		{"ucarp-carp", lab.Ucarp, carpProfile},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := labtest.Context(t, 3*time.Minute)
			l := labtest.NewLab(t, lab.Options{
				Hosts: 3, HostImpls: []lab.Impl{lab.Vipd, tt.peer, lab.Vipd}, Profile: tt.profile,
				Groups: []lab.Group{{Name: "lab", ID: 10, VIP: lab.VIP4, Order: []int{1, 0, 2}}},
			})
			h1, h2, h3 := l.Host("h1"), l.Host("h2"), l.Host("h3")
			labtest.StartDaemons(t, ctx, l)
			if _, err := l.Ready(ctx, 0); err != nil {
				t.Fatal(err)
			}
			soleHolder(t, ctx, l, 0, h2)
			labtest.WaitState(t, ctx, h1, "lab", "backup")
			labtest.WaitState(t, ctx, h3, "lab", "backup")

			if err := h2.CutLink(); err != nil {
				t.Fatal(err)
			}
			soleHolder(t, ctx, l, 0, h1)
			labtest.WaitState(t, ctx, h1, "lab", "master")
			labtest.WaitState(t, ctx, h3, "lab", "backup")

			if err := h2.RestoreLink(); err != nil {
				t.Fatal(err)
			}
			soleHolder(t, ctx, l, 0, h2)
			labtest.WaitState(t, ctx, h1, "lab", "backup")
			labtest.WaitState(t, ctx, h3, "lab", "backup")
		})
	}
}
