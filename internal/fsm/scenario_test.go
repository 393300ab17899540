package fsm

import (
	"bufio"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the expected traces in testdata/scenarios")

// epoch is time zero of every scenario; times in scenario files are offsets.
var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// TestScenarios replays each file in testdata/scenarios. A file holds a
// `config` line, then commands (`> TIME INPUT`), each followed by the trace
// the machine must produce: its effects, then its state and next deadline.
// Lines starting with # are comments. Run with -update to rewrite traces.
func TestScenarios(t *testing.T) {
	files, err := filepath.Glob("testdata/scenarios/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenario files: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			want := string(data)
			got, err := runScenario(want)
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			if *update {
				if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s: trace differs (-want +got); rerun with -update if intended:\n%s", file, diff)
			}
		})
	}
}

// runScenario executes the script's commands and returns the script with
// every command's trace regenerated under it.
func runScenario(script string) (string, error) {
	var (
		out  trace
		m    *Machine
		last time.Time
	)
	sc := bufio.NewScanner(strings.NewReader(script))
	lineNo := 0
	for sc.Scan() {
		lineNo++
		line := sc.Text()
		fields := strings.Fields(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
			out.line(line)
		case fields[0] == "config":
			cfg, err := parseConfig(fields[1:])
			if err != nil {
				return "", fmt.Errorf("line %d: %w", lineNo, err)
			}
			if m, err = New(cfg); err != nil {
				return "", fmt.Errorf("line %d: %w", lineNo, err)
			}
			out.line(line)
		case fields[0] == ">":
			if m == nil {
				return "", fmt.Errorf("line %d: command before config", lineNo)
			}
			out.line(line)
			if err := runCommand(m, fields[1:], &out, &last); err != nil {
				return "", fmt.Errorf("line %d: %w", lineNo, err)
			}
		default:
			// An expected-output line: regenerated, so skipped here.
		}
	}
	return out.String(), sc.Err()
}

type trace struct{ strings.Builder }

func (b *trace) line(s string) { b.WriteString(s + "\n") }

func runCommand(m *Machine, f []string, out *trace, last *time.Time) error {
	if len(f) < 2 {
		return fmt.Errorf("want '> TIME INPUT', got %q", strings.Join(f, " "))
	}
	var now time.Time
	if f[0] == "deadline" {
		now = m.Deadline()
		if now.IsZero() {
			return fmt.Errorf("no deadline to run to")
		}
		out.line("@" + now.Sub(epoch).String())
	} else {
		d, err := time.ParseDuration(f[0])
		if err != nil {
			return err
		}
		now = epoch.Add(d)
	}
	if now.Before(*last) {
		return fmt.Errorf("time goes backwards: %s after %s", now.Sub(epoch), last.Sub(epoch))
	}
	*last = now
	in, err := parseInput(f[1:])
	if err != nil {
		return err
	}
	for _, e := range m.Step(now, in) {
		out.line(e.String())
	}
	deadline := "none"
	if d := m.Deadline(); !d.IsZero() {
		deadline = d.Sub(epoch).String()
	}
	st := m.Status()
	extra := ""
	if st.HandingOver {
		extra = " handing-over"
	}
	if st.Master.From.IsValid() {
		extra += " master=" + st.Master.From.String()
	}
	out.line(fmt.Sprintf("= %s deadline=%s%s", st.State, deadline, extra))
	return nil
}

func parseInput(f []string) (Input, error) {
	kv, err := keyValues(f[1:])
	if err != nil {
		return nil, err
	}
	switch f[0] {
	case "start":
		return Start{}, nil
	case "timeout":
		return Timeout{}, nil
	case "shutdown":
		return Shutdown{}, nil
	case "link":
		return LinkChanged{Up: kv.has("up")}, nil
	case "source":
		a, err := kv.advert()
		return SourceChanged{From: a.From}, err
	case "health":
		w, err := kv.int("weight", 0)
		return HealthChanged{Fault: kv.has("fault"), Weight: w}, err
	case "admin":
		for c := CommandMaintenance; c <= CommandClaim; c++ {
			if kv.has(c.String()) {
				return Admin{Command: c}, nil
			}
		}
		return nil, fmt.Errorf("unknown admin command in %v", f)
	case "advert":
		a, err := kv.advert()
		return AdvertReceived{Advert: a}, err
	}
	return nil, fmt.Errorf("unknown input %q", f[0])
}

func parseConfig(f []string) (Config, error) {
	if len(f) == 0 {
		return Config{}, fmt.Errorf("config needs a policy")
	}
	kv, err := keyValues(f[1:])
	if err != nil {
		return Config{}, err
	}
	var cfg Config
	resignSkew, err1 := kv.duration("resign-skew", 0)
	down, err2 := kv.int("down", 0)
	switch f[0] {
	case "vrrp2", "vrrp3":
		cfg.Policy = VRRP{Version: int(f[0][4] - '0'), DownAdverts: down, ResignSkewBase: resignSkew}
	case "carp":
		cfg.Policy = CARP{DeadRatio: down, ResignSkewBase: resignSkew}
	default:
		return cfg, fmt.Errorf("unknown policy %q", f[0])
	}
	if cfg.Self, err = kv.advert(); err != nil {
		return cfg, err
	}
	cfg.Preempt = kv.has("preempt")
	cfg.PreemptDelay, err = kv.duration("preempt-delay", 0)
	cfg.Announce.Repeats, _ = kv.int("repeats", 0)
	cfg.Announce.Spacing, _ = kv.duration("spacing", 0)
	cfg.Announce.Refresh, _ = kv.duration("refresh", 0)
	cfg.HandoverTimeout, _ = kv.duration("handover", 0)
	cfg.AdvertsPerInterval, _ = kv.int("per-interval", 0)
	for _, e := range []error{err, err1, err2} {
		if e != nil {
			return cfg, e
		}
	}
	return cfg, nil
}

type kvs map[string]string

func keyValues(f []string) (kvs, error) {
	kv := kvs{}
	for _, s := range f {
		k, v, _ := strings.Cut(s, "=")
		kv[k] = v
	}
	return kv, nil
}

func (kv kvs) has(k string) bool { _, ok := kv[k]; return ok }

func (kv kvs) int(k string, def int) (int, error) {
	if v, ok := kv[k]; ok {
		return strconv.Atoi(v)
	}
	return def, nil
}

func (kv kvs) duration(k string, def time.Duration) (time.Duration, error) {
	if v, ok := kv[k]; ok {
		return time.ParseDuration(v)
	}
	return def, nil
}

// advert reads from=/addr=, prio=, interval= (or CARP's advbase= and
// advskew=) and the resign flag.
func (kv kvs) advert() (Advert, error) {
	var a Advert
	addr := kv["from"]
	if addr == "" {
		addr = kv["addr"]
	}
	if addr != "none" { // none: not known yet
		from, err := netip.ParseAddr(addr)
		if err != nil {
			return a, err
		}
		a.From = from
	}
	prio, err := kv.int("prio", 0)
	if err != nil {
		return a, err
	}
	a.Priority = uint8(prio)
	if a.Interval, err = kv.duration("interval", 0); err != nil {
		return a, err
	}
	if kv.has("advbase") {
		base, err1 := kv.int("advbase", 0)
		skewSteps, err2 := kv.int("advskew", 0)
		if err1 != nil || err2 != nil {
			return a, fmt.Errorf("bad advbase/advskew")
		}
		a.Interval = time.Duration(base)*time.Second + time.Duration(skewSteps)*carpSkewUnit
	}
	a.Resign = kv.has("resign")
	return a, nil
}
