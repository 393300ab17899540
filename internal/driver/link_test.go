package driver

import (
	"context"
	"errors"
	"net/netip"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/vipd/vipd/internal/fsm"
	"github.com/vipd/vipd/internal/netif"
	"github.com/vipd/vipd/internal/netif/netiftest"
)

// deleteLink removes the host's interface as unloading its driver would:
// the link is gone, with its addresses, and the sockets bound to it are dead.
func (h *testHost) deleteLink() {
	h.net.Strand()
	h.addrs.SetLink(testLink, false)
	h.links.Set(netif.LinkState{Name: testLink})
}

// recreateLink brings an interface of the same name back under a new index.
func (h *testHost) recreateLink(index int) {
	h.addrs.SetLink(testLink, true)
	h.links.Set(netiftest.Usable(testLink, index))
}

// running reports whether the host's Run has not returned.
func (h *testHost) running() bool {
	select {
	case <-h.done:
		return false
	default:
		return true
	}
}

// TestInterfaceDeletedAndRecreated: a master whose interface disappears
// goes to Fault and keeps running; the backup takes over. When an interface
// of the same name appears again (a new index), the group opens a new
// connection on it, rejoins the election and, preferred, takes the VIP back.
func TestInterfaceDeletedAndRecreated(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		seg := netiftest.NewSegment()
		a, b := electPair(t, ctx, seg)

		a.deleteLink()
		synctest.Wait()
		if a.state(t) != fsm.Fault || a.holdsVIP() || !a.running() {
			t.Fatalf("after deletion a is %v holding=%v running=%v, want a running group in fault without VIP",
				a.state(t), a.holdsVIP(), a.running())
		}
		time.Sleep(5 * time.Second)
		synctest.Wait()
		if b.state(t) != fsm.Master || !b.holdsVIP() {
			t.Fatalf("b is %v holding=%v, want master with the VIP", b.state(t), b.holdsVIP())
		}

		a.recreateLink(9)
		time.Sleep(5 * time.Second)
		synctest.Wait()
		if a.state(t) != fsm.Master || !a.holdsVIP() || b.state(t) != fsm.Backup || b.holdsVIP() {
			t.Fatalf("after re-creation: a=%v(%v) b=%v(%v), want a master with the VIP, b backup",
				a.state(t), a.holdsVIP(), b.state(t), b.holdsVIP())
		}
		if st := a.status(t); st.Link.Index != 9 {
			t.Errorf("a follows link %v, want index 9", st.Link)
		}
		if n := len(a.net.Listened()); n != 2 {
			t.Errorf("a listened %d times, want 2 (once per interface)", n)
		}
		want := []string{"init->backup startup", "backup->master master-down", "master->fault link-down",
			"fault->backup link-up", "backup->master preempt"}
		if diff := cmp.Diff(want, a.hooks.list()); diff != "" {
			t.Errorf("a's hooks (-want +got):\n%s", diff)
		}
		// b hears a's adverts: they leave through the new connection.
		before := b.status(t).Counters.Received
		time.Sleep(3 * time.Second)
		synctest.Wait()
		if got := b.status(t).Counters.Received; got-before < 2 {
			t.Errorf("b received %d adverts in 3 s from the new master, want about 3", got-before)
		}
		stopHosts(cancel, a, b)
	})
}

// TestInterfaceReplacedWhileMaster: an interface replaced under the same
// name without ever being seen absent (renamed in, or a deletion and
// re-creation between two notifications) keeps the master master: it puts
// its VIP back, announces, and its adverts reach the backup through a new
// connection, so the backup does not take over.
func TestInterfaceReplacedWhileMaster(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		seg := netiftest.NewSegment()
		a, b := electPair(t, ctx, seg)
		announced := len(a.ann.Calls())

		a.net.Strand()
		a.addrs.Remove(testLink, testVIP)
		a.links.Set(netiftest.Usable(testLink, 9))
		time.Sleep(10 * time.Second)
		synctest.Wait()
		if a.state(t) != fsm.Master || !a.holdsVIP() || b.state(t) != fsm.Backup {
			t.Fatalf("a=%v holding=%v, b=%v; want a still master with its VIP, b backup", a.state(t), a.holdsVIP(), b.state(t))
		}
		if got := len(a.ann.Calls()); got != announced+1 {
			t.Errorf("a announced %d times after the replacement, want once", got-announced)
		}
		stopHosts(cancel, a, b)
	})
}

// TestListenFailureMeansFault: a group that cannot open its connection
// cannot advertise, so it must not become master on its own (that would be
// two masters); it stays in Fault, retries, and joins the election once the
// connection opens.
func TestListenFailureMeansFault(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		seg := netiftest.NewSegment()
		b := startHost(t, ctx, seg, vrrpConfig("192.0.2.2", 100))
		time.Sleep(5 * time.Second)
		synctest.Wait()

		cfg := vrrpConfig("192.0.2.1", 200)
		a := newHost(seg, cfg)
		a.net.FailListen(errors.New("operation not permitted"))
		a.start(t, ctx, cfg)
		time.Sleep(10 * time.Second)
		synctest.Wait()
		if a.state(t) != fsm.Fault || a.holdsVIP() || b.state(t) != fsm.Master {
			t.Fatalf("a=%v holding=%v, b=%v; want a in fault, b master", a.state(t), a.holdsVIP(), b.state(t))
		}

		a.net.FailListen(nil)
		time.Sleep(openRetryMax + 5*time.Second)
		synctest.Wait()
		if a.state(t) != fsm.Master || !a.holdsVIP() || b.state(t) != fsm.Backup {
			t.Fatalf("after listening worked: a=%v holding=%v, b=%v; want a master", a.state(t), a.holdsVIP(), b.state(t))
		}
		want := []string{"init->fault link-down", "fault->backup link-up", "backup->master preempt"}
		if diff := cmp.Diff(want, a.hooks.list()); diff != "" {
			t.Errorf("a's hooks (-want +got):\n%s", diff)
		}
		stopHosts(cancel, a, b)
	})
}

