package lab

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Host is a failover host of the lab: a node that runs the implementation
// and a probe responder.
type Host struct {
	*Node
	// Index is the host's place in Lab.Hosts (h1 is 0).
	Index int

	lab     *Lab
	dir     string
	config  string
	daemons []*Process
	lossOn  bool
}

// Dir returns the host's working directory (its configuration, state,
// control socket and logs).
func (h *Host) Dir() string { return h.dir }

// ConfigPath returns the path of the configuration the host's daemon was
// last started with, or "" (ucarp has none).
func (h *Host) ConfigPath() string { return h.config }

// ControlSocket returns the path of the host's vipd control socket, as the
// lab's generated configuration sets it.
func (h *Host) ControlSocket() string { return filepath.Join(h.dir, "vipd.sock") }

// LogPath returns the file that collects the host's daemon output.
func (h *Host) LogPath() string {
	return filepath.Join(h.dir, h.Impl().String()+".log")
}

// Daemons returns the host's running or last-run daemon processes (one,
// or one per group for ucarp).
func (h *Host) Daemons() []*Process { return h.daemons }

// Log returns what the host's daemons have written so far.
func (h *Host) Log() string {
	b, err := os.ReadFile(h.LogPath())
	if err != nil {
		return fmt.Sprintf("(no log: %v)", err)
	}
	return string(b)
}

// addr returns the host's own address in vip's family.
func (h *Host) addr(vip netip.Prefix) netip.Addr {
	if vip.Addr().Is4() {
		return h.Addr4
	}
	return h.Addr6
}

// StartDaemon writes the host's configuration and starts the
// implementation in the host's namespace. It fails if a daemon of the host
// is still running.
func (h *Host) StartDaemon(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("lab: %w", err)
	}
	for _, p := range h.daemons {
		if !p.Exited() {
			return fmt.Errorf("lab: %s is still running on %s", p.Name, h.Name)
		}
	}
	var cmds [][]string
	switch h.Impl() {
	case Vipd:
		path, argv, err := h.lab.writeVipd(h)
		if err != nil {
			return err
		}
		h.config, cmds = path, [][]string{argv}
	case Keepalived:
		path, argv, err := h.lab.writeKeepalived(h)
		if err != nil {
			return err
		}
		h.config, cmds = path, [][]string{argv}
	case Ucarp:
		var err error
		if cmds, err = h.lab.writeUcarp(h); err != nil {
			return err
		}
	}
	h.daemons = nil
	for _, argv := range cmds {
		name := h.Impl().String() + " on " + h.Name
		p, err := h.StartProcess(name, h.LogPath(), nil, argv...)
		if err != nil {
			return err
		}
		h.lab.log.Debug("lab: started", "host", h.Name, "pid", p.Pid(), "argv", strings.Join(argv, " "))
		h.daemons = append(h.daemons, p)
	}
	return nil
}

// Running reports whether any of the host's daemons runs.
func (h *Host) Running() bool {
	for _, p := range h.daemons {
		if !p.Exited() {
			return true
		}
	}
	return false
}

// TerminateDaemon sends SIGTERM to the host's daemons and returns at once:
// a graceful stop, which a master should turn into a hand-over.
func (h *Host) TerminateDaemon() error {
	var errs []error
	for _, p := range h.daemons {
		errs = append(errs, p.Signal(syscall.SIGTERM))
	}
	return errors.Join(errs...)
}

// KillDaemon sends SIGKILL to the host's daemons and their children and
// returns at once: a crash, which leaves whatever the daemon had
// configured behind.
func (h *Host) KillDaemon() error {
	var errs []error
	for _, p := range h.daemons {
		errs = append(errs, p.Kill())
	}
	return errors.Join(errs...)
}

// WaitDaemon waits until the host's daemons have exited.
func (h *Host) WaitDaemon(ctx context.Context) error {
	for _, p := range h.daemons {
		if err := p.Wait(ctx); err != nil {
			return err
		}
	}
	return nil
}

// StopDaemon stops the host's daemons (SIGTERM, then SIGKILL after grace)
// and waits for them.
func (h *Host) StopDaemon(grace time.Duration) error {
	var errs []error
	for _, p := range h.daemons {
		errs = append(errs, p.Stop(grace))
	}
	return errors.Join(errs...)
}

// CutLink sets the host's port on the switch down, as pulling its cable
// would: the host's link loses carrier.
func (h *Host) CutLink() error { return linkDown(h.lab.net.sw, h.port) }

// RestoreLink sets the host's port on the switch up again.
func (h *Host) RestoreLink() error { return linkUp(h.lab.net.sw, h.port) }

// HoldsVIP reports whether the host's kernel has the VIP of target (a
// group's index) on its link, as the lab's address watch last heard.
func (h *Host) HoldsVIP(target int) bool {
	return h.lab.watch.holders(target)&(1<<h.Index) != 0
}
