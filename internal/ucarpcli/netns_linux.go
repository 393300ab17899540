package ucarpcli

import (
	"errors"
	"fmt"
	"net"
	"syscall"
)

// LockName is the name LockNetns holds in the network namespace's abstract
// Unix socket namespace.
const LockName = "vipd-ucarp"

// LockNetns makes sure that this is the only vipd ucarp of its network
// namespace, and returns a function that lets go. It binds the abstract
// Unix socket "@" + name, which the kernel scopes to the network namespace
// and releases when the process ends however it ends: no file to create
// (so it also works unprivileged) or to leave behind. Tests pass a name of
// their own.
//
// Why: the daemon marks every VIP it adds with one address protocol value
// and removes, on each of its links, the marked addresses it does not hold
// itself. Two vipd daemons in one network namespace would therefore remove
// each other's VIPs, and ucarp installations typically run one process per
// VIP. Until the daemon can tell its addresses from another daemon's, the
// second vipd ucarp refuses to start and says how to run all groups in one
// vipd instead. (A `vipd run` beside a `vipd ucarp` is not caught.)
func LockNetns(name string) (unlock func(), err error) {
	ln, err := net.Listen("unix", "@"+name)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return nil, startf("another vipd ucarp runs in this network namespace (it holds the abstract socket @%s), "+
				"and two vipd daemons on one host would remove each other's addresses: run all the groups "+
				"in one vipd instead (vipd import ucarp OPTIONS prints each command line as a group for "+
				"/etc/vipd/vipd.yaml; see docs/migrate-from-ucarp.md)", name)
		}
		return nil, fmt.Errorf("ucarpcli: lock @%s: %w", name, err)
	}
	return func() { ln.Close() }, nil
}
