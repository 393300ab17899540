package ucarpcli

import (
	"errors"
	"io/fs"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/vipd/vipd/internal/config"
)

// baseArgs is the smallest complete command line: the required options.
var baseArgs = []string{"-i", "eth0", "-s", "10.0.0.2", "-v", "1", "-p", "secret", "-a", "10.0.0.100"}

var netipComparer = cmp.Options{
	cmp.Comparer(func(a, b netip.Addr) bool { return a == b }),
	cmp.Comparer(func(a, b netip.Prefix) bool { return a == b }),
}

// files are the -o files the tests read.
var files = map[string]string{
	"/etc/ucarp/pass":      "filepass\nsecond line\n",
	"/etc/ucarp/crlf":      "crlfpass\r\n",
	"/etc/ucarp/empty":     "",
	"/etc/ucarp/emptyline": "\nrest\n",
	"/etc/ucarp/long":      "0123456789012345678901234\n",
	"/etc/ucarp/public":    "public\n",
}

func testEnv() Env {
	return Env{ReadFile: func(name string) ([]byte, error) {
		if s, ok := files[name]; ok {
			return []byte(s), nil
		}
		return nil, errors.New("no such file or directory")
	}}
}

// build runs a command line through Parse, Check and Build as vipd ucarp
// does, with eth1 holding 10.0.0.2 for command lines without -i.
func build(t *testing.T, args []string, target Target) (*Options, *Result, error) {
	t.Helper()
	o, err := Parse(args, testEnv())
	if err != nil {
		return nil, nil, err
	}
	if err := o.Check(); err != nil {
		return o, nil, err
	}
	res, err := Build(o, BuildOptions{
		Target: target, Dir: "/etc/ucarp",
		Stat: func(name string) (fs.FileInfo, error) {
			if name == "/etc/ucarp/public" {
				return publicFile{}, nil
			}
			return nil, fs.ErrNotExist
		},
		InterfaceOf: func(a netip.Addr) (string, error) {
			if a == netip.MustParseAddr("10.0.0.2") {
				return "eth1", nil
			}
			return "", errors.New("no such address on this host")
		},
	})
	return o, res, err
}

