//go:build netns

package nstest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
)

func TestNewIsNamedIsolatedAndRemoved(t *testing.T) {
	var name string
	t.Run("create", func(t *testing.T) {
		ns := New(t)
		name = ns.Name
		if name != "" {
			if !strings.HasPrefix(name, Prefix) {
				t.Fatalf("name %q lacks prefix %q", name, Prefix)
			}
			if _, err := os.Stat(filepath.Join(runDir, name)); err != nil {
				t.Fatalf("not visible to ip netns: %v", err)
			}
		}
		root, err := netns.Get()
		if err != nil {
			t.Fatal(err)
		}
		defer root.Close()
		ns.Do(t, func() {
			cur, err := netns.Get()
			if err != nil {
				t.Fatal(err)
			}
			defer cur.Close()
			if cur.Equal(root) || !cur.Equal(ns.Handle()) {
				t.Error("Do did not run inside the namespace")
			}
		})
		after, err := netns.Get()
		if err != nil {
			t.Fatal(err)
		}
		defer after.Close()
		if !after.Equal(root) {
			t.Error("Do did not switch the thread back")
		}
		links, err := ns.Netlink().LinkList()
		if err != nil {
			t.Fatal(err)
		}
		if len(links) != 1 || links[0].Attrs().Name != "lo" || links[0].Attrs().Flags&1 == 0 {
			t.Errorf("a new namespace should hold only lo, up; got %d links", len(links))
		}
		routes, err := ns.Netlink().RouteList(nil, netlink.FAMILY_ALL)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range routes {
			if r.Dst == nil {
				t.Errorf("default route in a test namespace: %v", r)
			}
		}
	})
	if name == "" {
		t.Skip("namespaces stay anonymous here (no write access to /run/netns); naming not checked")
	}
	if _, err := os.Stat(filepath.Join(runDir, name)); !os.IsNotExist(err) {
		t.Fatalf("%s still there after the test: %v", name, err)
	}
}

func TestVethStaysOutOfTheRootNamespace(t *testing.T) {
	a, b := New(t), New(t)
	Veth(t, a, "vipdt-va", b, "vipdt-vb")
	a.Bridge(t, "vipdt-br", "vipdt-va")
	roots, err := netlink.LinkList()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range roots {
		if strings.HasPrefix(l.Attrs().Name, "vipdt-v") || l.Attrs().Name == "vipdt-br" {
			t.Errorf("test link %s in the root namespace", l.Attrs().Name)
		}
	}
	if got := b.Link(t, "vipdt-vb").Attrs().Index; got == 0 {
		t.Error("peer end missing in b")
	}
	if master := a.Link(t, "vipdt-va").Attrs().MasterIndex; master != a.Link(t, "vipdt-br").Attrs().Index {
		t.Errorf("vipdt-va not a port of vipdt-br")
	}
}

func TestRemoveStale(t *testing.T) {
	Require(t)
	// A process that has ended leaves its pid unused (for a while).
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	dead := cmd.Process.Pid
	stale := Prefix + strconv.Itoa(dead) + "-1"
	h, err := newNS(stale)
	if err != nil {
		t.Skipf("cannot name namespaces here: %v", err)
	}
	_ = h.Close()
	t.Cleanup(func() { _ = removeNamed(stale) })
	live := New(t) // named after this (living) process
	removeStale()
	if _, err := os.Stat(filepath.Join(runDir, stale)); !os.IsNotExist(err) {
		t.Errorf("stale %s not removed: %v", stale, err)
	}
	if _, err := os.Stat(filepath.Join(runDir, live.Name)); err != nil {
		t.Errorf("live %s removed: %v", live.Name, err)
	}
}

func TestStartRunsInTheNamespace(t *testing.T) {
	a, b := New(t), New(t)
	Veth(t, a, "vipdt-sa", b, "vipdt-sb")
	var out strings.Builder
	cmd := exec.Command("ip", "-o", "link", "show")
	cmd.Stdout = &out
	a.Start(t, cmd)
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "vipdt-sa") || strings.Contains(out.String(), "vipdt-sb") {
		t.Fatalf("ip link in a shows:\n%s", out.String())
	}
}
