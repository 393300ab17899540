package lab

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"
)

// DemoOptions configures Demo.
type DemoOptions struct {
	// VipdBin is the vipd binary the hosts run (default: $VIPD_BIN, else
	// vipd in PATH); `vipd lab` passes its own executable.
	VipdBin string
	// Hosts is the number of vipd hosts, 2 or 3 (default 3).
	Hosts int
	// Profile is the hosts' timing (default DefaultProfile: 1 s adverts).
	Profile Profile
	// IPv6 uses the IPv6 VIP 2001:db8::100 instead of 192.0.2.100.
	IPv6 bool
	// KeepDir keeps the lab's directory (configurations, logs) afterwards
	// and prints where it is.
	KeepDir bool
	// Logger receives debug and error messages (default: discarded).
	Logger *slog.Logger
}

// Demo is `vipd lab`: it builds a lab of vipd hosts and a client, shows
// which host answers the VIP, fails the master three ways (link cut,
// SIGTERM, kill -9), shows each client-observed gap and each hand-back,
// prints a summary table, and removes everything, also when ctx ends
// (Ctrl-C) or a step fails.
func Demo(ctx context.Context, opts DemoOptions, out io.Writer) (err error) {
	if err := Check(); err != nil {
		return err
	}
	if opts.Hosts == 0 {
		opts.Hosts = 3
	}
	if opts.Profile.Name == "" {
		opts.Profile = DefaultProfile
	}
	d := &demo{out: out, ctx: ctx}
	d.say("building the lab: a switch, %d hosts and a client in network namespaces…", opts.Hosts)
	l, err := New(ctx, Options{Impl: Vipd, Hosts: opts.Hosts, Profile: opts.Profile, IPv6: opts.IPv6,
		VipdBin: opts.VipdBin, KeepDir: opts.KeepDir, Logger: opts.Logger})
	if err != nil {
		return err
	}
	d.l = l
	defer func() {
		d.say("removing the lab…")
		if cerr := l.Close(); cerr != nil {
			err = errors.Join(err, cerr)
			return
		}
		if opts.KeepDir {
			d.say("configurations and logs kept in %s", l.Dir())
		}
		d.say("done: nothing of the lab is left")
	}()
	d.describe()
	if err := d.run(); err != nil {
		if ctx.Err() != nil {
			d.say("interrupted")
			return fmt.Errorf("lab: demo: %w", ctx.Err())
		}
		d.say("failed: %v", err)
		d.tail()
		return err
	}
	d.say("")
	return d.summary.write(out)
}

// demo is one run of Demo.
type demo struct {
	ctx     context.Context
	out     io.Writer
	l       *Lab
	vip     string
	summary *table
}

// say prints a progress line.
func (d *demo) say(format string, args ...any) {
	fmt.Fprintf(d.out, format+"\n", args...)
}

// describe prints the lab's layout.
func (d *demo) describe() {
	l := d.l
	d.vip = l.targets[0].String()
	var hs []string
	for _, h := range l.hosts {
		hs = append(hs, fmt.Sprintf("%s %s", h.Name, h.addr(l.opts.Groups[0].VIP)))
	}
	where := "anonymous namespaces"
	if l.Named() {
		where = "namespaces " + strings.TrimSuffix(l.net.sw.name, "-sw") + "-*"
	}
	d.say("  hosts: %s; client %s; VIP %s (%s)", strings.Join(hs, ", "), d.clientAddr(), l.opts.Groups[0].VIP, where)
	p := l.opts.Profile
	d.say("  each host runs `vipd run -c vipd.yaml`: %s, adverts every %s, priorities %s, takeover after %d missed adverts",
		p.Protocol, FormatDuration(p.Interval), d.priorities(), p.DownAdverts)
	d.say("  the client sends a UDP probe to %s every %s and notes which host answers", d.vip, FormatDuration(l.opts.ProbeInterval))
}

func (d *demo) clientAddr() string {
	if d.l.targets[0].Is4() {
		return d.l.net.client.Addr4.String()
	}
	return d.l.net.client.Addr6.String()
}

func (d *demo) priorities() string {
	var ps []string
	for i := range d.l.hosts {
		ps = append(ps, fmt.Sprint(priority(i)))
	}
	return strings.Join(ps, "/")
}

