package health

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

// cleanPath is the PATH of check programs, as that of hooks.
const cleanPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// DefaultMaxOutputBytes is how much of a check program's output (standard
// output and error together) is kept for the log and the failure message.
const DefaultMaxOutputBytes = 4096

// outputWait is how long a check program's output is still read after it
// exited, for a background process it left holding it open.
const outputWait = 100 * time.Millisecond

// ExecOptions configures an exec check.
type ExecOptions struct {
	// Argv is the program and its arguments; Argv[0] is an absolute path.
	// No shell is involved unless Argv names one.
	Argv []string
	// Group and Check name the group and the check, for the program's
	// environment (VIPD_GROUP, VIPD_CHECK).
	Group, Check string
	// Logger receives the program's output at debug level; nil discards
	// it.
	Logger *slog.Logger
	// MaxOutputBytes bounds the output kept; 0 means
	// DefaultMaxOutputBytes.
	MaxOutputBytes int
}

// Exec is a check that runs a program: healthy when it exits with status 0
// (KindExec).
//
// The program runs in its own process group, with the working directory
// "/", standard input /dev/null and a clean environment, never the
// daemon's: PATH (as for hooks), VIPD_GROUP and VIPD_CHECK. When the
// probe's context ends (the check's timeout) the whole process group gets
// SIGKILL: a check that hangs has failed and is not trusted to clean up.
// When the program exits, whatever it left behind in its group is killed
// too, so that checks run every few seconds cannot pile up processes.
// Its output is logged at debug level, line by line, up to MaxOutputBytes;
// a failure's error ends with the last line of output.
type Exec struct {
	argv []string
	env  []string
	log  *slog.Logger
	max  int
}

// NewExec returns an exec check.
func NewExec(o ExecOptions) (*Exec, error) {
	if len(o.Argv) == 0 || !filepath.IsAbs(o.Argv[0]) {
		return nil, fmt.Errorf("health: exec check %q: argv[0] must be an absolute path", o.Check)
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	max := o.MaxOutputBytes
	if max <= 0 {
		max = DefaultMaxOutputBytes
	}
	return &Exec{
		argv: append([]string(nil), o.Argv...),
		env:  []string{"PATH=" + cleanPath, "VIPD_GROUP=" + o.Group, "VIPD_CHECK=" + o.Check},
		log:  log.With("check", o.Check, "argv0", o.Argv[0]),
		max:  max,
	}, nil
}

// Check runs the program to its end or to the end of ctx.
func (e *Exec) Check(ctx context.Context) error {
	out := &capped{max: e.max}
	cmd := exec.CommandContext(ctx, e.argv[0], e.argv[1:]...)
	cmd.Env = e.env
	cmd.Dir = "/"
	cmd.Stdout, cmd.Stderr = out, out // one pipe, one writer
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return killGroup(cmd) }
	cmd.WaitDelay = outputWait
	err := cmd.Run()
	if cmd.Process != nil {
		// The group outlives its leader while any member is alive.
		_ = killGroup(cmd)
	}
	e.logOutput(out)
	var ee *exec.ExitError
	switch {
	case err == nil, errors.Is(err, exec.ErrWaitDelay):
		return nil // exit status 0 (a process left behind may have held the output)
	case cmd.ProcessState == nil:
		return fmt.Errorf("health: %w", err) // it did not start
	case ctx.Err() != nil:
		return fmt.Errorf("health: %s killed at the timeout%s", e.argv[0], out.tail())
	case errors.As(err, &ee):
		return fmt.Errorf("health: %s %s%s", e.argv[0], exitText(ee), out.tail())
	}
	return fmt.Errorf("health: %s: %w", e.argv[0], err)
}

// killGroup sends SIGKILL to cmd's process group.
func killGroup(cmd *exec.Cmd) error {
	return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}

// exitText says how the program ended: "exited with status 2" or "was
// killed by signal terminated".
func exitText(ee *exec.ExitError) string {
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return "was killed by signal " + ws.Signal().String()
	}
	return fmt.Sprintf("exited with status %d", ee.ExitCode())
}

// logOutput logs the kept output line by line at debug level.
func (e *Exec) logOutput(out *capped) {
	if !e.log.Enabled(context.Background(), slog.LevelDebug) {
		return
	}
	for _, line := range out.lines() {
		e.log.Debug("check output", "line", line)
	}
	if out.dropped > 0 {
		e.log.Debug("check output over the limit, rest not kept", "dropped_bytes", out.dropped)
	}
}
