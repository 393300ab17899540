package ucarpcli

import (
	"fmt"
	"os"
	"syscall"
)

// daemonEnv marks the background copy of vipd ucarp that Daemonize starts.
const daemonEnv = "VIPD_UCARP_DAEMONIZED"

// Daemonized reports whether this process is the background copy Daemonize
// started, and removes the mark from the environment.
func Daemonized() bool {
	if os.Getenv(daemonEnv) != "1" {
		return false
	}
	_ = os.Unsetenv(daemonEnv)
	return true
}

// Daemonize is -B: it starts this program again with the same arguments and
// working directory in a new session, its standard input, output and error
// on /dev/null, marked so that it runs instead of daemonizing again, and
// returns the new process's id. The caller exits 0, as ucarp's parent does
// after it forks; the command line has been checked by then, so a bad one
// still fails in the foreground.
//
// Go cannot fork a running program, hence the new process: it parses the
// same command line again.
func Daemonize() (int, error) {
	exe, err := os.Executable()
	if err != nil {
		return 0, fmt.Errorf("ucarpcli: daemonize: %w", err)
	}
	null, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
	if err != nil {
		return 0, fmt.Errorf("ucarpcli: daemonize: %w", err)
	}
	defer null.Close()
	p, err := os.StartProcess(exe, os.Args, &os.ProcAttr{
		Dir:   Dir(),
		Env:   append(os.Environ(), daemonEnv+"=1"),
		Files: []*os.File{null, null, null},
		Sys:   &syscall.SysProcAttr{Setsid: true},
	})
	if err != nil {
		return 0, fmt.Errorf("ucarpcli: daemonize: %w", err)
	}
	pid := p.Pid
	_ = p.Release()
	return pid, nil
}
