package daemon

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/vipd/vipd/internal/config"
	"github.com/vipd/vipd/internal/control"
	"github.com/vipd/vipd/internal/fsm"
)

// readAdminState loads the operator's decisions from the state file. A
// first start has none. A state file that cannot be read is the one case
// where vipd cannot know which groups the operator took down, so it starts
// safe: every group in maintenance, holding nothing, until the operator
// recovers it (which writes a fresh file).
func (d *Daemon) readAdminState() control.AdminState {
	st, err := control.ReadState(d.cfg.StateFile)
	switch {
	case err == nil:
		for _, g := range st.Maintenance {
			d.log.Info("group stays in maintenance from before the restart", "group", g)
		}
		return st
	case errors.Is(err, control.ErrNoState):
		return control.AdminState{}
	}
	d.log.Error("cannot read the admin state: starting every group in maintenance; run `vipd recover GROUP` for each group that may take over",
		"err", err)
	var all control.AdminState
	for i := range d.cfg.Groups {
		all = all.With(d.cfg.Groups[i].Name, true)
	}
	return all
}

var commands = map[string]fsm.Command{
	"maintenance": fsm.CommandMaintenance,
	"recover":     fsm.CommandRecover,
	"reclaim":     fsm.CommandReclaim,
	"switchover":  fsm.CommandSwitchover,
	"claim":       fsm.CommandClaim,
}

// Admin implements control.Source. Maintenance and recover are written to
// the state file before they are obeyed, so a crash in between errs on the
// side the operator asked for.
func (d *Daemon) Admin(ctx context.Context, group, command string) error {
	cmd, ok := commands[command]
	if !ok {
		return fmt.Errorf("unknown command %q", command)
	}
	d.mu.Lock()
	r, ok := d.groups[group]
	if !ok {
		d.mu.Unlock()
		return fmt.Errorf("no running group %q", group)
	}
	if cmd == fsm.CommandMaintenance || cmd == fsm.CommandRecover {
		next := d.admin.With(group, cmd == fsm.CommandMaintenance)
		if err := control.WriteState(d.cfg.StateFile, next); err != nil {
			d.mu.Unlock()
			return fmt.Errorf("not done: %w", err)
		}
		d.admin = next
	}
	d.mu.Unlock()
	err := r.group.Admin(ctx, cmd)
	ev := control.Event{Time: time.Now(), Group: group, Kind: "admin", Command: command}
	if err != nil {
		ev.Error = err.Error()
	}
	d.hub.Publish(ev)
	d.log.Info("operator command", "group", group, "command", command, "err", err)
	return err
}

// Reload implements control.Source: the configuration file is read again
// and, if valid, applied; an invalid one is refused and the old one stays.
func (d *Daemon) Reload(ctx context.Context) error {
	d.mu.Lock()
	path := d.cfg.Path
	d.mu.Unlock()
	cfg, err := config.Load(path)
	if err != nil {
		return fmt.Errorf("reload refused, the running configuration stays: %w", err)
	}
	req := reloadRequest{cfg: cfg, done: make(chan struct{})}
	select {
	case d.reloads <- req:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case <-req.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
