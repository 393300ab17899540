//go:build linux

// Package nstest builds small networks in network namespaces for tests that
// need a real kernel: namespaces, veth pairs between them, bridges,
// addresses. Everything it creates is removed by t.Cleanup, also when the
// test fails, and namespaces that crashed test processes left behind are
// removed at the next use.
//
// Rules it keeps: namespaces are named Prefix followed by the test
// process's id and a counter ("vipdt-4242-3"), so that test packages
// running in parallel never touch each other's, and a leftover is
// recognised by its dead process. Links live only inside these namespaces:
// a veth pair is created with both ends already in their namespaces, so no
// test link ever appears in the root namespace and no namespace gets a link
// to it or a default route. Use addresses from the documentation ranges
// (192.0.2.0/24, 198.51.100.0/24, 2001:db8::/32).
//
// Tests call Require first (New does): without the privileges to create
// network namespaces the test is skipped with the reason, or fails when the
// environment variable VIPD_REQUIRE_NETNS is 1 (as in CI). It works as root
// and in an unprivileged user namespace (unshare -rn), where namespaces stay
// anonymous because /run/netns cannot be written.
package nstest

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

// Prefix starts the name of every namespace this package creates.
const Prefix = "vipdt-"

// RequireEnv names the environment variable that turns skips into failures.
const RequireEnv = "VIPD_REQUIRE_NETNS"

// runDir is where iproute2 keeps named namespaces.
const runDir = "/run/netns"

var (
	probeOnce sync.Once
	probeErr  error
	cleanOnce sync.Once
	counter   atomic.Int64
)

// Missing skips t for want of something a privileged tier needs (root, a
// program from a Debian package), or fails it when RequireEnv is 1, so
// that CI, which installs everything, never counts a skip as a pass.
func Missing(t testing.TB, reason string) {
	t.Helper()
	if os.Getenv(RequireEnv) == "1" {
		t.Fatalf("%s=1 but %s", RequireEnv, reason)
	}
	t.Skip(reason)
}

// Require skips the test unless this process can create network namespaces
// (and so has CAP_SYS_ADMIN and CAP_NET_ADMIN over them); with
// VIPD_REQUIRE_NETNS=1 it fails the test instead.
func Require(t testing.TB) {
	t.Helper()
	probeOnce.Do(func() {
		var h netns.NsHandle
		h, probeErr = newNS("")
		if probeErr == nil {
			_ = h.Close()
		}
	})
	if probeErr != nil {
		Missing(t, fmt.Sprintf("cannot create network namespaces (run as root or under unshare -rn): %v", probeErr))
	}
}

// NS is a network namespace made for one test.
type NS struct {
	// Name is the namespace's name under /run/netns ("ip netns exec NAME"
	// works), or "" when it could not be named (unprivileged runs).
	Name string
	h    netns.NsHandle
	nl   *netlink.Handle
}

// New creates a network namespace with its loopback up and IPv6 duplicate
// address detection off (so link-local addresses are usable at once), and
// removes it when the test ends.
func New(t testing.TB) *NS {
	t.Helper()
	Require(t)
	cleanOnce.Do(removeStale)
	name := fmt.Sprintf("%s%d-%d", Prefix, os.Getpid(), counter.Add(1))
	h, err := newNS(name)
	if err != nil {
		// Not allowed to name it (no write access to /run/netns): anonymous.
		name = ""
		h, err = newNS("")
	}
	if err != nil {
		t.Fatalf("nstest: create network namespace: %v", err)
	}
	ns := &NS{Name: name, h: h}
	t.Cleanup(func() {
		if ns.nl != nil {
			ns.nl.Close()
		}
		_ = ns.h.Close()
		if name != "" {
			if err := removeNamed(name); err != nil {
				t.Errorf("nstest: remove namespace %s: %v", name, err)
			}
		}
	})
	ns.nl, err = netlink.NewHandleAt(h)
	if err != nil {
		t.Fatalf("nstest: netlink handle in %s: %v", ns, err)
	}
	ns.LinkUp(t, "lo")
	ns.Sysctl(t, "net/ipv6/conf/all/accept_dad", "0")
	ns.Sysctl(t, "net/ipv6/conf/default/accept_dad", "0")
	return ns
}

// String names the namespace for messages.
func (ns *NS) String() string {
	if ns.Name != "" {
		return ns.Name
	}
	return "netns(" + ns.h.UniqueId() + ")"
}

// Handle returns the namespace's file descriptor handle (owned by ns).
func (ns *NS) Handle() netns.NsHandle { return ns.h }