// TestSourceFoundAgain: with Sources, the group looks its source address
// up each time it opens its connection. An interface that comes back
// without an address keeps the group in Fault until one appears; the
// adverts then leave from the new address with a VRRPv3 checksum over it,
// which the backup accepts.
func TestSourceFoundAgain(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		seg := netiftest.NewSegment()
		cfg := vrrpConfig("192.0.2.1", 200)
		a := newHost(seg, cfg)
		a.sources = netiftest.NewSources()
		a.sources.Set(testLink, netip.MustParseAddr("192.0.2.1"))
		a.start(t, ctx, cfg)
		b := startHost(t, ctx, seg, vrrpConfig("192.0.2.2", 100))
		a.settle(t, fsm.Master)

		a.deleteLink()
		a.sources.Clear(testLink, netif.IPv4)
		time.Sleep(5 * time.Second)
		a.recreateLink(9)
		time.Sleep(5 * time.Second)
		synctest.Wait()
		if a.state(t) != fsm.Fault || b.state(t) != fsm.Master || len(a.net.Listened()) != 1 {
			t.Fatalf("without an address: a=%v b=%v, listened %d times; want a in fault, b master, no new connection",
				a.state(t), b.state(t), len(a.net.Listened()))
		}

		moved := netip.MustParseAddr("192.0.2.11")
		a.sources.Set(testLink, moved)
		time.Sleep(openRetryMax + 5*time.Second)
		synctest.Wait()
		if a.state(t) != fsm.Master || b.state(t) != fsm.Backup {
			t.Fatalf("with the new address: a=%v b=%v, want a master, b backup", a.state(t), b.state(t))
		}
		if got := a.status(t).Source; got != moved {
			t.Errorf("a's source is %v, want %v", got, moved)
		}
		if got := a.status(t).Machine.Self.From; got != moved {
			t.Errorf("a's election compares %v, want the new address %v", got, moved)
		}
		l := a.net.Listened()
		if got := l[len(l)-1].Source; got != moved {
			t.Errorf("a listened with source %v, want %v", got, moved)
		}
		sent := seg.Sent()
		if last := sent[len(sent)-1]; last.Src != moved {
			t.Errorf("the last advert came from %v, want %v", last.Src, moved)
		}
		if n := b.status(t).Counters.Dropped["bad-checksum"]; n != 0 {
			t.Errorf("b dropped %d adverts with a bad checksum: the checksum does not cover the new source", n)
		}
		stopHosts(cancel, a, b)
	})
}

// TestInterfaceMissingAtStart: a group whose interface does not exist yet
// (a NIC whose driver loads late, a VLAN created after vipd started)
// starts in Fault without knowing its address; once the interface appears
// with an address, the group finds it, joins the election and, preferred,
// takes over.
func TestInterfaceMissingAtStart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		seg := netiftest.NewSegment()
		b := startHost(t, ctx, seg, vrrpConfig("192.0.2.2", 100))
		cfg := vrrpConfig("192.0.2.1", 200)
		a := newHost(seg, cfg)
		a.links.Set(netif.LinkState{Name: testLink})
		a.addrs.SetLink(testLink, false)
		a.sources = netiftest.NewSources()
		cfg.Machine.Self.From = netip.Addr{}
		a.start(t, ctx, cfg)
		time.Sleep(5 * time.Second)
		synctest.Wait()
		if a.state(t) != fsm.Fault || b.state(t) != fsm.Master || len(a.net.Listened()) != 0 {
			t.Fatalf("without the interface: a=%v b=%v, listened %d times; want a in fault, b master, no connection",
				a.state(t), b.state(t), len(a.net.Listened()))
		}

		a.sources.Set(testLink, netip.MustParseAddr("192.0.2.1"))
		a.recreateLink(3)
		time.Sleep(5 * time.Second)
		synctest.Wait()
		if a.state(t) != fsm.Master || !a.holdsVIP() || b.state(t) != fsm.Backup {
			t.Fatalf("with the interface: a=%v(%v) b=%v, want a master with the VIP, b backup", a.state(t), a.holdsVIP(), b.state(t))
		}
		if got := a.status(t).Machine.Self.From; got != netip.MustParseAddr("192.0.2.1") {
			t.Errorf("a's machine knows itself as %v, want 192.0.2.1", got)
		}
		want := []string{"init->fault link-down", "fault->backup link-up", "backup->master preempt"}
		if diff := cmp.Diff(want, a.hooks.list()); diff != "" {
			t.Errorf("a's hooks (-want +got):\n%s", diff)
		}
		stopHosts(cancel, a, b)
	})
}
