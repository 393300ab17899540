package driver

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/vipd/vipd/internal/fsm"
	"github.com/vipd/vipd/internal/netif"
	"github.com/vipd/vipd/internal/netif/netiftest"
)

var intruder = netif.MAC{0x02, 0x00, 0x5e, 0x00, 0x00, 0x66}

func vipClaim() netif.Claim {
	return netif.Claim{Link: testLink, Addr: testVIP.Addr(), MAC: intruder, Kind: netif.ClaimARPReply}
}

// TestConflictReannounced: a master that sees another host claim its VIP
// counts the claim and re-announces at once; further claims within a second
// are counted and answered by one more announcement at the end of that
// second, not one each. Backups do not watch, and a master that lost its
// link stops watching.
func TestConflictReannounced(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		seg := netiftest.NewSegment()
		a := startHost(t, ctx, seg, vrrpConfig("192.0.2.1", 200))
		b := startHost(t, ctx, seg, vrrpConfig("192.0.2.2", 100))
		time.Sleep(5 * time.Second)
		synctest.Wait()
		if a.state(t) != fsm.Master {
			t.Fatalf("a is %v, want master", a.state(t))
		}
		if a.claims.Watching(testLink) != 1 || b.claims.Watching(testLink) != 0 {
			t.Fatalf("watches: master %d, backup %d; want 1 and 0", a.claims.Watching(testLink), b.claims.Watching(testLink))
		}
		announced := len(a.ann.Calls())
		sent := a.status(t).Counters.Sent

		start := time.Now()
		if n := a.claims.Claim(vipClaim()); n != 1 {
			t.Fatalf("claim reached %d watches, want 1", n)
		}
		synctest.Wait()
		st := a.status(t)
		if st.Counters.Conflicts != 1 || len(a.ann.Calls()) != announced+1 {
			t.Fatalf("after one claim: conflicts %d, announcements +%d; want 1 and +1", st.Counters.Conflicts, len(a.ann.Calls())-announced)
		}
		if st.Counters.Sent != sent+1 {
			t.Errorf("after one claim a sent %d adverts, want 1 at once (the reclaim path)", st.Counters.Sent-sent)
		}

		for range 3 {
			time.Sleep(200 * time.Millisecond)
			a.claims.Claim(vipClaim())
		}
		synctest.Wait()
		if c, n := a.status(t).Counters.Conflicts, len(a.ann.Calls()); c != 4 || n != announced+1 {
			t.Fatalf("three claims within the second: conflicts %d, announcements +%d; want 4 and still +1", c, n-announced)
		}
		time.Sleep(time.Until(start.Add(reclaimGap)))
		synctest.Wait()
		calls := a.ann.Calls()
		if len(calls) != announced+2 {
			t.Fatalf("at the end of the second: announcements +%d, want +2", len(calls)-announced)
		}
		if at := calls[len(calls)-1].At.Sub(start); at != reclaimGap {
			t.Errorf("the held-back announcement came %v after the first claim, want %v", at, reclaimGap)
		}
		time.Sleep(3 * time.Second)
		synctest.Wait()
		if n := len(a.ann.Calls()); n != announced+2 {
			t.Errorf("with no more claims: announcements +%d, want still +2", n-announced)
		}

		a.setCarrier(false)
		synctest.Wait()
		if n := a.claims.Watching(testLink); n != 0 {
			t.Errorf("a in fault still has %d watches", n)
		}
		a.claims.Claim(vipClaim())
		synctest.Wait()
		if c := a.status(t).Counters.Conflicts; c != 4 {
			t.Errorf("conflicts %d after a left master, want 4", c)
		}
		if c := b.status(t).Counters.Conflicts; c != 0 {
			t.Errorf("b counted %d conflicts as backup", c)
		}
		cancel()
		<-a.done
		<-b.done
	})
}

// TestConflictWatchFollowsInterface: the watch belongs to the interface
// that had the name when it started; a replaced interface gets a new one.
func TestConflictWatchFollowsInterface(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		seg := netiftest.NewSegment()
		a := startHost(t, ctx, seg, vrrpConfig("192.0.2.1", 255))
		time.Sleep(time.Second)
		synctest.Wait()
		a.links.Set(netiftest.Usable(testLink, 9))
		synctest.Wait()
		if n, m := a.claims.Watching(testLink), a.claims.Started(testLink); n != 1 || m != 2 {
			t.Fatalf("after the interface was replaced a has %d watches of %d started, want 1 of 2", n, m)
		}
		time.Sleep(2 * time.Second) // past the gap since any earlier re-announcement
		announced := len(a.ann.Calls())
		a.claims.Claim(vipClaim())
		synctest.Wait()
		if st := a.status(t); st.Counters.Conflicts != 1 || len(a.ann.Calls()) != announced+1 {
			t.Errorf("conflicts %d, announcements +%d; want 1 and +1", st.Counters.Conflicts, len(a.ann.Calls())-announced)
		}
		cancel()
		<-a.done
	})
}
