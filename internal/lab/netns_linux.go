package lab

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

// netNS is a network namespace the lab created. One goroutine, locked to an
// OS thread that lives in the namespace, runs the work that must happen
// inside it: opening sockets (a socket stays in the namespace it was created
// in) and starting processes (a child inherits its creating thread's
// namespace). That thread lives until close, so children started with a
// parent-death signal keep running until the lab ends.
type netNS struct {
	// name is the namespace's name under /run/netns ("ip netns exec" works
	// with it), or "" when it could not be named (unprivileged runs).
	name string
	h    netns.NsHandle
	nl   *netlink.Handle
	work chan func()
	quit chan struct{} // closed by close
	done chan struct{} // closed when the thread has ended
}

// runDir is where iproute2 keeps named namespaces.
const runDir = "/run/netns"

// newNetNS creates a network namespace, named name under /run/netns when
// that is allowed and anonymous otherwise, with its loopback up and IPv6
// duplicate address detection off.
func newNetNS(name string) (*netNS, error) {
	ns := &netNS{work: make(chan func()), quit: make(chan struct{}), done: make(chan struct{})}
	ready := make(chan error, 1)
	go ns.serve(name, ready)
	if err := <-ready; err != nil {
		return nil, err
	}
	nl, err := netlink.NewHandleAt(ns.h)
	if err != nil {
		_ = ns.close()
		return nil, fmt.Errorf("lab: netlink handle in %s: %w", ns, err)
	}
	ns.nl = nl
	if err := ns.setup(); err != nil {
		_ = ns.close()
		return nil, err
	}
	return ns, nil
}

// serve creates the namespace on its own locked thread, reports on ready,
// then runs work until close. The thread is never unlocked: the runtime
// ends it with the goroutine, so no other goroutine ever runs in the
// namespace by accident.
func (ns *netNS) serve(name string, ready chan<- error) {
	runtime.LockOSThread()
	defer close(ns.done)
	if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
		ready <- fmt.Errorf("lab: create network namespace: %w", err)
		return
	}
	h, err := netns.Get()
	if err != nil {
		ready <- fmt.Errorf("lab: open network namespace: %w", err)
		return
	}
	ns.h = h
	if name != "" && bindNamed(name) == nil {
		ns.name = name
	}
	ready <- nil
	for {
		select {
		case f := <-ns.work:
			f()
		case <-ns.quit:
			return
		}
	}
}

// setup brings loopback up and turns IPv6 duplicate address detection off,
// so that addresses are usable at once.
func (ns *netNS) setup() error {
	lo, err := ns.nl.LinkByName("lo")
	if err == nil {
		err = ns.nl.LinkSetUp(lo)
	}
	if err != nil {
		return fmt.Errorf("lab: loopback up in %s: %w", ns, err)
	}
	for _, p := range []string{"net/ipv6/conf/all/accept_dad", "net/ipv6/conf/default/accept_dad"} {
		if err := ns.sysctl(p, "0"); err != nil {
			return err
		}
	}
	return nil
}

// String names the namespace for messages.
func (ns *netNS) String() string {
	if ns.name != "" {
		return ns.name
	}
	return "netns(" + ns.h.UniqueId() + ")"
}

// errClosed is returned by do after close.
var errClosed = errors.New("lab: namespace closed")

// do runs f on the namespace's thread and returns its error.
func (ns *netNS) do(f func() error) error {
	errc := make(chan error, 1)
	select {
	case ns.work <- func() { errc <- f() }:
	case <-ns.quit:
		return errClosed
	}
	return <-errc
}

// sysctl writes value to /proc/sys/path inside the namespace.
func (ns *netNS) sysctl(path, value string) error {
	return ns.do(func() error {
		if err := os.WriteFile(filepath.Join("/proc/sys", path), []byte(value), 0o644); err != nil {
			return fmt.Errorf("lab: sysctl %s=%s in %s: %w", path, value, ns, err)
		}
		return nil
	})
}

// close ends the namespace's thread and drops the lab's references to the
// namespace; the kernel removes it once no process or socket uses it. It is
// called once.
func (ns *netNS) close() error {
	close(ns.quit)
	<-ns.done
	if ns.nl != nil {
		ns.nl.Close()
	}
	var err error
	if ns.name != "" {
		err = removeNamed(ns.name)
	}
	if ns.h.IsOpen() {
		_ = ns.h.Close()
	}
	return err
}

// bindNamed bind-mounts the calling thread's network namespace on
// /run/netns/name, as "ip netns add" does.
func bindNamed(name string) error {
	if err := os.MkdirAll(runDir, 0o755); err != nil {
		return err
	}
	if err := shareRunDir(); err != nil {
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
		return err
	}
	return nil
}

// shareRunDir makes /run/netns a shared mount of its own, as "ip netns
// add" does before its first bind mount. Otherwise the first later "ip
// netns add" (from anyone) bind-mounts /run/netns over itself and hides
// the lab's mounts beneath, so that the lab can no longer unmount them.
func shareRunDir() error {
	runDirOnce.Do(func() {
		err := unix.Mount("", runDir, "none", unix.MS_SHARED|unix.MS_REC, "")
		if errors.Is(err, unix.EINVAL) { // not a mount point yet
			if err = unix.Mount(runDir, runDir, "none", unix.MS_BIND|unix.MS_REC, ""); err == nil {
				err = unix.Mount("", runDir, "none", unix.MS_SHARED|unix.MS_REC, "")
			}
		}
		if err != nil {
			runDirErr = fmt.Errorf("lab: share %s: %w", runDir, err)
		}
	})
	return runDirErr
}

var (
	runDirOnce sync.Once
	runDirErr  error
)

// removeNamed unmounts and removes /run/netns/name.
func removeNamed(name string) error {
	target := filepath.Join(runDir, name)
	if err := unix.Unmount(target, unix.MNT_DETACH); err != nil && !errors.Is(err, unix.EINVAL) && !errors.Is(err, unix.ENOENT) {
		return fmt.Errorf("lab: unmount %s: %w", target, err)
	}
	if err := os.Remove(target); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("lab: %w", err)
	}
	return nil
}
