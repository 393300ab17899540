package driver

import (
	"context"
	"net/netip"
	"testing"
	"testing/synctest"
	"time"

	"github.com/vipd/vipd/internal/fsm"
	"github.com/vipd/vipd/internal/netif"
	"github.com/vipd/vipd/internal/netif/netiftest"
)

// TestMasterDownCountsFromArrival: a backup times the master's silence
// from when the kernel received its last advert (Packet.At), not from when
// the loop read it, so a late reader does not lengthen a takeover; but an
// advert that waited longer than maxArrivalLag (the loop had stalled)
// counts from maxArrivalLag before its read, so that reading it still
// puts the takeover off.
func TestMasterDownCountsFromArrival(t *testing.T) {
	for _, tc := range []struct {
		name        string
		lag, counts time.Duration // read − arrival, read − what counts
	}{
		{"read 1.5 ms late", 1500 * time.Microsecond, 1500 * time.Microsecond},
		{"read 500 ms late", 500 * time.Millisecond, maxArrivalLag},
	} {
		t.Run(tc.name, func(t *testing.T) { testArrival(t, tc.lag, tc.counts) })
	}
}

func testArrival(t *testing.T, lag, counts time.Duration) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		seg := netiftest.NewSegment()
		b := startHost(t, ctx, seg, vrrpConfig("192.0.2.2", 100))
		time.Sleep(2 * time.Second)
		synctest.Wait()

		master := vrrpConfig("192.0.2.1", 200)
		w, _, _ := newVRRPWire(&master)
		arrived := time.Now().Add(-lag)
		seg.Inject(netif.Packet{
			Payload: w.encode(nil, master.Machine.Self, netif.GroupIPv4, arrived),
			Src:     netip.MustParseAddr("192.0.2.1"), Dst: netif.GroupIPv4, TTL: 255,
			Link: testLink, At: arrived,
		})
		// 3 × 1 s + (256 − 100)/256 s of skew after what counts.
		takeover := time.Now().Add(-counts + 3*time.Second + 609375*time.Microsecond)

		time.Sleep(time.Until(takeover.Add(-time.Millisecond)))
		synctest.Wait()
		if st := b.status(t); st.Machine.State != fsm.Backup {
			t.Fatalf("1 ms before master-down: %v, want backup", st.Machine.State)
		}
		time.Sleep(2 * time.Millisecond)
		synctest.Wait()
		if st := b.status(t); st.Machine.State != fsm.Master {
			t.Fatalf("1 ms after master-down: %v, want master", st.Machine.State)
		}
		stopHosts(cancel, b)
	})
}
