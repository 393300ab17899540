package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	sddaemon "github.com/coreos/go-systemd/v22/daemon"

	"github.com/vipd/vipd/internal/config"
	"github.com/vipd/vipd/internal/control"
	"github.com/vipd/vipd/internal/driver"
	"github.com/vipd/vipd/internal/health"
	"github.com/vipd/vipd/internal/hooks"
	"github.com/vipd/vipd/internal/linuxnet"
)

// Daemon runs the groups of one configuration.
type Daemon struct {
	log  *slog.Logger
	node string

	addrs   *linuxnet.Addresses
	ann     *linuxnet.Announcer
	adverts *linuxnet.Adverts
	links   *linuxnet.LinkWatcher
	sources *linuxnet.Sources
	claims  *linuxnet.Claims
	hooks   *hooks.Runner

	hub      *control.Hub
	timeline *control.Timeline // recent transitions, for the status page
	hookRuns hookCounts
	checks   checkRecords
	reloads  chan reloadRequest
	mu       sync.Mutex // guards cfg, admin and groups against the control server
	cfg      *config.Config
	admin    control.AdminState
	groups   map[string]*running
	exited   chan groupExit
}

// reloadRequest is a configuration to apply and where to say it was.
type reloadRequest struct {
	cfg  *config.Config
	done chan struct{}
}

// running is one group's loop and its health monitor (nil without checks),
// which runs and stops with it.
type running struct {
	group   *driver.Group
	monitor *health.Monitor
	cancel  context.CancelFunc
	done    chan struct{}
}

type groupExit struct {
	name string
	r    *running
	err  error
}

// New builds the Linux implementations for cfg; it touches no interface.
func New(cfg *config.Config, log *slog.Logger) (*Daemon, error) {
	addrs, err := linuxnet.NewAddresses(linuxnet.AddressesOptions{Logger: log})
	if err != nil {
		return nil, err
	}
	ann, err := linuxnet.NewAnnouncer(linuxnet.AnnouncerOptions{Logger: log})
	if err != nil {
		return nil, err
	}
	adverts, err := linuxnet.NewAdverts(linuxnet.AdvertsOptions{Logger: log})
	if err != nil {
		return nil, err
	}
	links, err := linuxnet.NewLinkWatcher(linuxnet.LinkWatcherOptions{Logger: log})
	if err != nil {
		return nil, err
	}
	sources, err := linuxnet.NewSources(linuxnet.SourcesOptions{Logger: log})
	if err != nil {
		return nil, err
	}
	claims, err := linuxnet.NewClaims(linuxnet.ClaimsOptions{Logger: log})
	if err != nil {
		return nil, err
	}
	node := cfg.Node
	if node == "" {
		node, _ = os.Hostname()
	}
	hub := control.NewHub()
	d := &Daemon{
		log: log, node: node, cfg: cfg,
		addrs: addrs, ann: ann, adverts: adverts, links: links,
		sources: sources, claims: claims,
		hub:      hub,
		timeline: control.NewTimeline(control.DefaultTimelineSize),
		reloads:  make(chan reloadRequest),
		groups:   map[string]*running{},
		exited:   make(chan groupExit),
	}
	d.hooks = hooks.New(hooks.Config{Logger: log, OnResult: func(r hooks.Result) {
		d.hookRuns.add(r)
		hub.Publish(hookEvent(r))
	}})
	return d, nil
}

