//go:build e2e

package e2e

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/vishvananda/netlink"

	"github.com/vipd/vipd/internal/lab"
	"github.com/vipd/vipd/internal/lab/labtest"
)

// TestInterfaceDeletedAndRecreated: the master's interface disappears (its
// NIC's driver unloaded, a suspend) and comes back under the same name with
// a new index. vipd keeps running: the group goes to fault and the backup
// takes over; once the interface is back, the group opens new sockets on
// it, rejoins the election and, preferred and preempting, takes the VIP
// back. The client reaches the VIP through all of it but the takeovers.
// (ucarp dies here: its socket stays bound to the old interface.) Over
// IPv6 the new interface also gets a new link-local address, the source of
// the adverts, which vipd must find again.
func TestInterfaceDeletedAndRecreated(t *testing.T) {
	t.Parallel()
	bothFamilies(t, func(t *testing.T, ipv6 bool) {
		ctx := labtest.Context(t, 2*time.Minute)
		l := labtest.StartLab(t, ctx, lab.Options{IPv6: ipv6})
		h1, h2 := l.Host("h1"), l.Host("h2")
		pid := h1.Daemons()[0].Pid()
		before := labtest.GroupStatus(t, ctx, h1, "lab").Link

		if err := h1.DeleteLink(); err != nil {
			t.Fatal(err)
		}
		labtest.SoleAnswerer(t, ctx, l, 0, h2)
		labtest.WaitState(t, ctx, h2, "lab", "master")
		labtest.WaitState(t, ctx, h1, "lab", "fault")
		if h1.HoldsVIP(0) {
			t.Error("h1 holds the VIP without its interface")
		}

		oldLL := linkLocal(t, h1)
		if ipv6 {
			// Random link-local addresses (RFC 7217 style without the
			// secret): the new interface's differs from the old one's.
			if err := h1.Sysctl("net/ipv6/conf/default/addr_gen_mode", "3"); err != nil {
				t.Fatal(err)
			}
		}
		if err := h1.RecreateLink(); err != nil {
			t.Fatal(err)
		}
		if ipv6 {
			deadline := time.Now().Add(waitFor)
			for linkLocal(t, h1) == oldLL || !linkLocal(t, h1).IsValid() {
				if time.Now().After(deadline) {
					t.Fatalf("h1's new interface has the old link-local address %v", oldLL)
				}
				time.Sleep(20 * time.Millisecond)
			}
		}
		labtest.SoleAnswerer(t, ctx, l, 0, h1)
		labtest.WaitState(t, ctx, h1, "lab", "master")
		labtest.WaitState(t, ctx, h2, "lab", "backup")

		if !h1.Running() || h1.Daemons()[0].Pid() != pid {
			t.Errorf("vipd on h1 was restarted (pid %d, was %d)", h1.Daemons()[0].Pid(), pid)
		}
		g := labtest.GroupStatus(t, ctx, h1, "lab")
		if g.Link == before || !strings.Contains(g.Link, "up carrier") {
			t.Errorf("h1 follows link %q, want the new interface (was %q)", g.Link, before)
		}
		for _, reason := range []string{"link-down", "link-up", "preempt"} {
			if g.Counters.Transitions[reason] == 0 {
				t.Errorf("h1 made no %s transition: %v", reason, g.Counters.Transitions)
			}
		}
		// h2 hears the new interface's adverts: it stays backup.
		time.Sleep(time.Second)
		if st := labtest.GroupStatus(t, ctx, h2, "lab"); st.State != "backup" {
			t.Errorf("h2 is %s a second later, want backup", st.State)
		}
	})
}

// TestInterfaceMissingAtStart: vipd starts on a host whose interface does
// not exist yet (a NIC whose driver loads late, a VLAN made after vipd).
// It keeps running with the group in fault, the other host master; once
// the interface appears, the group finds its address there, joins the
// election and, preferred, takes the VIP. keepalived refuses such an
// instance; vipd used to refuse to start.
func TestInterfaceMissingAtStart(t *testing.T) {
	t.Parallel()
	bothFamilies(t, func(t *testing.T, ipv6 bool) {
		ctx := labtest.Context(t, 2*time.Minute)
		l := labtest.NewLab(t, lab.Options{IPv6: ipv6})
		h1, h2 := l.Host("h1"), l.Host("h2")
		if err := h1.DeleteLink(); err != nil {
			t.Fatal(err)
		}
		labtest.StartDaemons(t, ctx, l)
		labtest.SoleAnswerer(t, ctx, l, 0, h2)
		waitControl(t, ctx, h1)
		labtest.WaitState(t, ctx, h1, "lab", "fault")
		if !h1.Running() {
			t.Fatal("vipd on h1 exited without its interface")
		}
		pid := h1.Daemons()[0].Pid()

		if err := h1.RecreateLink(); err != nil {
			t.Fatal(err)
		}
		labtest.SoleAnswerer(t, ctx, l, 0, h1)
		labtest.WaitState(t, ctx, h1, "lab", "master")
		labtest.WaitState(t, ctx, h2, "lab", "backup")
		if h1.Daemons()[0].Pid() != pid {
			t.Errorf("vipd on h1 was restarted")
		}
		if src := labtest.GroupStatus(t, ctx, h1, "lab").Source; src == "" {
			t.Errorf("h1 reports source %q, want its address on the new interface", src)
		}
	})
}

// linkLocal returns the IPv6 link-local address of h's link, or the zero
// Addr.
func linkLocal(t *testing.T, h *lab.Host) netip.Addr {
	t.Helper()
	l, err := h.Netlink().LinkByName(lab.LinkName)
	if err != nil {
		return netip.Addr{}
	}
	as, err := h.Netlink().AddrList(l, netlink.FAMILY_V6)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range as {
		if ip, _ := netip.AddrFromSlice(a.IP); ip.IsLinkLocalUnicast() {
			return ip
		}
	}
	return netip.Addr{}
}
