package lab

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"

	"golang.org/x/sys/unix"
)

// Prefix starts the name of every network namespace (and temporary
// directory) the lab creates: "vipd-lab-<pid>-<run>-<role>", for example
// vipd-lab-4242-1-h1. The process id lets a later run tell a leftover of a
// crashed run (its process is gone) from a lab that is running now.
const Prefix = "vipd-lab-"

var (
	runCounter atomic.Int64
	staleOnce  sync.Once
)

// runName returns the name stem of a new lab: Prefix, this process's id and
// a counter, so that labs built concurrently by one process (parallel
// tests) or by several never share a name.
func runName() string {
	return fmt.Sprintf("%s%d-%d", Prefix, os.Getpid(), runCounter.Add(1))
}

// RemoveStale removes the named namespaces that labs of processes which no
// longer exist left under /run/netns (a lab killed with SIGKILL cannot clean
// up). Labs of running processes are left alone. It returns the names it
// removed. New calls it once per process.
func RemoveStale() ([]string, error) {
	entries, err := os.ReadDir(runDir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("lab: list %s: %w", runDir, err)
	}
	var removed []string
	var errs []error
	for _, e := range entries {
		pid, ok := ownerPID(e.Name())
		if !ok || processAlive(pid) {
			continue
		}
		if err := removeNamed(e.Name()); err != nil {
			errs = append(errs, err)
			continue
		}
		removed = append(removed, e.Name())
	}
	return removed, errors.Join(errs...)
}

// ownerPID extracts the process id from a name made by runName.
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

// processAlive reports whether a process with this id exists.
func processAlive(pid int) bool {
	err := unix.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
