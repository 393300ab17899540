//go:build e2e

package ucarpcmd

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/vipd/vipd/internal/lab"
	"github.com/vipd/vipd/internal/lab/labtest"
	"github.com/vipd/vipd/internal/linuxnet/nstest"
)

// impl is the program that runs a host's ucarp command line.
type impl int

const (
	realUcarp impl = iota // ucarp 1.5.2
	vipdUcarp             // vipd ucarp
)

func (i impl) String() string {
	if i == realUcarp {
		return "ucarp"
	}
	return "vipd-ucarp"
}

// The settings both hosts share.
const (
	vhid     = "10"
	password = "drop-in"
	xparam   = "xp1" // h1's -x; h2 has none
)

var vip = lab.VIP4.Addr().String()

// hostArgs returns the ucarp options of host h, whose scripts and password
// file are in its directory. Together they use every option whose meaning
// vipd ucarp shares with ucarp (-S and -M are documented differences).
//
// h1 is preferred (the lower advskew) and preempts (-P); it runs no down
// script at start (-n) and runs it at exit (-z); its scripts get an extra
// parameter (-x); short options, combined; debug output (-D).
//
// h2 takes the defaults of -P, -n and -z; long options, some abbreviated
// (--mcast); the password from a file (-o); in the background (-B) with a
// syslog facility (-f).
func hostArgs(h *lab.Host) []string {
	up, down := filepath.Join(h.Dir(), "up.sh"), filepath.Join(h.Dir(), "down.sh")
	if h.Name == "h1" {
		return []string{"-i", lab.LinkName, "-s", h.Addr4.String(), "-v", vhid, "-p", password,
			"-a", vip, "-b", "1", "-r", "3", "-k", "10", "-Pnz", "-x", xparam, "-D",
			"-u", up, "-d", down}
	}
	return []string{"--interface=" + lab.LinkName, "--srcip=" + h.Addr4.String(), "--vhid=" + vhid,
		"--passfile=" + filepath.Join(h.Dir(), "pass"), "--addr=" + vip, "--advbase=1",
		"--deadratio=3", "--advskew=100", "--mcast=224.0.0.18", "-f", "local3", "-B",
		"--upscript=" + up, "--downscript=" + down}
}

// writeFiles writes host h's scripts and password file. The scripts log
// how they were called ("$0 $*") and the pid of their parent, the daemon
// (which -B hides otherwise), then do the address work ucarp leaves to its
// users: the address with the subnet's prefix, as ucarp's example scripts
// add it.
func writeFiles(h *lab.Host, ip string) error {
	q := func(p string) string { return "'" + filepath.Join(h.Dir(), p) + "'" } // lab paths hold no quote
	head := "#!/bin/sh\n# ucarp and vipd ucarp call: <script> <interface> <address> [xparam]\n" +
		"echo $PPID > " + q("daemon.pid") + "\n" +
		`echo "$0 $*" >> ` + q("scripts.log") + "\n"
	files := []struct {
		name, text string
		mode       os.FileMode
	}{
		{"up.sh", head + ip + ` addr add "$2/24" dev "$1"` + "\n", 0o755},
		{"down.sh", head + ip + ` addr del "$2/24" dev "$1" 2>/dev/null` + "\nexit 0\n", 0o755},
		{"pass", password + "\n", 0o600},
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(h.Dir(), f.name), []byte(f.text), f.mode); err != nil {
			return err
		}
	}
	return nil
}

// step is what one event of a run led to.
type step struct {
	// Name is the event.
	Name string
	// Calls are the scripts each host ran, as "up.sh eth0 192.0.2.100 xp1".
	Calls map[string][]string
	// Client is the host the client reached, steadily and alone, at the
	// end of the step, or what it saw instead.
	Client string
	// Exit is the exit status of the process the step waited for, if any.
	Exit string
}

// call is how host's script runs: "down.sh eth0 192.0.2.100 [xp1]".
func call(host, script string) string {
	c := script + ".sh " + lab.LinkName + " " + vip
	if host == "h1" {
		c += " " + xparam
	}
	return c
}

