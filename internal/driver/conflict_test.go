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
// waits one advert interval (the grace period) for an advert that would
// explain it, then counts the claim and re-announces; further claims within
// a second are counted and answered by one more announcement at the end of
// that second, not one each. Backups do not watch, and a master that lost
// its link stops watching and answers nothing it saw before.
func TestConflictReannounced(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		seg := netiftest.NewSegment()
		a, b := electPair(t, ctx, seg)
		if a.claims.Watching(testLink) != 1 || b.claims.Watching(testLink) != 0 {
			t.Fatalf("watches: master %d, backup %d; want 1 and 0", a.claims.Watching(testLink), b.claims.Watching(testLink))
		}
		announced := len(a.ann.Calls())

		start := time.Now()
		if n := a.claims.Claim(vipClaim()); n != 1 {
			t.Fatalf("claim reached %d watches, want 1", n)
		}
		synctest.Wait()
		if st := a.status(t); st.Counters.Conflicts != 0 || len(a.ann.Calls()) != announced {
			t.Fatalf("within the grace period: conflicts %d, announcements +%d; want 0 and +0", st.Counters.Conflicts, len(a.ann.Calls())-announced)
		}
		sent := a.status(t).Counters.Sent
		grace := claimGrace(time.Second)
		time.Sleep(grace)
		synctest.Wait()
		st := a.status(t)
		if st.Counters.Conflicts != 1 || len(a.ann.Calls()) != announced+1 {
			t.Fatalf("after the grace period: conflicts %d, announcements +%d; want 1 and +1", st.Counters.Conflicts, len(a.ann.Calls())-announced)
		}
		if at := a.ann.Calls()[announced].At.Sub(start); at != grace {
			t.Errorf("the re-announcement came %v after the claim, want the grace period %v", at, grace)
		}
		if st.Counters.Sent < sent+1 {
			t.Errorf("the re-announcement sent no advert (the reclaim path sends one)")
		}

		answered := time.Now()
		for range 3 {
			time.Sleep(200 * time.Millisecond)
			a.claims.Claim(vipClaim())
		}
		synctest.Wait()
		if c, n := a.status(t).Counters.Conflicts, len(a.ann.Calls()); c != 1 || n != announced+1 {
			t.Fatalf("three claims within the second: conflicts %d, announcements +%d; want still 1 and +1", c, n-announced)
		}
		time.Sleep(time.Until(answered.Add(200*time.Millisecond + grace)))
		synctest.Wait()
		calls := a.ann.Calls()
		if c := a.status(t).Counters.Conflicts; len(calls) != announced+2 || c != 4 {
			t.Fatalf("after the next grace period: announcements +%d, conflicts %d; want +2 and 4", len(calls)-announced, c)
		}
		time.Sleep(3 * time.Second)
		synctest.Wait()
		if n := len(a.ann.Calls()); n != announced+2 {
			t.Errorf("with no more claims: announcements +%d, want still +2", n-announced)
		}

		a.claims.Claim(vipClaim())
		synctest.Wait()
		a.setCarrier(false) // leaves master within the grace period
		synctest.Wait()
		time.Sleep(2 * grace)
		synctest.Wait()
		if n := a.claims.Watching(testLink); n != 0 {
			t.Errorf("a in fault still has %d watches", n)
		}
		if c, n := a.status(t).Counters.Conflicts, len(a.ann.Calls()); c != 4 || n != announced+2 {
			t.Errorf("a claim just before a left master: conflicts %d, announcements +%d; want still 4 and +2", c, n-announced)
		}
		if c := b.status(t).Counters.Conflicts; c != 0 {
			t.Errorf("b counted %d conflicts as backup", c)
		}
		stopHosts(cancel, a, b)
	})
}

// TestClaimOfATakeoverIsNotAnswered: a better host taking over announces
// the VIPs right after its first advert; the lesser master may see that as
// a claim before the advert, and steps down without counting or answering
// it.
func TestClaimOfATakeoverIsNotAnswered(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		seg := netiftest.NewSegment()
		a := startHost(t, ctx, seg, vrrpConfig("192.0.2.1", 100))
		a.settle(t, fsm.Master)
		announced := len(a.ann.Calls())
		b := startHost(t, ctx, seg, vrrpConfig("192.0.2.2", 200))
		// b preempts when its master-down timer runs out, 3.21875 s after
		// it starts; its announcement reaches a as a claim just before.
		time.Sleep(3200 * time.Millisecond)
		a.claims.Claim(vipClaim())
		time.Sleep(5 * time.Second)
		synctest.Wait()
		if a.state(t) != fsm.Backup || b.state(t) != fsm.Master {
			t.Fatalf("a is %v and b %v, want backup and master", a.state(t), b.state(t))
		}
		if c, n := a.status(t).Counters.Conflicts, len(a.ann.Calls()); c != 0 || n != announced {
			t.Errorf("a counted %d conflicts and announced %d more times, want 0 and 0", c, n-announced)
		}
		stopHosts(cancel, a, b)
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
		time.Sleep(claimGrace(time.Second))
		synctest.Wait()
		if st := a.status(t); st.Counters.Conflicts != 1 || len(a.ann.Calls()) != announced+1 {
			t.Errorf("conflicts %d, announcements +%d; want 1 and +1", st.Counters.Conflicts, len(a.ann.Calls())-announced)
		}
		stopHosts(cancel, a)
	})
}
