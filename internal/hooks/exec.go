package hooks

import (
	"context"
	"fmt"
	"os"
	"slices"
	"syscall"
	"time"
)

// outputGrace is how long a hook's output is still read after it exited.
const outputGrace = 500 * time.Millisecond

// execute runs one command line of a hook to its end, its timeout or the end
// of ctx, logs the outcome and returns it.
func (r *Runner) execute(ctx context.Context, ev Event, kind Kind, timeout time.Duration, argv []string) Result {
	res := Result{Event: ev, Kind: kind, Argv: argv, ExitCode: -1}
	log := r.log.With("group", ev.Group, "hook", kind.String(), "argv0", argv[0])
	transition := []any{"from", ev.From.String(), "to", ev.To.String(), "reason", ev.Reason.String()}
	out := newOutput(log, r.cfg.MaxLineBytes, r.cfg.MaxOutputBytes)

	start := time.Now()
	p, err := startProcess(argv, environ(ev), out)
	if err != nil {
		res.Err = fmt.Errorf("hooks: %s %s: %w", kind, argv[0], err)
		log.Error("hook did not start", append(slices.Clip(transition), "err", err)...)
		return res
	}
	log.Debug("hook started", append(slices.Clip(transition), "argv", argv, "pid", p.cmd.Process.Pid)...)

	timer := time.NewTimer(timeout)
	defer timer.Stop()
	var werr, why error
	select {
	case werr = <-p.waited:
	case <-timer.C:
		res.TimedOut = true
		why = fmt.Errorf("timed out after %s, process group killed", timeout)
		werr = p.kill(r.cfg.KillGrace)
	case <-ctx.Done():
		why = fmt.Errorf("killed at shutdown: %w", ctx.Err())
		werr = p.kill(r.cfg.KillGrace)
	}
	res.Duration = time.Since(start)
	if p.finish(outputGrace) {
		log.Warn("hook left a process holding its output open; no longer reading it")
	}
	out.close()

	attrs := append(slices.Clip(transition), "duration", res.Duration)
	ps := p.cmd.ProcessState
	res.ExitCode = ps.ExitCode()
	if ws, ok := waitStatus(ps); ok && ws.Signaled() {
		attrs = append(attrs, "signal", ws.Signal().String())
	} else {
		attrs = append(attrs, "exit_code", res.ExitCode)
	}
	switch {
	case why != nil:
		res.Err = fmt.Errorf("hooks: %s %s: %w", kind, argv[0], why)
	case werr != nil:
		res.Err = fmt.Errorf("hooks: %s %s: %w", kind, argv[0], werr)
	default:
		log.Info("hook succeeded", attrs...)
		return res
	}
	if res.TimedOut {
		attrs = append(attrs, "timed_out", true, "timeout", timeout)
	}
	log.Error("hook failed", append(attrs, "err", res.Err)...)
	return res
}

func waitStatus(ps *os.ProcessState) (syscall.WaitStatus, bool) {
	if ps == nil {
		return 0, false
	}
	ws, ok := ps.Sys().(syscall.WaitStatus)
	return ws, ok
}