// wantSteps is what ucarp 1.5.2 does (src/carp.c): carp_set_state runs the
// down script on every entry to BACKUP except INIT → BACKUP with -n, and the
// up script on entry to MASTER; a master whose link loses carrier goes to
// BACKUP at once (unless -S), a backup's changes nothing; with -z, SIGTERM
// and SIGQUIT run the down script unless BACKUP, then exit 0; without -z
// SIGTERM kills ucarp and the address its up script added stays.
var wantSteps = []step{
	{Name: "h1 starts (-n)", Calls: map[string][]string{"h1": {call("h1", "up")}}, Client: "h1", Exit: "running"},
	{Name: "h2 starts (-B)", Calls: map[string][]string{"h2": {call("h2", "down")}}, Client: "h1", Exit: "0"},
	{Name: "h1's link is cut", Calls: map[string][]string{"h1": {call("h1", "down")}, "h2": {call("h2", "up")}}, Client: "h2"},
	{Name: "h1's link is back (-P)", Calls: map[string][]string{"h1": {call("h1", "up")}, "h2": {call("h2", "down")}}, Client: "h1"},
	{Name: "h2's link is cut (backup)", Calls: map[string][]string{}, Client: "h1"},
	{Name: "h2's link is back", Calls: map[string][]string{}, Client: "h1"},
	{Name: "h1 is stopped (-z)", Calls: map[string][]string{"h1": {call("h1", "down")}, "h2": {call("h2", "up")}}, Client: "h2", Exit: "0"},
	{Name: "h2 is stopped (no -z)", Calls: map[string][]string{}, Client: "h2", Exit: "gone"},
}

// TestDropIn runs one scenario with the same command lines four times:
// ucarp on both hosts, vipd ucarp on both, and the two mixed. Every run
// must match what ucarp 1.5.2 does (wantSteps) and the all-ucarp run.
func TestDropIn(t *testing.T) {
	nstest.Require(t)
	labtest.Bin(t) // fails here, once, if vipd could not be built
	ucarp, err := exec.LookPath("ucarp")
	if err != nil {
		ucarp, err = exec.LookPath("/usr/sbin/ucarp")
	}
	if err != nil {
		labtest.Skip(t, "ucarp is not installed")
	}
	ip, err := exec.LookPath("ip")
	if err != nil {
		labtest.Skip(t, "iproute2's ip is not installed")
	}
	runs := []struct {
		name   string
		h1, h2 impl
		// stop is the signal that stops h1, the master: ucarp -z handles
		// SIGQUIT as SIGTERM.
		stop syscall.Signal
	}{
		{"ucarp", realUcarp, realUcarp, syscall.SIGTERM},
		{"vipd", vipdUcarp, vipdUcarp, syscall.SIGTERM},
		{"ucarp-h1-vipd-h2", realUcarp, vipdUcarp, syscall.SIGTERM},
		{"vipd-h1-ucarp-h2", vipdUcarp, realUcarp, syscall.SIGQUIT},
	}
	got := make([][]step, len(runs))
	t.Run("runs", func(t *testing.T) {
		for i, r := range runs {
			t.Run(r.name, func(t *testing.T) {
				t.Parallel()
				rn := newRun(t, map[string]impl{"h1": r.h1, "h2": r.h2}, ucarp, ip)
				got[i] = rn.scenario(r.stop)
				for _, s := range got[i] {
					t.Logf("%-26s client: %-3s exit: %-7s calls: %v", s.Name, s.Client, s.Exit, s.Calls)
				}
				want := wantSteps[:len(got[i])] // a run stops at its first wrong step
				if diff := cmp.Diff(want, got[i]); diff != "" {
					t.Errorf("%s on h1, %s on h2: not what ucarp 1.5.2 does (-want +got):\n%s", r.h1, r.h2, diff)
				}
				if len(got[i]) < len(wantSteps) {
					t.Errorf("the run stopped before %q", wantSteps[len(got[i])].Name)
				}
			})
		}
	})
	for i := 1; i < len(runs); i++ {
		if len(got[0]) < len(wantSteps) || len(got[i]) < len(wantSteps) {
			continue // a run stopped early, and said why
		}
		if diff := cmp.Diff(got[0], got[i]); diff != "" {
			t.Errorf("run %s differs from run %s (-%s +%s):\n%s", runs[i].name, runs[0].name, runs[0].name, runs[i].name, diff)
		}
	}
}

// run is one lab with ucarp or vipd ucarp on h1 and h2.
type run struct {
	t      *testing.T
	ctx    context.Context
	l      *lab.Lab
	ucarp  string // the ucarp binary
	vipd   string // the vipd binary under test
	h1, h2 *node
	seen   map[*node]int // script log lines already assigned to a step
}