// run is the demonstration proper.
func (d *demo) run() error {
	l, ctx := d.l, d.ctx
	d.summary = newTable("EVENT", "FROM", "TO", "CLIENT-OBSERVED DOWNTIME", "NOTE")
	d.say("starting vipd on %s…", names(l.hosts))
	started := time.Now()
	if err := l.StartDaemons(ctx); err != nil {
		return err
	}
	h1, err := l.Ready(ctx, 0)
	if err != nil {
		return err
	}
	elected := ""
	for _, e := range l.VIPEvents(0, started, time.Now()) {
		if e.Held && e.Host == h1.Index {
			elected = fmt.Sprintf(" (elected %s after start)", FormatDuration(e.At.Sub(started)))
			break
		}
	}
	d.say("host %s is master, client reaches %s via %s%s", h1.Name, d.vip, h1.Name, elected)

	d.say("cutting %s's link…", h1.Name)
	r, err := l.Change(ctx, 0, "link cut", h1, h1.CutLink, other(h1))
	if err != nil {
		return errors.Join(err, h1.RestoreLink())
	}
	d.took(r, "")
	d.say("restoring %s's link…", h1.Name)
	if err := d.back(l.Change(ctx, 0, "link restored", l.Host(r.To), h1.RestoreLink, is(h1))); err != nil {
		return err
	}

	d.say("stopping vipd on %s with SIGTERM (a planned stop)…", h1.Name)
	r, err = l.Change(ctx, 0, "SIGTERM", h1, h1.TerminateDaemon, other(h1))
	if err != nil {
		return err
	}
	d.took(r, "hand-over")
	if err := h1.WaitDaemon(ctx); err != nil {
		return err
	}
	d.say("starting vipd on %s again…", h1.Name)
	if err := d.back(l.Change(ctx, 0, "restart", l.Host(r.To), func() error { return h1.StartDaemon(ctx) }, is(h1))); err != nil {
		return err
	}

	d.say("killing vipd on %s with SIGKILL (a crash: nobody removes its VIP)…", h1.Name)
	r, err = l.Change(ctx, 0, "kill -9", h1, h1.KillDaemon, other(h1))
	if err != nil {
		return err
	}
	d.took(r, "")
	to := l.Host(r.To)
	note := ""
	if err := l.WaitSoleAnswerer(ctx, 0, to, time.Second, l.killWatch()); err != nil {
		if ctx.Err() != nil {
			return err
		}
		note = "two hosts still answer"
		d.say("%s still answers for %s beside %s %s after the kill: two hosts answer", h1.Name, d.vip, to.Name, FormatDuration(l.killWatch()))
	} else {
		note = fmt.Sprintf("%s's VIP expired; never two hosts at once", h1.Name)
		if rounds, overlap := d.overlap(r.Start); rounds > 0 {
			note = fmt.Sprintf("%s's VIP expired; two hosts answered for %s", h1.Name, FormatDuration(overlap))
		}
		d.say("%s's VIP expired (its lifetime ran out with nobody to renew it): only %s answers for %s now", h1.Name, to.Name, d.vip)
	}
	d.summary.add("kill -9", r.From, r.To, FormatDuration(r.Downtime), note)
	if err := h1.WaitDaemon(ctx); err != nil {
		return err
	}
	d.say("starting vipd on %s again…", h1.Name)
	return d.back(l.Change(ctx, 0, "restart", to, func() error { return h1.StartDaemon(ctx) }, is(h1)))
}

// overlap returns how many sweep rounds since start two hosts answered, and
// for how long.
func (d *demo) overlap(start time.Time) (rounds int, total time.Duration) {
	d.l.prober.view(0, func(_ *Timeline, s *SweepLog) { rounds, total = s.Overlap(start, time.Now()) })
	return rounds, total
}

// took reports a takeover.
func (d *demo) took(r Result, note string) {
	msg := fmt.Sprintf("%s took over after %s of client-observed downtime", r.To, FormatDuration(r.Downtime))
	if r.Takeover > 2*r.Downtime {
		// The old host kept answering until the new one announced itself.
		msg += fmt.Sprintf(" (%s kept answering; %s answered %s after the event)", r.From, r.To, FormatDuration(r.Takeover))
	}
	d.say("%s", msg)
	if r.Event != "kill -9" {
		d.summary.add(r.Event, r.From, r.To, FormatDuration(r.Downtime), note)
	}
}

// back reports the preferred host's return.
func (d *demo) back(r Result, err error) error {
	if err != nil {
		return err
	}
	d.say("%s took the VIP back %s after it returned (client-observed gap %s)", r.To, FormatDuration(r.Takeover), FormatDuration(r.Downtime))
	d.summary.add(r.Event, r.From, r.To, FormatDuration(r.Downtime), "preempt: "+r.To+" is preferred")
	return nil
}

// tail prints the end of each host's daemon log after a failure.
func (d *demo) tail() {
	for _, h := range d.l.hosts {
		lines := strings.Split(strings.TrimSpace(h.Log()), "\n")
		d.say("last lines of %s's log:", h.Name)
		for _, ln := range lines[max(len(lines)-10, 0):] {
			d.say("  %s", ln)
		}
	}
}
