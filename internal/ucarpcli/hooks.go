package ucarpcli

import "path/filepath"

// When ucarp runs its scripts, and how vipd's hooks are made to run them
// at the same moments:
//
//	ucarp                                  vipd transition       hook
//	up script: BACKUP → MASTER             any → master          on_master
//	down script: MASTER → BACKUP           master → backup/fault on_backup/on_fault
//	down script: INIT → BACKUP, unless -n  init → backup/fault   on_backup/on_fault
//	(link down while backup: nothing)      backup → fault        (skipped)
//	(link back: nothing)                   fault → backup        (skipped)
//	down script at exit with -z, unless    master → stopped      on_stop
//	already BACKUP
//
// vipd runs on_backup and on_fault on every entry to those states, so the
// down script goes through a fixed /bin/sh filter that looks at
// VIPD_PREV_STATE and execs the script only on the transitions ucarp runs it
// on. The script's path and ucarp's arguments reach it as positional
// parameters ($0 and "$@"), never inside the shell text.
const (
	// shell runs the filters.
	shell = "/bin/sh"
	// downFilter runs the down script when leaving master and at start.
	downFilter = `case $VIPD_PREV_STATE in master|init) exec "$0" "$@";; esac`
	// leaveFilter runs it only when leaving master: -n at start, -z at exit.
	leaveFilter = `case $VIPD_PREV_STATE in master) exec "$0" "$@";; esac`
)

// scriptHooks are the argv lists of a group's hooks, before vipd appends
// ucarp's arguments (interface, address, xparam).
type scriptHooks struct {
	onMaster, onBackup, onFault, onStop []string
}

// hooksFor maps the up and down scripts. Relative script paths are made
// absolute against dir, the directory ucarp would have run them from.
func (o *Options) hooksFor(dir string) scriptHooks {
	var h scriptHooks
	if o.UpScript != "" {
		h.onMaster = []string{absPath(o.UpScript, dir)}
	}
	if o.DownScript == "" {
		return h
	}
	down := absPath(o.DownScript, dir)
	filter := downFilter
	if o.Neutral {
		filter = leaveFilter
	}
	h.onBackup = []string{shell, "-c", filter, down}
	h.onFault = h.onBackup
	if o.Shutdown {
		h.onStop = []string{shell, "-c", leaveFilter, down}
	}
	return h
}

func absPath(p, dir string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}