// node is one host of a run.
type node struct {
	*lab.Host
	impl impl
	proc *lab.Process // the process the test started
}

func (n *node) argv(ucarp, vipd string) []string {
	if n.impl == realUcarp {
		return append([]string{ucarp}, hostArgs(n.Host)...)
	}
	// --vipd-dir: both hosts share this machine's /run and /var/lib.
	return append(append([]string{vipd, "ucarp"}, hostArgs(n.Host)...), "--vipd-dir="+n.Dir())
}

// newRun builds a two-host lab for t with the hosts' files written; the
// daemons are not started yet. Everything is removed when t ends.
func newRun(t *testing.T, impls map[string]impl, ucarp, ip string) *run {
	ctx := labtest.Context(t, 5*time.Minute)
	l := labtest.NewLab(t, lab.Options{Hosts: 2})
	r := &run{t: t, ctx: ctx, l: l, ucarp: ucarp, vipd: labtest.Bin(t), seen: map[*node]int{}}
	r.h1 = &node{Host: l.Host("h1"), impl: impls["h1"]}
	r.h2 = &node{Host: l.Host("h2"), impl: impls["h2"]}
	for _, n := range r.nodes() {
		if err := writeFiles(n.Host, ip); err != nil {
			t.Fatal(err)
		}
	}
	// Before the lab goes: the daemons hold its namespaces.
	t.Cleanup(func() {
		if t.Failed() {
			r.dump()
		}
		for _, n := range r.nodes() {
			n.stop()
		}
	})
	return r
}

func (r *run) nodes() []*node { return []*node{r.h1, r.h2} }

// scenario runs the events of wantSteps and returns what each led to. It
// stops at the first step that differs from wantSteps: the next would only
// wait in vain.
func (r *run) scenario(stop syscall.Signal) []step {
	h1, h2 := r.h1, r.h2
	var out []step
	do := func(i int, act func() (exit string, err error)) bool {
		want := wantSteps[i]
		exit, err := act()
		if err != nil {
			r.t.Errorf("%s: %v", want.Name, err)
			return false
		}
		s := r.observe(want)
		s.Exit = exit
		out = append(out, s)
		return cmp.Equal(want, s)
	}
	_ = do(0, func() (string, error) { return "running", r.start(h1) }) &&
		do(1, func() (string, error) {
			// -B: the command returns once the daemon runs in the background.
			if err := r.start(h2); err != nil {
				return "", err
			}
			return r.exit(h2.proc)
		}) &&
		do(2, func() (string, error) { return "", h1.CutLink() }) &&
		do(3, func() (string, error) { return "", h1.RestoreLink() }) &&
		do(4, func() (string, error) { return "", h2.CutLink() }) &&
		do(5, func() (string, error) { return "", h2.RestoreLink() }) &&
		do(6, func() (string, error) {
			if err := h1.proc.Signal(stop); err != nil {
				return "", err
			}
			return r.exit(h1.proc)
		}) &&
		do(7, func() (string, error) { return r.terminateDaemon(h2) })
	return out
}

// start starts n's command line in its namespace.
func (r *run) start(n *node) error {
	argv := n.argv(r.ucarp, r.vipd)
	p, err := n.StartProcess(n.impl.String()+" on "+n.Name, filepath.Join(n.Dir(), "daemon.log"), nil, argv...)
	if err != nil {
		return err
	}
	r.t.Logf("%s: started %s", n.Name, strings.Join(argv, " "))
	n.proc = p
	return nil
}

// exit waits for p to exit and returns its exit status.
func (r *run) exit(p *lab.Process) (string, error) {
	ctx, cancel := context.WithTimeout(r.ctx, waitFor)
	defer cancel()
	if err := p.Wait(ctx); err != nil {
		return "", err
	}
	if c := p.ExitCode(); c >= 0 {
		return strconv.Itoa(c), nil
	}
	return p.Err().Error(), nil // killed by a signal
}