// Run runs until ctx ends, then stops gracefully: every master hands over
// (make-before-break), the stop hooks run, and Run returns nil. Each
// configuration received on reload is applied: unchanged groups keep their
// state and VIPs.
func (d *Daemon) Run(ctx context.Context, reload <-chan *config.Config) error {
	for _, w := range d.cfg.Warnings {
		d.log.Warn("configuration", "warning", w.String())
	}
	removed, err := d.addrs.Sweep(ctx)
	if err != nil {
		d.log.Error("cleaning up VIPs of an earlier run failed", "err", err)
	}
	for _, a := range removed {
		d.log.Info("removed a stale VIP of an earlier run", "link", a.Link, "vip", a.Prefix.String())
	}

	d.admin = d.readAdminState()

	hooksCtx, stopHooks := context.WithCancel(context.WithoutCancel(ctx))
	hooksDone := make(chan error, 1)
	go func() { hooksDone <- d.hooks.Run(hooksCtx) }()

	srv, err := control.Listen(d.cfg.ControlSocket, d, d.hub, d.log)
	if err != nil {
		stopHooks()
		<-hooksDone
		return err
	}
	srvDone := make(chan error, 1)
	go func() { srvDone <- srv.Serve() }()
	timelineCtx, stopTimeline := context.WithCancel(context.WithoutCancel(ctx))
	timelineDone := make(chan struct{})
	go func() { defer close(timelineDone); d.timeline.Follow(timelineCtx, d.hub) }()
	var web *control.HTTPServer
	webDone := make(chan error, 1)
	if d.cfg.HTTP.Listen != "" {
		if web, err = control.ListenHTTP(d.cfg.HTTP.Listen, d, d.log); err != nil {
			d.log.Error("metrics and status listener not started", "err", err)
		} else {
			d.log.Info("serving the status page, /metrics, /status and /healthz", "addr", web.Addr().String())
			go func() { webDone <- web.Serve() }()
		}
	}

	// Groups outlive ctx so that they can hand over after it ends.
	groupsCtx, stopGroups := context.WithCancel(context.WithoutCancel(ctx))
	defer stopGroups()
	d.mu.Lock()
	for i := range d.cfg.Groups {
		if err := d.start(groupsCtx, &d.cfg.Groups[i]); err != nil {
			d.log.Error("group not started", "group", d.cfg.Groups[i].Name, "err", err)
		}
	}
	d.mu.Unlock()
	notify(d.log, sddaemon.SdNotifyReady)
	watchdogCtx, stopWatchdog := context.WithCancel(context.WithoutCancel(ctx))
	watchdogDone := make(chan struct{})
	go func() {
		defer close(watchdogDone)
		runWatchdog(watchdogCtx, d.log, d.loopsAlive)
	}()

	for ctx.Err() == nil {
		select {
		case <-ctx.Done():
		case cfg := <-reload:
			notify(d.log, sddaemon.SdNotifyReloading)
			d.reload(groupsCtx, cfg)
			notify(d.log, sddaemon.SdNotifyReady)
		case req := <-d.reloads:
			notify(d.log, sddaemon.SdNotifyReloading)
			d.reload(groupsCtx, req.cfg)
			notify(d.log, sddaemon.SdNotifyReady)
			close(req.done)
		case ex := <-d.exited:
			d.groupExited(groupsCtx, ex)
		}
	}

	notify(d.log, sddaemon.SdNotifyStopping)
	d.stopAll()
	stopWatchdog()
	<-watchdogDone
	_ = srv.Close()
	<-srvDone
	if web != nil {
		_ = web.Close()
		<-webDone
	}
	stopTimeline()
	<-timelineDone
	drainCtx, cancel := context.WithTimeout(context.Background(), d.maxHookTimeout()+5*time.Second)
	if err := d.hooks.Drain(drainCtx); err != nil {
		d.log.Error("stop hooks did not finish", "err", err)
	}
	cancel()
	stopHooks()
	<-hooksDone
	return nil
}

func notify(log *slog.Logger, state string) {
	if _, err := sddaemon.SdNotify(false, state); err != nil {
		log.Warn("sd_notify failed", "state", state, "err", err)
	}
}

// start runs one group. The caller holds d.mu.
func (d *Daemon) start(ctx context.Context, g *config.Group) error {
	dc := driverConfig(g, g.Source)
	dc.StartInMaintenance = d.admin.InMaintenance(g.Name)
	deps := driver.Deps{
		Addresses: d.addrs, Announcer: d.ann, Adverts: d.adverts, Links: d.links,
		Claims: d.claims,
		Hooks:  hookSink{runner: d.hooks, set: hookSet(&g.Hooks)},
		Log:    d.log,
		Timers: linuxnet.Timers{},
		Relays: linuxnet.Relays{},
		Events: func(ev driver.Event) { d.hub.Publish(transitionEvent(ev)) },
	}
	source := "from " + g.Interface
	if g.Source.IsValid() {
		source = g.Source.String()
	} else {
		// Found on the interface each time the group opens its
		// connection: once it exists, and again if it is re-created.
		deps.Sources = d.sources
	}
	grp, err := driver.New(dc, deps)
	if err != nil {
		return err
	}
	mon, err := d.newMonitor(g, grp)
	if err != nil {
		return err
	}
	gctx, cancel := context.WithCancel(ctx)
	r := &running{group: grp, monitor: mon, cancel: cancel, done: make(chan struct{})}
	d.groups[g.Name] = r
	d.log.Info("group started", "group", g.Name, "link", g.Interface,
		"protocol", g.Protocol.String(), "id", g.ID, "source", source, "checks", len(g.Checks))
	if g.Protocol.IsVRRP() && len(g.Password) == 0 {
		d.log.Warn("group runs unauthenticated VRRP: any host on the link can take its VIPs", "group", g.Name)
	}
	go func() {
		err := runGroup(gctx, grp, mon)
		close(r.done)
		d.exited <- groupExit{name: g.Name, r: r, err: err}
	}()
	return nil
}

