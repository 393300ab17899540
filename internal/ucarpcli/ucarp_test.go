package ucarpcli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vipd/vipd/internal/linuxnet/nstest"
)

// findUcarp returns the installed ucarp, or skips the test.
func findUcarp(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("ucarp"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/sbin/ucarp"); err == nil {
		return "/usr/sbin/ucarp"
	}
	nstest.Missing(t, "ucarp is not installed (Debian package ucarp)")
	return ""
}

// runUcarp runs the real ucarp with args. Every command line given here
// lacks an option ucarp requires, or fails in ucarp's first step (the
// password check), so ucarp never opens an interface or daemonizes.
func runUcarp(t *testing.T, bin string, args []string) (stdout, stderr string, status int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		status = ee.ExitCode()
	default:
		t.Fatalf("ucarp %q: %v", args, err)
	}
	return out.String(), errb.String(), status
}

// getoptErrors are glibc's messages for options getopt_long refuses.
var getoptErrors = []string{"invalid option", "unrecognized option", "requires an argument", "is ambiguous", "doesn't allow an argument"}

// TestOptionsMatchUcarp checks, against the installed ucarp 1.5.2, that
// vipd ucarp accepts exactly the options ucarp accepts, in the same forms
// (short, combined, long, abbreviated, --opt=value), and refuses the ones
// ucarp refuses.
func TestOptionsMatchUcarp(t *testing.T) {
	bin := findUcarp(t)
	passfile := filepath.Join(t.TempDir(), "pass")
	if err := os.WriteFile(passfile, []byte("secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// None of these has every required option: -v is left out.
	cases := [][]string{
		{"-i", "eth0"}, {"--interface=eth0"}, {"--interface", "eth0"}, {"-ieth0"},
		{"-s", "10.0.0.2"}, {"--srcip=10.0.0.2"},
		{"--mcastip=224.0.0.18"}, {"--mcast=224.0.0.18"}, {"-m", "224.0.0.18"},
		{"-p", "secret"}, {"--pass=secret"}, {"-o", passfile}, {"--passfile", passfile},
		{"-P"}, {"--preempt"}, {"--pre"}, {"-n"}, {"--neutral"},
		{"-a", "10.0.0.100"}, {"--addr=10.0.0.100"},
		{"-b", "2"}, {"--advbase=2"}, {"-k", "10"}, {"--advskew", "10"}, {"-k10"},
		{"-u", "/bin/true"}, {"--upscript=/bin/true"}, {"-d", "/bin/true"}, {"--downscript", "/bin/true"},
		{"-r", "4"}, {"--deadratio=4"}, {"-D"}, {"--debug"}, {"-z"}, {"--shutdown"},
		{"-B"}, {"--daemonize"}, {"-S"}, {"--ignoreifstate"}, {"-M"}, {"--nomcast"},
		{"-f", "local0"}, {"--facility=daemon"}, {"-x", "param"}, {"--xparam=param"},
		{"-zPnDBSM"}, {"-zPk5"},
		{"-h"}, {"--help"},
		// refused
		{"-X"}, {"-C"}, {"--bogus"}, {"--pa", "x"}, {"--d"}, {"--de"}, {"--preempt=1"},
		{"-i"}, {"--vhid"}, {"--mcastipx=1"},
	}
	for _, args := range cases {
		stdout, stderr, status := runUcarp(t, bin, args)
		refused := containsAny(stderr, getoptErrors)
		help := !refused && strings.Contains(stdout, "Sample usage")
		o, err := Parse(args, Env{})
		var e *Error
		gotRefused := errors.As(err, &e) && e.Status == StatusUsage
		gotHelp := err == nil && o.Help
		switch {
		case refused != gotRefused:
			t.Errorf("%q: ucarp refuses it: %v (%q); vipd: %v (%v)", args, refused, firstLine(stderr), gotRefused, err)
		case help != gotHelp:
			t.Errorf("%q: ucarp prints its usage: %v; vipd: %v", args, help, gotHelp)
		case !refused && !help && status != StatusInvalid:
			t.Errorf("%q: ucarp exits %d, want 1 (a required option is missing): %s", args, status, stderr)
		}
	}
	// vipd's own options are unknown to ucarp, as intended.
	for _, args := range [][]string{{"--vipd-peer=10.0.0.3"}, {"--vipd-hook-timeout=1m"}} {
		if _, stderr, _ := runUcarp(t, bin, args); !strings.Contains(stderr, "unrecognized option") {
			t.Errorf("ucarp %q: %q: want it unrecognized", args, stderr)
		}
		if _, err := Parse(args, Env{}); err != nil {
			t.Errorf("vipd %q: %v", args, err)
		}
	}
}

// TestHelpOptionsExist reads ucarp --help and checks that vipd accepts
// every long option it lists, in the form it shows (ucarp lists --mcast,
// an abbreviation of its --mcastip).
func TestHelpOptionsExist(t *testing.T) {
	bin := findUcarp(t)
	help, _, _ := runUcarp(t, bin, []string{"--help"})
	re := regexp.MustCompile(`(?m)^--([a-z]+)(=<[^>]*>)?`)
	found := re.FindAllStringSubmatch(help, -1)
	if len(found) < 20 {
		t.Fatalf("ucarp --help lists %d options:\n%s", len(found), help)
	}
	for _, m := range found {
		args := []string{"--" + m[1]}
		if m[2] != "" {
			args[0] += "=1"
		}
		_, err := Parse(args, Env{ReadFile: func(string) ([]byte, error) { return []byte("x\n"), nil }})
		var e *Error
		if errors.As(err, &e) && e.Status == StatusUsage {
			t.Errorf("ucarp --help lists --%s; vipd refuses %q: %v", m[1], args, err)
		}
	}
}

// TestErrorsMatchUcarp checks messages and exit statuses against the
// installed ucarp for command lines it refuses. (One difference is on
// purpose and tested in TestBuildGroup: ucarp 1.5.2 refuses -s and -a with
// a prefix length, which later ucarp versions and vipd accept.)
func TestErrorsMatchUcarp(t *testing.T) {
	bin := findUcarp(t)
	tests := [][]string{
		{"-v", "0"},
		{"-v", "300"},
		{"-s", "10.0.0"},
		{"--mcastip=bad"},
		{"-o", "/nonexistent/pass"},
		{"-v", "1"},
		{"-v", "1", "-p", "x"},
		{"-v", "1", "-p", "x", "-s", "10.0.0.2"},
		{"-v", "1", "-p", "x", "-s", "10.0.0.2", "-a", "10.0.0.100", "-r", "0"},
		{"-v", "1", "-p", "x", "-b", "0"},
		// complete but for a password ucarp refuses before touching anything
		{"-i", "lo", "-s", "127.0.0.1", "-v", "1", "-p", "01234567890123456789", "-a", "127.0.0.2"},
	}
	for _, args := range tests {
		_, stderr, status := runUcarp(t, bin, args)
		o, err := Parse(args, Env{})
		if err == nil {
			err = o.Check()
		}
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("%q: vipd accepts it; ucarp exits %d: %s", args, status, firstLine(stderr))
			continue
		}
		if e.Status != status {
			t.Errorf("%q: vipd exits %d, ucarp %d (%s)", args, e.Status, status, firstLine(stderr))
		}
		msg, _, _ := strings.Cut(e.Msg, ":")
		if !strings.Contains(stderr, msg) {
			t.Errorf("%q: vipd says %q, ucarp %q", args, e.Msg, stderr)
		}
	}
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
