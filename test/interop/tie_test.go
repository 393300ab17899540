//go:build e2e

package interop

import (
	"net/netip"
	"testing"
	"time"

	"github.com/vipd/vipd/internal/lab"
	"github.com/vipd/vipd/internal/lab/labtest"
)

// TestCARPTie gives vipd and ucarp the same advbase and advskew, so that
// neither advertises more often, and makes both master (vipd's link drops
// every frame for a while, so they stop hearing each other). When they
// hear each other again, the master with the lower source address stays,
// compared as ucarp compares them: the raw IPv4 address read as a host
// integer, little-endian on x86, where the last octet weighs most. h1's
// adverts leave from 198.51.100.1 and h2's from 192.0.2.2: in network
// order h2's is lower, in ucarp's h1's (last octet 1 < 2), so h1 must
// win, whichever implementation it runs.
func TestCARPTie(t *testing.T) {
	t.Parallel()
	alt := netip.MustParseAddr("198.51.100.1")
	for _, impls := range [][]lab.Impl{{lab.Vipd, lab.Ucarp}, {lab.Ucarp, lab.Vipd}} {
		t.Run(impls[0].String()+"-wins", func(t *testing.T) {
			t.Parallel()
			ctx := labtest.Context(t, 3*time.Minute)
			vipdIndex, ucarpIndex := 0, 1
			if impls[0] == lab.Ucarp {
				vipdIndex, ucarpIndex = 1, 0
			}
			l := labtest.NewLab(t, lab.Options{
				Hosts: 2, HostImpls: impls, Profile: carpProfile,
				Sources: []netip.Addr{alt, {}},
				// ucarp ranks first (advskew 6, the lab's rank 0); vipd
				// is given the same advskew.
				Groups: []lab.Group{{Name: "tie", ID: 10, VIP: lab.VIP4, Order: []int{ucarpIndex, vipdIndex}}},
				Customize: func(_ *lab.Host, f *lab.VipdFile) {
					skew := 6
					f.Groups[0].AdvSkew = &skew
				},
			})
			h1, h2 := l.Host("h1"), l.Host("h2")
			vipd := l.Hosts()[vipdIndex]
			if !h2.Source().Less(h1.Source()) {
				t.Fatalf("h2's source %s is not below h1's %s in network order: the test shows nothing", h2.Source(), h1.Source())
			}
			labtest.StartDaemons(t, ctx, l)
			if _, err := l.WaitSettled(ctx, 0, time.Second, waitFor); err != nil {
				t.Fatal(err)
			}
			if st := labtest.GroupStatus(t, ctx, vipd, "tie"); st.Source != vipd.Source().String() {
				t.Fatalf("vipd advertises from %s, want %s", st.Source, vipd.Source())
			}

			// Two masters: vipd hears nothing and is heard by nobody.
			if err := vipd.SetLoss(ctx, 100); err != nil {
				t.Fatal(err)
			}
			bothHold(t, ctx, l, 0, h1, h2)
			if err := vipd.ClearLoss(ctx); err != nil {
				t.Fatal(err)
			}

			// They hear each other: h1 stays master, h2 steps down.
			soleHolder(t, ctx, l, 0, h1)
			stays(t, ctx, l, 5*time.Second, "a settled tie")
			want := "backup"
			if vipd == h1 {
				want = "master"
			}
			labtest.WaitState(t, ctx, vipd, "tie", want)
			st := labtest.GroupStatus(t, ctx, vipd, "tie")
			if vipd == h2 && st.Counters.Transitions["higher-priority-peer"] == 0 {
				t.Errorf("vipd lost the tie without stepping down for ucarp; transitions %v", st.Counters.Transitions)
			}
			t.Logf("vipd on %s: %s, transitions %v, dropped %v", vipd.Name, st.State, st.Counters.Transitions, st.Counters.Dropped)
		})
	}
}
