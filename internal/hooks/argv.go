package hooks

import (
	"slices"
	"strconv"
	"strings"

	"github.com/vipd/vipd/internal/fsm"
)

// argvs returns the command lines to run for hook h on ev, in order: one for
// ModeArgv and ModeKeepalived, one per VIP for ModeUcarp (none without VIPs).
func argvs(h Hook, ev Event) [][]string {
	switch h.Mode {
	case ModeUcarp:
		out := make([][]string, 0, len(ev.VIPs))
		for _, p := range ev.VIPs {
			// ucarp: execl(script, script, interface, vip, [xparam]).
			a := append(slices.Clip(h.Argv), ev.Interface, p.Addr().String())
			if h.XParam != "" {
				a = append(a, h.XParam)
			}
			out = append(out, a)
		}
		return out
	case ModeKeepalived:
		// keepalived notify: GROUP|INSTANCE name MASTER|BACKUP|FAULT|STOP priority.
		a := append(slices.Clip(h.Argv), "INSTANCE", ev.Group, keepalivedState(ev.To),
			strconv.Itoa(int(ev.Priority)))
		return [][]string{a}
	}
	return [][]string{slices.Clone(h.Argv)}
}

// keepalivedState returns the state word keepalived passes to notify scripts.
// Maintenance is BACKUP, as it runs on_backup.
func keepalivedState(s fsm.State) string {
	switch s {
	case fsm.Master:
		return "MASTER"
	case fsm.Backup, fsm.Maintenance:
		return "BACKUP"
	case fsm.Fault:
		return "FAULT"
	case fsm.Stopped:
		return "STOP"
	}
	return strings.ToUpper(s.String())
}