// TestBuildGroup checks the group each option produces, against the group
// of the required options alone with the option's effect applied.
func TestBuildGroup(t *testing.T) {
	_, base, err := build(t, baseArgs, ForDaemon)
	if err != nil {
		t.Fatal(err)
	}
	down := func(filter string) []string { return []string{"/bin/sh", "-c", filter, "/etc/vip-down.sh"} }
	tests := []struct {
		name string
		args []string // after baseArgs
		want func(g *config.Group)
	}{
		{"required options only", nil, func(g *config.Group) {}},
		{"-P preempts", []string{"-P"}, func(g *config.Group) { g.Preempt = true }},
		{"--preempt", []string{"--preempt"}, func(g *config.Group) { g.Preempt = true }},
		{"-b advbase", []string{"-b", "3"}, func(g *config.Group) { g.AdvBase = 3; g.AddressLifetime = 5 * time.Second }},
		{"--advbase=value", []string{"--advbase=2"}, func(g *config.Group) { g.AdvBase = 2; g.AddressLifetime = 3 * time.Second }},
		{"-k advskew", []string{"-k", "100"}, func(g *config.Group) { g.AdvSkew = 100 }},
		{"-k0x10 hex as strtoul", []string{"-k0x10"}, func(g *config.Group) { g.AdvSkew = 16 }},
		{"--advskew value", []string{"--advskew", "254"}, func(g *config.Group) { g.AdvSkew = 254; g.AddressLifetime = 2 * time.Second }},
		{"-b 0 with -k", []string{"-b", "0", "-k", "1"}, func(g *config.Group) { g.AdvBase, g.AdvSkew = 0, 1 }},
		{"-r dead ratio", []string{"-r", "5"}, func(g *config.Group) { g.DownAdverts = 5; g.AddressLifetime = 3 * time.Second }},
		{"--deadratio=1", []string{"--deadratio=1"}, func(g *config.Group) { g.DownAdverts = 1 }},
		{"-u up script", []string{"-u", "/etc/vip-up.sh"}, func(g *config.Group) { g.Hooks.OnMaster = []string{"/etc/vip-up.sh"} }},
		{"relative script", []string{"--upscript=up.sh"}, func(g *config.Group) { g.Hooks.OnMaster = []string{"/etc/ucarp/up.sh"} }},
		{"-d down script", []string{"-d", "/etc/vip-down.sh"}, func(g *config.Group) {
			g.Hooks.OnBackup, g.Hooks.OnFault = down(downFilter), down(downFilter)
		}},
		{"-n neutral", []string{"-d", "/etc/vip-down.sh", "-n"}, func(g *config.Group) {
			g.Hooks.OnBackup, g.Hooks.OnFault = down(leaveFilter), down(leaveFilter)
		}},
		{"-z shutdown", []string{"--downscript", "/etc/vip-down.sh", "-z"}, func(g *config.Group) {
			g.Hooks.OnBackup, g.Hooks.OnFault, g.Hooks.OnStop = down(downFilter), down(downFilter), down(leaveFilter)
		}},
		{"-z without down script", []string{"-z"}, func(g *config.Group) {}},
		{"-x xparam", []string{"-x", "extra value"}, func(g *config.Group) { g.Hooks.XParam = "extra value" }},
		{"--xparam=", []string{"--xparam=x"}, func(g *config.Group) { g.Hooks.XParam = "x" }},
		{"-a with prefix", []string{"-a", "10.0.0.100/24"}, func(g *config.Group) { g.VIPs = []netip.Prefix{netip.MustParsePrefix("10.0.0.100/24")} }},
		{"-s with prefix", []string{"-s", "10.0.0.3/24"}, func(g *config.Group) { g.Source = netip.MustParseAddr("10.0.0.3") }},
		{"-a last wins", []string{"-a", "10.0.0.101"}, func(g *config.Group) { g.VIPs = []netip.Prefix{netip.MustParsePrefix("10.0.0.101/32")} }},
		{"-o passfile", []string{"-o", "/etc/ucarp/pass"}, func(g *config.Group) { g.Password = "filepass" }},
		{"-o keeps CR as ucarp", []string{"--passfile=/etc/ucarp/crlf"}, func(g *config.Group) { g.Password = "crlfpass\r" }},
		{"-o then -p", []string{"-o", "/etc/ucarp/pass", "-p", "later"}, func(g *config.Group) { g.Password = "later" }},
		{"--vipd-peer", []string{"--vipd-peer=10.0.0.3", "--vipd-peer", "10.0.0.4"}, func(g *config.Group) {
			g.Peers = []netip.Addr{netip.MustParseAddr("10.0.0.3"), netip.MustParseAddr("10.0.0.4")}
		}},
		{"-M with peers", []string{"-M", "--vipd-peer=10.0.0.3"}, func(g *config.Group) { g.Peers = []netip.Addr{netip.MustParseAddr("10.0.0.3")} }},
		{"--vipd-hook-timeout", []string{"--vipd-hook-timeout=5m"}, func(g *config.Group) { g.Hooks.Timeout = 5 * time.Minute }},
		{"--mcastip 224.0.0.18", []string{"--mcastip=224.0.0.18"}, func(g *config.Group) {}},
		{"--mcast abbreviation", []string{"--mcast", "224.0.0.18"}, func(g *config.Group) {}},
		{"-S ignores carrier", []string{"-S"}, func(g *config.Group) { g.TrackLink = false }},
		{"--ignoreifstate", []string{"--ignoreifstate"}, func(g *config.Group) { g.TrackLink = false }},
		{"flags with no group setting", []string{"-B", "-f", "local3", "-D"}, func(g *config.Group) {}},
		{"combined -zPn and -v1", []string{"-zPnv7", "-d/etc/vip-down.sh"}, func(g *config.Group) {
			g.Preempt, g.ID, g.Name = true, 7, "ucarp-eth0-7"
			g.Hooks.OnBackup, g.Hooks.OnFault, g.Hooks.OnStop = down(leaveFilter), down(leaveFilter), down(leaveFilter)
		}},
		{"long abbreviations", []string{"--pre", "--vh=2", "--adv"}, nil}, // --adv is ambiguous
		{"options after an operand", []string{"stray", "-P"}, func(g *config.Group) { g.Preempt = true }},
		{"-- ends options", []string{"--", "-P"}, func(g *config.Group) {}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, res, err := build(t, append(slices.Clone(baseArgs), tt.args...), ForDaemon)
			if tt.want == nil {
				if err == nil {
					t.Fatal("Build succeeded, want an error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := base.Config.Groups[0]
			want.VIPs = slices.Clone(want.VIPs)
			tt.want(&want)
			if diff := cmp.Diff(want, res.Config.Groups[0], netipComparer); diff != "" {
				t.Errorf("group (-want +got):\n%s", diff)
			}
		})
	}
}

// TestBuildDaemonSettings: what the options set outside the group.
func TestBuildDaemonSettings(t *testing.T) {
	_, res, err := build(t, append(slices.Clone(baseArgs), "-D"), ForDaemon)
	if err != nil {
		t.Fatal(err)
	}
	c := res.Config
	if c.Log.Level.String() != "DEBUG" {
		t.Errorf("-D: log level %v, want debug", c.Log.Level)
	}
	if c.ControlSocket != "/run/vipd/ucarp-eth0-1.sock" || c.StateFile != "/var/lib/vipd/ucarp-eth0-1.json" {
		t.Errorf("paths %s %s: want a control socket and state file per instance", c.ControlSocket, c.StateFile)
	}
	_, res, err = build(t, baseArgs, ForFile)
	if err != nil {
		t.Fatal(err)
	}
	if res.Config.ControlSocket != config.DefaultControlSocket {
		t.Errorf("ForFile: control socket %s, want vipd's default", res.Config.ControlSocket)
	}
	for _, tt := range []struct {
		dir    string
		target Target
		want   string // the directory both paths are in
	}{
		{"/srv/vipd", ForDaemon, "/srv/vipd"},
		{"run", ForDaemon, "/etc/ucarp/run"}, // relative to the working directory, as scripts
		{"/srv/vipd", ForFile, "/srv/vipd"},
	} {
		_, res, err := build(t, append(slices.Clone(baseArgs), "--vipd-dir="+tt.dir), tt.target)
		if err != nil {
			t.Fatal(err)
		}
		c := res.Config
		if c.ControlSocket != tt.want+"/ucarp-eth0-1.sock" || c.StateFile != tt.want+"/ucarp-eth0-1.json" {
			t.Errorf("--vipd-dir=%s (target %d): paths %s %s, want both in %s", tt.dir, tt.target, c.ControlSocket, c.StateFile, tt.want)
		}
	}
}

// TestBuildInterfaceLookup: without -i, the link that holds -s.
func TestBuildInterfaceLookup(t *testing.T) {
	_, res, err := build(t, []string{"-s", "10.0.0.2", "-v", "1", "-p", "x", "-a", "10.0.0.100"}, ForDaemon)
	if err != nil {
		t.Fatal(err)
	}
	if g := res.Config.Groups[0]; g.Interface != "eth1" || g.Name != "ucarp-eth1-1" {
		t.Errorf("interface %s, name %s: want eth1, ucarp-eth1-1", g.Interface, g.Name)
	}
	if !hasNote(res.Notes, "-i") {
		t.Errorf("notes %v: want one about -i", res.Notes)
	}
	_, _, err = build(t, []string{"-s", "10.0.0.9", "-v", "1", "-p", "x", "-a", "10.0.0.100"}, ForDaemon)
	wantError(t, err, StatusInvalid, "You must supply a network interface")
}

// TestBuildNotes: options vipd honours differently are reported, and end
// up in the configuration's warnings, which the daemon logs at start.
func TestBuildNotes(t *testing.T) {
	_, res, err := build(t, append(slices.Clone(baseArgs), "-f", "local1", "-f", "bogus", "extra"), ForDaemon)
	if err != nil {
		t.Fatal(err)
	}
	for _, opt := range []string{"-f", "-u", "-d", "arguments"} {
		if !hasNote(res.Notes, opt) {
			t.Errorf("no note about %s in %v", opt, res.Notes)
		}
	}
	var warned []string
	for _, w := range res.Config.Warnings {
		warned = append(warned, w.Path)
	}
	if !slices.Contains(warned, "-f") {
		t.Errorf("config warnings %v lack -f", warned)
	}
	for _, tt := range []struct {
		args []string
		note bool
	}{{[]string{"-x", ""}, true}, {[]string{"-x", "", "-x", "web"}, false}, {[]string{"--xparam=web"}, false}} {
		_, res, err := build(t, append(slices.Clone(baseArgs), tt.args...), ForDaemon)
		if err != nil {
			t.Fatal(err)
		}
		if hasNote(res.Notes, "-x") != tt.note {
			t.Errorf("%q: notes %v, want a note about -x: %v", tt.args, res.Notes, tt.note)
		}
	}
	for _, n := range res.Notes {
		if n.Option == "-f" && !strings.Contains(n.Text, "Unknown syslog facility") {
			t.Errorf("-f note %q: want the unknown facility reported", n.Text)
		}
	}
	// -S is honoured (track_link: false), so it is no difference.
	if _, res, err = build(t, append(slices.Clone(baseArgs), "-S"), ForDaemon); err != nil {
		t.Fatal(err)
	} else if hasNote(res.Notes, "-S") {
		t.Errorf("notes %v: -S is honoured, want no note about it", res.Notes)
	}
}

// TestBuildPasswordFile: for a file configuration, -o becomes
// password_file unless vipd would read the file differently.
func TestBuildPasswordFile(t *testing.T) {
	_, res, err := build(t, append(slices.Clone(baseArgs), "-o", "/etc/ucarp/pass"), ForFile)
	if err != nil {
		t.Fatal(err)
	}
	if g := res.Config.Groups[0]; g.PasswordFile != "/etc/ucarp/pass" || g.Password != "" {
		t.Errorf("password_file %q, password %q: want the file, not its contents", g.PasswordFile, g.Password)
	}
	_, res, err = build(t, append(slices.Clone(baseArgs), "-o", "/etc/ucarp/public"), ForFile)
	if err != nil {
		t.Fatal(err)
	}
	if g := res.Config.Groups[0]; g.PasswordFile != "/etc/ucarp/public" || !hasNote(res.Notes, "-o") {
		t.Errorf("world-readable file: password_file %q, notes %v: want the file with a note", g.PasswordFile, res.Notes)
	}
	_, res, err = build(t, append(slices.Clone(baseArgs), "-o", "/etc/ucarp/crlf"), ForFile)
	if err != nil {
		t.Fatal(err)
	}
	if g := res.Config.Groups[0]; g.Password != "crlfpass\r" || !hasNote(res.Notes, "-o") {
		t.Errorf("CRLF file: password %q, notes %v: want the password inline with a note", g.Password, res.Notes)
	}
}

// publicFile is a file every user can read.
type publicFile struct{ fs.FileInfo }

func (publicFile) Mode() fs.FileMode { return 0o644 }

func hasNote(ns []Note, opt string) bool {
	return slices.ContainsFunc(ns, func(n Note) bool { return n.Option == opt })
}

func wantError(t *testing.T, err error, status int, msg string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v, want an *Error with %q", err, msg)
	}
	if e.Status != status || !strings.Contains(e.Msg, msg) {
		t.Errorf("error %q (status %d), want %q (status %d)", e.Msg, e.Status, msg, status)
	}
	if !strings.HasPrefix(e.Error(), "ucarpcli: ") {
		t.Errorf("%q is not prefixed with the package name", e.Error())
	}
}