// groupExited handles a loop that ended on its own: a stopped group after
// its removal, or a failure (the link watch failed), which is restarted.
func (d *Daemon) groupExited(ctx context.Context, ex groupExit) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.groups[ex.name] != ex.r {
		return // replaced or removed on purpose
	}
	delete(d.groups, ex.name)
	if ex.err == nil || errors.Is(ex.err, context.Canceled) {
		return
	}
	d.log.Error("group failed; restarting it", "group", ex.name, "err", ex.err)
	if g := d.cfg.Group(ex.name); g != nil {
		if err := d.start(ctx, g); err != nil {
			d.log.Error("group not restarted", "group", ex.name, "err", err)
		}
	}
}

// stop hands a group over and waits for its loop, abandoning it (VIPs
// released at once) if the hand-over takes too long.
func (d *Daemon) stop(name string, r *running, wait time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := r.group.Shutdown(ctx); err != nil && !errors.Is(err, driver.ErrNotRunning) {
		d.log.Warn("group did not take the stop request", "group", name, "err", err)
	}
	select {
	case <-r.done:
	case <-ctx.Done():
		d.log.Warn("group hand-over timed out; releasing its VIPs", "group", name)
		r.cancel()
		<-r.done
	}
}

// stopAll stops every group at once, so hand-overs run in parallel.
func (d *Daemon) stopAll() {
	d.mu.Lock()
	groups := d.groups
	d.groups = map[string]*running{}
	d.mu.Unlock()
	var wg sync.WaitGroup
	for name, r := range groups {
		wg.Go(func() { d.stop(name, r, d.handoverWait(name)) })
	}
	// Loops that end report on d.exited; nobody reads it any more.
	go func() {
		for range groups {
			<-d.exited
		}
	}()
	wg.Wait()
}

// handoverWait bounds a group's graceful stop: its longest hand-over (the
// master-down interval of a priority-1 backup) plus a margin.
func (d *Daemon) handoverWait(name string) time.Duration {
	g := d.cfg.Group(name)
	if g == nil {
		return 5 * time.Second
	}
	return 5*g.AdvertInterval() + 2*time.Second
}

func (d *Daemon) maxHookTimeout() time.Duration {
	longest := config.DefaultHookTimeout
	for i := range d.cfg.Groups {
		longest = max(longest, d.cfg.Groups[i].Hooks.Timeout)
	}
	return longest
}

// reload applies a new configuration: removed and changed groups stop,
// added and changed groups start, unchanged groups keep running untouched.
func (d *Daemon) reload(ctx context.Context, cfg *config.Config) {
	d.mu.Lock()
	old := d.cfg
	changes := config.Compare(old, cfg)
	var stopping []string
	stopping = append(stopping, changes.Removed...)
	stopping = append(stopping, changes.Changed...)
	toStop := map[string]*running{}
	for _, name := range stopping {
		if r, ok := d.groups[name]; ok {
			toStop[name] = r
			delete(d.groups, name)
		}
	}
	d.mu.Unlock()
	for name, r := range toStop {
		d.stop(name, r, d.handoverWait(name))
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.cfg = cfg
	for _, name := range append(changes.Added, changes.Changed...) {
		if err := d.start(ctx, cfg.Group(name)); err != nil {
			d.log.Error("group not started", "group", name, "err", err)
		}
	}
	d.log.Info("configuration reloaded", "added", changes.Added, "removed", changes.Removed,
		"changed", changes.Changed, "unchanged", changes.Unchanged)
}

// Status implements control.Source.
func (d *Daemon) Status(ctx context.Context) (control.Status, error) {
	d.mu.Lock()
	names := make([]string, 0, len(d.cfg.Groups))
	groups := map[string]*running{}
	for i := range d.cfg.Groups {
		name := d.cfg.Groups[i].Name
		names = append(names, name)
		if r, ok := d.groups[name]; ok {
			groups[name] = r
		}
	}
	cfg := d.cfg
	d.mu.Unlock()
	st := control.Status{Node: d.node}
	for _, name := range names {
		r, ok := groups[name]
		if !ok {
			st.Groups = append(st.Groups, control.GroupStatus{Name: name, State: "not-running"})
			continue
		}
		ds, err := r.group.Status(ctx)
		if err != nil {
			return st, fmt.Errorf("daemon: status of %s: %w", name, err)
		}
		gs := groupStatus(cfg.Group(name), ds)
		gs.Counters.HookRuns, gs.Counters.HookFailures = d.hookRuns.of(name)
		if r.monitor != nil {
			// A monitor that has just stopped with its group has no checks to show.
			if hs, err := r.monitor.Status(ctx); err == nil {
				gs.Checks = d.checks.statuses(name, hs)
			}
		}
		st.Groups = append(st.Groups, gs)
	}
	return st, nil
}

// Transitions implements control.TransitionSource for the status page.
func (d *Daemon) Transitions() []control.Event { return d.timeline.Transitions() }
