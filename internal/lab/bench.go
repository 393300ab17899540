package lab

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"time"
)

// BenchOptions configures Bench.
type BenchOptions struct {
	// VipdBin is the vipd binary the hosts run (default: $VIPD_BIN, else
	// vipd in PATH). Without one, vipd's rows are skipped with a note.
	VipdBin string
	// Runs is how often each scenario runs per row (default 5).
	Runs int
	// Impls are the implementations to compare (default: vipd, and
	// keepalived and ucarp where installed).
	Impls []Impl
	// Profiles are the configurations to run each implementation with
	// (default: all of Profiles); a profile an
	// implementation cannot express is skipped with a note.
	Profiles []Profile
	// Scenarios to run (default all).
	Scenarios []Scenario
	// Loss configures LossScenario (default 20 % for 60 s).
	Loss LossOptions
	// Hosts is the number of failover hosts (default 3).
	Hosts int
	// Logger receives debug and error messages (default: discarded).
	Logger *slog.Logger
}

// Row is one line of the benchmark table: one implementation, profile and
// scenario over all runs.
type Row struct {
	Impl     Impl
	Profile  string
	Scenario Scenario
	// Results of the runs that completed, and Errors of those that did not.
	Results []Result
	Errors  []error
}

// Downtimes returns the client-observed downtime of each completed run.
func (r *Row) Downtimes() []time.Duration {
	ds := make([]time.Duration, len(r.Results))
	for i, res := range r.Results {
		ds[i] = res.Downtime
	}
	return ds
}

// MasterChanges returns the master changes of each completed run.
func (r *Row) MasterChanges() []int {
	xs := make([]int, len(r.Results))
	for i, res := range r.Results {
		xs[i] = res.MasterChanges
	}
	return xs
}

// TwoAnswering counts the completed runs that ended with two hosts still
// answering for the VIP.
func (r *Row) TwoAnswering() int {
	n := 0
	for _, res := range r.Results {
		if res.TwoAnswering {
			n++
		}
	}
	return n
}

func (o BenchOptions) withDefaults() BenchOptions {
	if o.Runs <= 0 {
		o.Runs = 5
	}
	if len(o.Impls) == 0 {
		o.Impls = Impls
	}
	if len(o.Profiles) == 0 {
		o.Profiles = Profiles
	}
	if len(o.Scenarios) == 0 {
		o.Scenarios = Scenarios
	}
	if o.Hosts == 0 {
		o.Hosts = 3
	}
	o.Loss = o.Loss.withDefaults()
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// Bench runs every scenario Runs times for every implementation and
// profile, each run in a lab of its own, prints a line per run to out and
// then the table (WriteTable), and returns the rows. Run r of N fails the
// master at phase (r − 0.5)/N of its advert period (Options.Phase), so
// every implementation meets the same evenly spread phases and their
// medians differ by what they do, not by where the failures fell.
// Implementations that are not installed are skipped with a note. It
// stops early, removing its lab, when ctx ends.
func Bench(ctx context.Context, opts BenchOptions, out io.Writer) ([]Row, error) {
	opts = opts.withDefaults()
	if err := Check(); err != nil {
		return nil, err
	}
	var rows []Row
	started := time.Now()
	for _, impl := range opts.Impls {
		if why := benchSkip(impl, opts); why != "" {
			fmt.Fprintf(out, "skipping %s: %s\n", impl, why)
			continue
		}
		for _, p := range opts.Profiles {
			lo := Options{Impl: impl, Profile: p, Hosts: opts.Hosts, VipdBin: opts.VipdBin, Logger: opts.Logger}
			if why := p.supports(impl, &lo); why != "" {
				fmt.Fprintf(out, "skipping %s %s: %s\n", impl, p.Name, why)
				continue
			}
			for _, s := range opts.Scenarios {
				if why := s.supports(impl); why != "" {
					fmt.Fprintf(out, "skipping %s %s %s: %s\n", impl, p.Name, s, why)
					continue
				}
				row := Row{Impl: impl, Profile: p.Name, Scenario: s}
				for run := 1; run <= opts.Runs; run++ {
					lo.Phase = benchPhase(run, opts.Runs)
					res, err := benchRun(ctx, lo, s, opts.Loss)
					if ctx.Err() != nil {
						return rows, fmt.Errorf("lab: bench: %w", ctx.Err())
					}
					prefix := fmt.Sprintf("%s %s %s %d/%d phase %.3f:", impl, p.Name, s, run, opts.Runs, lo.Phase)
					if err != nil {
						row.Errors = append(row.Errors, err)
						fmt.Fprintf(out, "%s error: %v\n", prefix, err)
						continue
					}
					row.Results = append(row.Results, res)
					fmt.Fprintf(out, "%s %s\n", prefix, res)
				}
				rows = append(rows, row)
			}
		}
	}
	fmt.Fprintf(out, "\n%d hosts, client probing every 2 ms, %d runs per row at phases (r-0.5)/%d of the advert period, loss %d%% for %s; took %s\n\n",
		opts.Hosts, opts.Runs, opts.Runs, opts.Loss.Percent, FormatDuration(opts.Loss.Duration), time.Since(started).Round(time.Second))
	return rows, WriteTable(out, rows)
}

// benchSkip says why impl cannot be benchmarked here, or "".
func benchSkip(impl Impl, opts BenchOptions) string {
	if impl == Vipd {
		if _, err := findVipd(opts.VipdBin); err != nil {
			return err.Error()
		}
		return ""
	}
	if !impl.Installed() {
		return "not installed"
	}
	return ""
}

// benchRun builds a lab, starts the daemons, runs one scenario and removes
// the lab.
func benchRun(ctx context.Context, opts Options, s Scenario, loss LossOptions) (_ Result, err error) {
	l, err := New(ctx, opts)
	if err != nil {
		return Result{}, err
	}
	defer func() { err = errors.Join(err, l.Close()) }()
	if err := l.StartDaemons(ctx); err != nil {
		return Result{}, err
	}
	return Run(ctx, l, s, 0, loss)
}

// WriteTable prints rows as the benchmark table: per row the median and
// maximum client-observed downtime, for loss the master changes per run
// (median and maximum), for kill -9 in how many runs two hosts still
// answered for the VIP at the end.
func WriteTable(out io.Writer, rows []Row) error {
	t := newTable("IMPLEMENTATION", "CONFIG", "SCENARIO", "RUNS", "MEDIAN DOWNTIME", "MAX DOWNTIME", "MASTER CHANGES", "TWO ANSWERING")
	for _, r := range rows {
		runs := fmt.Sprint(len(r.Results))
		if len(r.Errors) > 0 {
			runs += fmt.Sprintf(" (+%d failed)", len(r.Errors))
		}
		med, worst := "-", "-"
		if ds := r.Downtimes(); len(ds) > 0 {
			med, worst = FormatDuration(median(ds)), FormatDuration(slices.Max(ds))
		}
		changes, two := "", ""
		if r.Scenario == LossScenario && len(r.Results) > 0 {
			xs := r.MasterChanges()
			changes = fmt.Sprintf("median %d, max %d", medianInt(xs), slices.Max(xs))
		}
		if r.Scenario == Kill9Scenario && len(r.Results) > 0 {
			two = fmt.Sprintf("%d/%d", r.TwoAnswering(), len(r.Results))
		}
		t.add(r.Impl.String(), r.Profile, r.Scenario.String(), runs, med, worst, changes, two)
	}
	return t.write(out)
}
