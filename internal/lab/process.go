package lab

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// Process is a program the lab started inside a node's namespace: a
// failover daemon or a helper. It runs in its own process group, so that a
// daemon's children (keepalived's VRRP process, ucarp's scripts) can be
// signalled with it; the lab signals only that group and that pid, and a
// parent-death signal ends it if the lab's process dies.
type Process struct {
	// Name says what it is, for messages ("keepalived on h1").
	Name string
	// LogPath is the file that collects its standard output and error.
	LogPath string

	cmd  *exec.Cmd
	done chan struct{}
	err  error // Wait's result, set before done closes
}

// StartProcess starts argv inside n's namespace with its output appended
// to logPath (created if missing) and env added to the lab's environment.
func (n *Node) StartProcess(name, logPath string, env []string, argv ...string) (*Process, error) {
	if len(argv) == 0 {
		return nil, fmt.Errorf("lab: start %s: empty command", name)
	}
	logf, err := os.OpenFile(logPath, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lab: start %s: %w", name, err)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.Env = append(os.Environ(), env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	err = n.Start(cmd)
	_ = logf.Close() // the child has its own copy
	if err != nil {
		return nil, err
	}
	p := &Process{Name: name, LogPath: logPath, cmd: cmd, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// Pid returns the process id.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Done is closed when the process has exited and been reaped.
func (p *Process) Done() <-chan struct{} { return p.done }

// Err returns how the process ended (nil for exit status 0); call it after
// Done is closed.
func (p *Process) Err() error { return p.err }

// Exited reports whether the process has exited.
func (p *Process) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// ExitCode returns the exit status after Done, or -1 if a signal ended it.
func (p *Process) ExitCode() int { return p.cmd.ProcessState.ExitCode() }

// Signal sends sig to the process (not its group).
func (p *Process) Signal(sig syscall.Signal) error {
	if p.Exited() {
		return nil
	}
	if err := syscall.Kill(p.Pid(), sig); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("lab: signal %s to %s: %w", sig, p.Name, err)
	}
	return nil
}

// Kill sends SIGKILL to the process and every process of its group (the
// daemon and its children: "kill -9 the daemon").
func (p *Process) Kill() error {
	// The group outlives its leader while children run, so it is
	// signalled even after the leader exited.
	if err := syscall.Kill(-p.Pid(), syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("lab: kill %s: %w", p.Name, err)
	}
	return nil
}

// Wait waits for the process to exit or ctx to end.
func (p *Process) Wait(ctx context.Context) error {
	select {
	case <-p.done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("lab: waiting for %s to exit: %w", p.Name, ctx.Err())
	}
}

// Stop ends the process: SIGTERM, then after grace SIGKILL to its group,
// and waits until it is reaped. It returns an error only if the process
// had to be killed.
func (p *Process) Stop(grace time.Duration) error {
	if p.Exited() {
		_ = p.Kill() // children left behind, if any
		return nil
	}
	_ = p.Signal(syscall.SIGTERM)
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case <-p.done:
		_ = p.Kill()
		return nil
	case <-t.C:
	}
	_ = p.Kill()
	<-p.done
	return fmt.Errorf("lab: %s ignored SIGTERM for %s and was killed", p.Name, grace)
}
