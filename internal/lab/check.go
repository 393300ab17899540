package lab

import (
	"fmt"
	"runtime"

	"golang.org/x/sys/unix"
)

// Check reports whether this process may build a lab: it needs to create
// network namespaces (CAP_SYS_ADMIN) and configure them (CAP_NET_ADMIN,
// CAP_NET_RAW), as root or as root of a user namespace (unshare -rn).
func Check() error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends with the goroutine
		errc <- unix.Unshare(unix.CLONE_NEWNET)
	}()
	if err := <-errc; err != nil {
		return fmt.Errorf("lab: cannot create network namespaces (%w): run as root, or unprivileged as `unshare -rn vipd lab` where user namespaces are allowed", err)
	}
	return nil
}
