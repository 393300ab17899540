package kaimport

import (
	"path/filepath"
)

// notifyHooks are the vipd hooks of keepalived's notify keywords. vipd
// runs a state's hook, then on_change, as keepalived runs notify_STATE and
// then notify.
var notifyHooks = [numNotify]string{
	notifyMaster: "hooks.on_master",
	notifyBackup: "hooks.on_backup",
	notifyFault:  "hooks.on_fault",
	notifyStop:   "hooks.on_stop",
	notifyAny:    "hooks.on_change",
}

// notifyFilter calls a keepalived "notify" script with the four arguments
// keepalived appends (INSTANCE name STATE priority), from vipd's hook
// environment: $0 is the script, $1 the keepalived instance name, the rest
// the script's own arguments. vipd's init transition has no keepalived
// counterpart and is skipped.
const notifyFilter = `n=$1; shift; case $VIPD_STATE in master) s=MASTER;; backup|maintenance) s=BACKUP;; ` +
	`fault) s=FAULT;; stopped) s=STOP;; *) exit 0;; esac; exec "$0" "$@" INSTANCE "$n" "$s" "$VIPD_PRIORITY"`

// hooks carries the notify scripts over.
func (r *reader) hooks(g *group, inst *instance) {
	for k, cmd := range inst.notify {
		if cmd == nil {
			continue
		}
		argv := absArgv(cmd.argv)
		if notifyKind(k) == notifyAny {
			argv = append([]string{"/bin/sh", "-c", notifyFilter, argv[0], inst.name}, argv[1:]...)
		}
		f := g.add(&field{key: notifyHooks[k], flow: true, whole: true, desc: notifyKeywords[k], pos: cmd.pos})
		for _, a := range argv {
			f.items = append(f.items, &item{value: a, desc: notifyKeywords[k], pos: cmd.pos})
		}
	}
}

// absArgv makes argv[0] absolute, as vipd requires: keepalived looks a bare
// name up in PATH when it reads its configuration, /usr/bin/env does it
// with the hooks' clean PATH.
func absArgv(argv []string) []string {
	if filepath.IsAbs(argv[0]) {
		return argv
	}
	return append([]string{"/usr/bin/env"}, argv...)
}