// observe waits until each host has made the calls want expects of it and
// the client reaches want's host, and returns what happened: every call
// made by then, and what the client saw.
func (r *run) observe(want step) step {
	deadline := time.Now().Add(waitFor)
	for _, n := range r.nodes() {
		for len(r.lines(n)) < r.seen[n]+len(want.Calls[n.Name]) && time.Now().Before(deadline) {
			if !sleep(r.ctx, 20*time.Millisecond) {
				break
			}
		}
	}
	s := step{Name: want.Name, Calls: map[string][]string{}, Client: r.client(r.l.Host(want.Client))}
	for _, n := range r.nodes() {
		lines := r.lines(n)
		if len(lines) > r.seen[n] {
			s.Calls[n.Name] = lines[r.seen[n]:]
			r.seen[n] = len(lines)
		}
	}
	return s
}

// lines returns n's script calls so far, the scripts' directory left out.
func (r *run) lines(n *node) []string {
	b, err := os.ReadFile(filepath.Join(n.Dir(), "scripts.log"))
	if err != nil {
		return nil
	}
	var out []string
	for line := range strings.Lines(string(b)) {
		out = append(out, strings.TrimPrefix(strings.TrimSuffix(line, "\n"), n.Dir()+"/"))
	}
	return out
}

// client waits until want alone answers the client steadily, for the
// client's own probes and for probes sent to every host's MAC, and
// returns its name, or else says what the client saw.
func (r *run) client(want *lab.Host) string {
	err := r.l.WaitAnsweredBy(r.ctx, 0, want, time.Second, waitFor)
	if err == nil {
		err = r.l.WaitSoleAnswerer(r.ctx, 0, want, time.Second, waitFor)
	}
	if err == nil {
		return want.Name
	}
	r.t.Log(err)
	seen := "nobody steadily"
	if h := r.l.Answering(0, time.Second); h != nil {
		seen = h.Name
	}
	hs, _ := r.l.SweepAnswerers(0, time.Second)
	var names []string
	for _, h := range hs {
		names = append(names, h.Name)
	}
	return fmt.Sprintf("answered by %s; answering its MAC: %v", seen, names)
}

// daemonPid returns the pid of n's daemon as its scripts logged it, if it
// is still n's daemon: a process whose command line names n's up script
// (in this run's own temporary directory).
func daemonPid(n *node) (int, bool) {
	b, err := os.ReadFile(filepath.Join(n.Dir(), "daemon.pid"))
	if err != nil {
		return 0, false
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 1 {
		return 0, false
	}
	cmd, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	if err != nil || !strings.Contains(string(cmd), filepath.Join(n.Dir(), "up.sh")) {
		return 0, false
	}
	return pid, alive(pid)
}

// alive reports whether pid runs (a zombie does not).
func alive(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i >= 0 && i+2 < len(s) && s[i+2] != 'Z'
}

// terminateDaemon sends SIGTERM to n's background daemon and waits until
// it is gone.
func (r *run) terminateDaemon(n *node) (string, error) {
	pid, ok := daemonPid(n)
	if !ok {
		return "", fmt.Errorf("%s: no daemon pid from its scripts", n.Name)
	}
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		return "", err
	}
	deadline := time.Now().Add(waitFor)
	for alive(pid) {
		if time.Now().After(deadline) || !sleep(r.ctx, 20*time.Millisecond) {
			return "", fmt.Errorf("%s: daemon %d still runs after SIGTERM", n.Name, pid)
		}
	}
	return "gone", nil
}

// stop ends what n still runs: the process the test started, and the
// background daemon of -B (found by the pid its scripts logged).
func (n *node) stop() {
	if n.proc != nil {
		_ = n.proc.Stop(5 * time.Second)
	}
	if pid, ok := daemonPid(n); ok {
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
}

// dump logs what each host's daemon and scripts wrote, and vipd's view.
func (r *run) dump() {
	for _, n := range r.nodes() {
		for _, f := range []string{"daemon.log", "scripts.log"} {
			b, _ := os.ReadFile(filepath.Join(n.Dir(), f))
			r.t.Logf("---- %s (%s) %s ----\n%s", n.Name, n.impl, f, b)
		}
		if n.impl == vipdUcarp {
			sock := filepath.Join(n.Dir(), "ucarp-"+lab.LinkName+"-"+vhid+".sock")
			out, err := exec.Command(r.vipd, "status", "--socket", sock).CombinedOutput()
			r.t.Logf("---- %s vipd status (%v) ----\n%s", n.Name, err, out)
		}
	}
}

// sleep waits for d or until ctx ends, and reports whether ctx is still
// live.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
