package ucarpcli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"golang.org/x/sys/unix"
)

// LockDir is where LockNetns keeps its lock files.
const LockDir = "/run/vipd"

// LockNetns makes sure that this is the only vipd ucarp of its network
// namespace, and returns a function that lets go. It holds an flock on a
// file named after the namespace, in dir, for as long as the process runs.
//
// Why: the daemon marks every VIP it adds with one address protocol value
// and removes, on each of its links, the marked addresses it does not hold
// itself. Two vipd daemons in one network namespace would therefore remove
// each other's VIPs, and ucarp installations typically run one process per
// VIP. Until the daemon can tell its addresses from another daemon's, the
// second vipd ucarp refuses to start and says how to run all groups in one
// vipd instead. (A `vipd run` beside a `vipd ucarp` is not caught.)
func LockNetns(dir string) (unlock func(), err error) {
	var st syscall.Stat_t
	if err := syscall.Stat("/proc/self/ns/net", &st); err != nil {
		return nil, fmt.Errorf("ucarpcli: network namespace: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("ucarpcli: %w", err)
	}
	path := filepath.Join(dir, fmt.Sprintf("ucarp-netns-%d-%d.lock", st.Dev, st.Ino))
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("ucarpcli: %w", err)
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, startf("another vipd ucarp runs in this network namespace (it holds %s), "+
				"and two vipd daemons on one host would remove each other's addresses: run all the groups "+
				"in one vipd instead (vipd import ucarp OPTIONS prints each command line as a group for "+
				"/etc/vipd/vipd.yaml; see docs/migrate-from-ucarp.md)", path)
		}
		return nil, fmt.Errorf("ucarpcli: lock %s: %w", path, err)
	}
	return func() { f.Close() }, nil
}
