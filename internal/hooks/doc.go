// Package hooks runs the operator's hook programs when a group changes state,
// off the protocol loop, so adverts keep flowing while a hook runs.
//
// # What runs
//
// Each group may configure five hooks (see Set). A transition to a state runs
// that state's hook, then on_change:
//
//	to master       on_master, then on_change
//	to backup       on_backup, then on_change
//	to maintenance  on_backup, then on_change
//	to fault        on_fault,  then on_change
//	to stopped      on_stop,   then on_change
//	to init         on_change only
//
// Maintenance runs on_backup, not on_fault: the group holds no VIPs, which is
// what a backup hook reacts to (stop the service, demote the replica), and it
// is a planned operator action, not a failure, so it must not trip the alerts
// an on_fault hook usually raises. VIPD_STATE says "maintenance", so a hook
// that cares can tell the two apart; the keepalived notify mode passes BACKUP.
//
// A hook is an argv, run directly: never through a shell unless argv[0] is
// one. argv[0] is an absolute path or a name looked up in the clean PATH
// below. The working directory is "/" and standard input is /dev/null.
//
// # Modes
//
// ModeArgv (the default) runs argv as configured. ModeUcarp calls the program
// as ucarp 1.5.2 calls its up and down scripts, once per VIP, the address
// without its prefix length:
//
//	argv... <interface> <vip> [xparam]
//
// ModeKeepalived calls it as keepalived calls a notify script:
//
//	argv... INSTANCE <group> MASTER|BACKUP|FAULT|STOP <priority>
//
// # Environment
//
// A hook gets a clean environment, never the daemon's (so no IFS, LD_PRELOAD
// or LD_LIBRARY_PATH leaks, as keepalived clears them), exactly:
//
//	PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
//	VIPD_GROUP VIPD_STATE VIPD_PREV_STATE VIPD_REASON VIPD_VIPS (space-separated
//	prefixes) VIPD_INTERFACE VIPD_PROTOCOL VIPD_ID VIPD_PRIORITY
//
// # Ordering, queueing and shutdown
//
// Hooks of one group run one at a time in submission order, so an on_backup
// never overtakes the on_master before it; different groups run independently.
// Runner.Submit never blocks. Each group has a bounded queue (Config.QueueLen,
// default 16 events waiting besides the one running); when it is full the
// oldest waiting event is dropped, logged at error level and counted
// (Runner.Dropped), so the newest transitions, which describe the group's
// current state and include the final on_stop, always run.
//
// On shutdown the daemon submits the on_stop events, calls Runner.Drain with a
// deadline (at least the longest hook timeout plus the kill grace) to wait for
// them, then cancels the context of Runner.Run. When that context ends, Run
// kills the hooks still running and returns; events still queued are dropped
// and logged.
//
// # Timeouts, exit status and output
//
// Every hook runs in its own process group. At its timeout (default 30 s) the
// group gets SIGTERM, and SIGKILL once the hook has exited or after
// Config.KillGrace, whichever comes first; the next hook then runs. A non-zero
// exit, a signal, a timeout and a program that cannot be started are logged at
// error level; a success at info level with its duration. Every run is also
// reported to Config.OnResult, for metrics and the event stream.
//
// Standard output and error are logged line by line (keys group, hook, argv0,
// stream, line). Lines longer than Config.MaxLineBytes are cut, and after
// Config.MaxOutputBytes per run the rest is read and counted but not logged.
// Once the hook has exited its output is read for a short while more; a
// background process it left behind holding the output open is then cut off
// (its writes fail). Hooks that start daemons should redirect their output.
package hooks