// Netlink returns a netlink handle working in the namespace (owned by ns).
func (ns *NS) Netlink() *netlink.Handle { return ns.nl }

// Do runs f on the calling goroutine with its thread switched into the
// namespace, and switches back afterwards. Sockets that f opens stay in the
// namespace. Goroutines that f starts do not run in it. f may call t.Fatal.
func (ns *NS) Do(t testing.TB, f func()) {
	t.Helper()
	runtime.LockOSThread()
	cur, err := netns.Get()
	if err != nil {
		runtime.UnlockOSThread()
		t.Fatalf("nstest: current namespace: %v", err)
	}
	if err := netns.Set(ns.h); err != nil {
		_ = cur.Close()
		runtime.UnlockOSThread()
		t.Fatalf("nstest: enter %s: %v", ns, err)
	}
	defer func() {
		if err := netns.Set(cur); err != nil {
			// The thread stays locked, so the runtime discards it when
			// this goroutine ends; nothing else runs in the wrong namespace.
			t.Errorf("nstest: leave %s: %v", ns, err)
		} else {
			runtime.UnlockOSThread()
		}
		_ = cur.Close()
	}()
	f()
}

// Start starts cmd (not yet started) inside the namespace: a child process
// inherits the network namespace of the thread that creates it, so cmd is
// started from a thread switched into the namespace. The caller waits for
// it (or kills it) as usual. This works for anonymous namespaces too, where
// "ip netns exec" cannot.
func (ns *NS) Start(t testing.TB, cmd *exec.Cmd) {
	t.Helper()
	ns.Do(t, func() {
		if err := cmd.Start(); err != nil {
			t.Fatalf("nstest: start %v in %s: %v", cmd.Args, ns, err)
		}
	})
}

// Sysctl writes value to /proc/sys/path (such as
// "net/ipv4/conf/all/arp_accept") inside the namespace.
func (ns *NS) Sysctl(t testing.TB, path, value string) {
	t.Helper()
	ns.Do(t, func() {
		if err := os.WriteFile(filepath.Join("/proc/sys", path), []byte(value), 0o644); err != nil {
			t.Fatalf("nstest: sysctl %s=%s in %s: %v", path, value, ns, err)
		}
	})
}

// Link returns the named link of the namespace.
func (ns *NS) Link(t testing.TB, name string) netlink.Link {
	t.Helper()
	l, err := ns.nl.LinkByName(name)
	if err != nil {
		t.Fatalf("nstest: link %s in %s: %v", name, ns, err)
	}
	return l
}

// Interface returns the named link as a net.Interface (index, name, MAC,
// MTU, flags), without asking the calling thread's namespace.
func (ns *NS) Interface(t testing.TB, name string) *net.Interface {
	t.Helper()
	a := ns.Link(t, name).Attrs()
	return &net.Interface{Index: a.Index, Name: a.Name, HardwareAddr: a.HardwareAddr, MTU: a.MTU, Flags: a.Flags}
}

// LinkUp sets the named link administratively up.
func (ns *NS) LinkUp(t testing.TB, name string) {
	t.Helper()
	if err := ns.nl.LinkSetUp(ns.Link(t, name)); err != nil {
		t.Fatalf("nstest: set %s up in %s: %v", name, ns, err)
	}
}

// LinkDown sets the named link administratively down.
func (ns *NS) LinkDown(t testing.TB, name string) {
	t.Helper()
	if err := ns.nl.LinkSetDown(ns.Link(t, name)); err != nil {
		t.Fatalf("nstest: set %s down in %s: %v", name, ns, err)
	}
}

// DeleteLink deletes the named link (a veth takes its peer with it).
func (ns *NS) DeleteLink(t testing.TB, name string) {
	t.Helper()
	if err := ns.nl.LinkDel(ns.Link(t, name)); err != nil {
		t.Fatalf("nstest: delete %s in %s: %v", name, ns, err)
	}
}

// AddAddr adds an address the way "ip addr add PREFIX dev LINK" does.
func (ns *NS) AddAddr(t testing.TB, link string, p netip.Prefix) {
	t.Helper()
	a := &netlink.Addr{IPNet: &net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}}
	if p.Addr().Is4() {
		a.Broadcast = net.IPv4zero // no broadcast address, as ip does by default
	}
	if err := ns.nl.AddrAdd(ns.Link(t, link), a); err != nil {
		t.Fatalf("nstest: add %s to %s in %s: %v", p, link, ns, err)
	}
}

