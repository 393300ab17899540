package lab

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// IdleOptions configures Idle.
type IdleOptions struct {
	// VipdBin is the vipd binary (default: $VIPD_BIN, else vipd in PATH).
	VipdBin string
	// Groups is the number of failover groups every host runs (default 10).
	Groups int
	// Duration is how long the cost is measured, after every group has
	// elected its master (default 60 s).
	Duration time.Duration
	// Impls are the implementations to measure (default: vipd, and
	// keepalived and ucarp where installed).
	Impls []Impl
	// Logger receives debug and error messages (default: discarded).
	Logger *slog.Logger
}

// IdleRow is what one host's daemons cost while nothing fails.
type IdleRow struct {
	Impl Impl
	// Role is "master" (h1, master of every group) or "backup" (h2).
	Role string
	// Processes is how many processes the daemons ran as.
	Processes int
	// CPU is the share of one core the daemons used, in percent.
	CPU float64
	// RSS is the daemons' resident memory at the end, in bytes.
	RSS int64
}

// idleGroups returns n groups with ids 11… and VIPs 192.0.2.101…, all
// preferring h1.
func idleGroups(n int) []Group {
	gs := make([]Group, n)
	for i := range gs {
		vip := netip.AddrFrom4([4]byte{192, 0, 2, byte(101 + i)})
		gs[i] = Group{Name: fmt.Sprintf("g%d", i+1), ID: uint8(11 + i), VIP: netip.PrefixFrom(vip, 24)}
	}
	return gs
}

// Idle measures the CPU time and resident memory of each implementation's
// daemons on two hosts running opts.Groups groups at default settings (1 s
// adverts) while nothing fails, prints a table to out and returns the rows.
// The cost of a host is that of every process in its daemons' process
// groups (keepalived's VRRP child; ucarp's one process per group).
func Idle(ctx context.Context, opts IdleOptions, out io.Writer) ([]IdleRow, error) {
	if opts.Groups <= 0 {
		opts.Groups = 10
	}
	if opts.Groups > 99 {
		return nil, fmt.Errorf("lab: idle: at most 99 groups, not %d", opts.Groups)
	}
	if opts.Duration <= 0 {
		opts.Duration = time.Minute
	}
	if len(opts.Impls) == 0 {
		opts.Impls = Impls
	}
	if err := Check(); err != nil {
		return nil, err
	}
	var rows []IdleRow
	for _, impl := range opts.Impls {
		if !impl.Installed() && impl != Vipd {
			fmt.Fprintf(out, "%s: not installed, skipped\n", impl)
			continue
		}
		fmt.Fprintf(out, "%s: %d groups on 2 hosts, measuring for %s…\n", impl, opts.Groups, opts.Duration)
		rs, err := idleRun(ctx, impl, opts)
		if err != nil {
			if ctx.Err() != nil {
				return rows, err
			}
			fmt.Fprintf(out, "%s: %v\n", impl, err)
			continue
		}
		rows = append(rows, rs...)
	}
	fmt.Fprintf(out, "\n%d groups, default settings (1 s adverts), %s after every group elected its master\n\n", opts.Groups, opts.Duration)
	t := newTable("IMPLEMENTATION", "HOST", "PROCESSES", "CPU (% OF ONE CORE)", "RESIDENT MEMORY")
	for _, r := range rows {
		t.add(r.Impl.String(), r.Role, strconv.Itoa(r.Processes), fmt.Sprintf("%.2f %%", r.CPU), fmt.Sprintf("%.1f MB", float64(r.RSS)/1e6))
	}
	return rows, t.write(out)
}

func idleRun(ctx context.Context, impl Impl, opts IdleOptions) (_ []IdleRow, err error) {
	l, err := New(ctx, Options{Impl: impl, Hosts: 2, Groups: idleGroups(opts.Groups), VipdBin: opts.VipdBin, Logger: opts.Logger,
		// The lab's vipd logs at debug level for the tests; an operator's
		// runs at the default, info.
		Customize: func(_ *Host, f *VipdFile) { f.Log.Level = "info" }})
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, l.Close()) }()
	if err := l.StartDaemons(ctx); err != nil {
		return nil, err
	}
	for i := range opts.Groups {
		if _, err := l.Ready(ctx, i); err != nil {
			return nil, err
		}
	}
	hosts := l.Hosts()
	before := make([]procCost, len(hosts))
	for i, h := range hosts {
		if before[i], err = daemonCost(h); err != nil {
			return nil, err
		}
	}
	start := time.Now()
	select {
	case <-ctx.Done():
		return nil, fmt.Errorf("lab: %w", ctx.Err())
	case <-time.After(opts.Duration):
	}
	elapsed := time.Since(start)
	var rows []IdleRow
	for i, h := range hosts {
		after, err := daemonCost(h)
		if err != nil {
			return nil, err
		}
		role := "backup"
		if i == 0 {
			role = "master"
		}
		cpu := float64(after.cpu-before[i].cpu) / float64(elapsed) * 100
		rows = append(rows, IdleRow{Impl: impl, Role: role, Processes: after.procs, CPU: cpu, RSS: after.rss})
	}
	return rows, nil
}

// procCost is the CPU time and resident memory of a set of processes.
type procCost struct {
	procs int
	cpu   time.Duration
	rss   int64
}

// clockTicks is USER_HZ, the unit of /proc/PID/stat's times: 100 on every
// Linux architecture vipd runs on.
const clockTicks = 100

// daemonCost sums the cost of every process in the process groups of h's
// running daemons.
func daemonCost(h *Host) (procCost, error) {
	groups := map[int]bool{}
	for _, p := range h.Daemons() {
		if !p.Exited() {
			groups[p.Pid()] = true
		}
	}
	if len(groups) == 0 {
		return procCost{}, fmt.Errorf("lab: no daemon runs on %s", h.Name)
	}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return procCost{}, fmt.Errorf("lab: %w", err)
	}
	var c procCost
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue // not a process
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue // exited meanwhile
		}
		// Fields after the command name, which may hold spaces: state is
		// field 3, pgrp 5, utime 14, stime 15, rss 24 (pages).
		s := string(b)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
		if len(f) < 22 {
			continue
		}
		pgrp, _ := strconv.Atoi(f[2])
		if !groups[pgrp] {
			continue
		}
		utime, _ := strconv.ParseInt(f[11], 10, 64)
		stime, _ := strconv.ParseInt(f[12], 10, 64)
		rss, _ := strconv.ParseInt(f[21], 10, 64)
		c.procs++
		c.cpu += time.Duration(utime+stime) * time.Second / clockTicks
		c.rss += rss * int64(os.Getpagesize())
	}
	return c, nil
}
