package hooks_test

import (
	"context"
	"log/slog"
	"net/netip"

	"github.com/vipd/vipd/internal/fsm"
	"github.com/vipd/vipd/internal/hooks"
)

// A daemon runs one Runner for all groups; each group's driver submits an
// Event per fsm.RunHook effect. At shutdown it waits for the on_stop hooks.
func ExampleRunner() {
	r := hooks.New(hooks.Config{
		Logger:   slog.Default(),
		OnResult: func(res hooks.Result) { /* count runs and failures */ },
	})
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()

	set := hooks.Set{
		OnMaster: hooks.Hook{Argv: []string{"/etc/vipd/up.sh"}, Mode: hooks.ModeUcarp},
		OnStop:   hooks.Hook{Argv: []string{"/etc/vipd/down.sh"}, Mode: hooks.ModeUcarp},
	}
	ev := hooks.Event{
		Group: "web", Protocol: "carp", ID: 10, Interface: "eth0",
		VIPs: []netip.Prefix{netip.MustParsePrefix("192.0.2.10/24")},
		From: fsm.Backup, To: fsm.Master, Reason: fsm.ReasonMasterDown, Hooks: set,
	}
	r.Submit(ev) // from the driver's loop: never blocks

	// SIGTERM: the driver resigns, releases the VIPs and submits on_stop ...
	ev.From, ev.To, ev.Reason = fsm.Master, fsm.Stopped, fsm.ReasonShutdown
	r.Submit(ev)
	// ... and the daemon waits for it, bounded by its timeout, then stops.
	drain, cancel := context.WithTimeout(context.Background(), hooks.DefaultTimeout+hooks.DefaultKillGrace)
	defer cancel()
	_ = r.Drain(drain)
	stop()
	<-done
}