// Veth creates a veth pair, end aName in namespace a and end bName in
// namespace b, both up. Link names must be at most 15 bytes.
func Veth(t testing.TB, a *NS, aName string, b *NS, bName string) {
	t.Helper()
	for _, n := range []string{aName, bName} {
		if len(n) > unix.IFNAMSIZ-1 {
			t.Fatalf("nstest: link name %q longer than %d bytes", n, unix.IFNAMSIZ-1)
		}
	}
	v := &netlink.Veth{
		LinkAttrs:     netlink.LinkAttrs{Name: aName},
		PeerName:      bName,
		PeerNamespace: netlink.NsFd(int(b.h)),
	}
	if err := a.nl.LinkAdd(v); err != nil {
		t.Fatalf("nstest: add veth %s (%s) - %s (%s): %v", aName, a, bName, b, err)
	}
	a.LinkUp(t, aName)
	b.LinkUp(t, bName)
}

// Bridge creates a bridge named name in the namespace with the named links
// as ports, all up.
func (ns *NS) Bridge(t testing.TB, name string, ports ...string) {
	t.Helper()
	br := &netlink.Bridge{LinkAttrs: netlink.LinkAttrs{Name: name}}
	if err := ns.nl.LinkAdd(br); err != nil {
		t.Fatalf("nstest: add bridge %s in %s: %v", name, ns, err)
	}
	brl := ns.Link(t, name)
	for _, p := range ports {
		if err := ns.nl.LinkSetMaster(ns.Link(t, p), brl); err != nil {
			t.Fatalf("nstest: add %s to bridge %s in %s: %v", p, name, ns, err)
		}
		ns.LinkUp(t, p)
	}
	ns.LinkUp(t, name)
}

// newNS creates a network namespace, named under /run/netns if name is not
// empty. The calling goroutine's thread is not touched: the work happens on
// a goroutine whose thread the runtime discards afterwards.
func newNS(name string) (netns.NsHandle, error) {
	type result struct {
		h   netns.NsHandle
		err error
	}
	done := make(chan result, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends with the goroutine
		if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
			done <- result{-1, fmt.Errorf("unshare: %w", err)}
			return
		}
		h, err := netns.Get()
		if err != nil {
			done <- result{-1, err}
			return
		}
		if name != "" {
			if err := bindNamed(name); err != nil {
				_ = h.Close()
				done <- result{-1, err}
				return
			}
		}
		done <- result{h, nil}
	}()
	r := <-done
	return r.h, r.err
}

// bindNamed bind-mounts the calling thread's network namespace on
// /run/netns/name, as "ip netns add" does.
func bindNamed(name string) error {
	if err := os.MkdirAll(runDir, 0o755); err != nil {
		return err
	}
	target := filepath.Join(runDir, name)
	f, err := os.OpenFile(target, os.O_RDONLY|os.O_CREATE|os.O_EXCL, 0o444)
	if err != nil {
		return err
	}
	_ = f.Close()
	src := fmt.Sprintf("/proc/%d/task/%d/ns/net", os.Getpid(), unix.Gettid())
	if err := unix.Mount(src, target, "none", unix.MS_BIND, ""); err != nil {
		_ = os.Remove(target)
		return fmt.Errorf("mount %s: %w", target, err)
	}
	return nil
}

// removeNamed unmounts and removes /run/netns/name. The namespace itself
// goes when nothing refers to it any more.
func removeNamed(name string) error {
	target := filepath.Join(runDir, name)
	if err := unix.Unmount(target, unix.MNT_DETACH); err != nil && !errors.Is(err, unix.EINVAL) && !errors.Is(err, unix.ENOENT) {
		return fmt.Errorf("unmount: %w", err)
	}
	if err := os.Remove(target); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// removeStale removes namespaces named by this package whose test process
// is gone.
func removeStale() {
	entries, err := os.ReadDir(runDir)
	if err != nil {
		return
	}
	for _, e := range entries {
		pid, ok := ownerPID(e.Name())
		if !ok || processAlive(pid) {
			continue
		}
		_ = removeNamed(e.Name())
	}
}

// ownerPID extracts the process id from a name made by New.
func ownerPID(name string) (int, bool) {
	rest, ok := strings.CutPrefix(name, Prefix)
	if !ok {
		return 0, false
	}
	pidText, _, ok := strings.Cut(rest, "-")
	if !ok {
		return 0, false
	}
	pid, err := strconv.Atoi(pidText)
	return pid, err == nil && pid > 0
}

func processAlive(pid int) bool {
	err := unix.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
