package ucarpcli

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestErrors: command lines ucarp refuses, with ucarp's message and exit
// status where ucarp has one, and what vipd cannot do.
func TestErrors(t *testing.T) {
	with := func(extra ...string) []string { return append(slices.Clone(baseArgs), extra...) }
	tests := []struct {
		name   string
		args   []string
		status int
		msg    string
	}{
		// getopt
		{"unknown short option", []string{"-X"}, StatusUsage, "invalid option -- 'X'"},
		{"-m is not ucarp's", []string{"-m", "224.0.0.18"}, StatusUsage, "invalid option -- 'm'"},
		{"unknown long option", []string{"--bogus=1"}, StatusUsage, "unrecognized option '--bogus=1'"},
		{"ambiguous abbreviation", []string{"--pa", "x"}, StatusUsage, "option '--pa' is ambiguous; possibilities: '--pass' '--passfile'"},
		{"missing short argument", []string{"-i", "eth0", "-v"}, StatusUsage, "option requires an argument -- 'v'"},
		{"missing long argument", []string{"--vhid"}, StatusUsage, "option '--vhid' requires an argument"},
		{"argument to a flag", []string{"--preempt=yes"}, StatusUsage, "option '--preempt' doesn't allow an argument"},
		{"vipd options are not abbreviated", []string{"--vipd-p=10.0.0.3"}, StatusUsage, "unrecognized option"},
		// values, in ucarp's words
		{"vhid 0", []string{"-v", "0"}, StatusInvalid, "vhid must be between 1 and 255."},
		{"vhid 256", []string{"--vhid=256"}, StatusInvalid, "vhid must be between 1 and 255."},
		{"vhid not a number", []string{"-v", "one"}, StatusInvalid, "vhid must be between 1 and 255."},
		{"bad source", []string{"-s", "10.0.0"}, StatusInvalid, "Invalid address: [10.0.0]"},
		{"bad address", []string{"-a", "vip"}, StatusInvalid, "Invalid address: [vip]"},
		{"IPv6 address", []string{"-a", "[2001:db8::1]"}, StatusInvalid, "IPv4 only"},
		{"bad mcast", []string{"--mcastip=x"}, StatusInvalid, "Invalid address: [x]"},
		{"other mcast group", []string{"--mcastip=224.0.0.19"}, StatusInvalid, "224.0.0.18 only"},
		{"dead ratio 0", []string{"-r", "0"}, StatusInvalid, "Dead ratio can't be zero"},
		{"dead ratio 256", []string{"-r", "256"}, StatusInvalid, "more than vipd's 255"},
		{"advbase 255", []string{"-b", "255"}, StatusInvalid, "leaving"},
		{"advskew 255", []string{"-k", "255"}, StatusInvalid, "out of vipd's range 0-254"},
		{"advskew with text", []string{"-k", "5s"}, StatusInvalid, `"5s" is not a number`},
		{"advskew negative", []string{"-k", "-1"}, StatusInvalid, "is not a number"},
		{"advskew Go spelling", []string{"-k", "1_0"}, StatusInvalid, "is not a number"},
		{"unreadable passfile", []string{"-o", "/nonexistent"}, StatusInvalid, "unable to open passfile /nonexistent for reading"},
		{"empty passfile", []string{"-o", "/etc/ucarp/empty"}, StatusInvalid, "error reading passfile /etc/ucarp/empty: unexpected end of file"},
		{"bad hook timeout", []string{"--vipd-hook-timeout=0"}, StatusInvalid, "not a positive duration"},
		{"peer prefix", []string{"--vipd-peer=10.0.0.0/24"}, StatusInvalid, "not a prefix"},
		{"empty vipd dir", []string{"--vipd-dir="}, StatusInvalid, "empty"},
		// after all options, in ucarp's order
		{"no vhid", []string{"-s", "10.0.0.2"}, StatusInvalid, "You must supply a valid virtual host id"},
		{"no password", []string{"-v", "1"}, StatusInvalid, "You must supply a password"},
		{"empty first line", []string{"-v", "1", "-o", "/etc/ucarp/emptyline"}, StatusInvalid, "You must supply a password"},
		{"no time base", with("-b", "0"), StatusInvalid, "You must supply an advertisement time base"},
		{"no source", []string{"-v", "1", "-p", "x"}, StatusInvalid, "You must supply a persistent source address"},
		{"no address", []string{"-v", "1", "-p", "x", "-s", "10.0.0.2"}, StatusInvalid, "You must supply a virtual host address"},
		{"password too long", with("-p", "01234567890123456789"), StatusStart, "Password too long"},
		{"passfile too long", with("-o", "/etc/ucarp/long"), StatusStart, "Password too long"},
		{"interface too long", with("-i", "interface-name-16"), StatusStart, "Interface name too long"},
		{"address is the source", with("-a", "10.0.0.2"), StatusInvalid, "is the source address"},
		{"-M without peers", with("-M"), StatusInvalid, "--vipd-peer"},
		{"peer is the source", with("--vipd-peer=10.0.0.2"), StatusInvalid, "--vipd-peer 10.0.0.2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := build(t, tt.args, ForDaemon)
			wantError(t, err, tt.status, tt.msg)
		})
	}
}

// TestFirstErrorWins: options are applied in order, so the first bad one
// is reported, as ucarp does.
func TestFirstErrorWins(t *testing.T) {
	_, err := Parse([]string{"-v", "0", "-X"}, testEnv())
	wantError(t, err, StatusInvalid, "vhid must be between")
	_, err = Parse([]string{"-X", "-v", "0"}, testEnv())
	wantError(t, err, StatusUsage, "invalid option -- 'X'")
}

// TestHelp: -h stops at once, whatever follows.
func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"-h"}, {"--help", "-X"}, {"--he"}, {"-Ph"}} {
		o, err := Parse(args, testEnv())
		if err != nil || !o.Help {
			t.Errorf("Parse(%q) = %+v, %v: want Help", args, o, err)
		}
	}
}

// TestScanner follows getopt_long through the shapes of command lines.
func TestScanner(t *testing.T) {
	tests := []struct {
		args     []string
		want     []string // name=arg of each option
		operands []string
	}{
		{[]string{"-zP"}, []string{"--shutdown=", "--preempt="}, nil},
		{[]string{"-zPv1"}, []string{"--shutdown=", "--preempt=", "--vhid=1"}, nil},
		{[]string{"-p", "-x"}, []string{"--pass=-x"}, nil},
		{[]string{"--pass", "--neutral"}, []string{"--pass=--neutral"}, nil},
		{[]string{"--pass="}, []string{"--pass="}, nil},
		{[]string{"--pre", "--inter=eth0", "--mcast=224.0.0.18"}, []string{"--preempt=", "--interface=eth0", "--mcastip=224.0.0.18"}, nil},
		{[]string{"a", "-P", "-", "b", "--", "-z"}, []string{"--preempt="}, []string{"a", "-", "b", "-z"}},
		{[]string{"--vipd-peer", "10.0.0.3"}, []string{"--vipd-peer=10.0.0.3"}, nil},
	}
	for _, tt := range tests {
		sc := newScanner(specs, tt.args)
		var got []string
		for {
			opt, ok, err := sc.scan()
			if err != nil {
				t.Fatalf("%q: %v", tt.args, err)
			}
			if !ok {
				break
			}
			long := opt.spec.long
			got = append(got, "--"+long+"="+opt.arg)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%q options (-want +got):\n%s", tt.args, diff)
		}
		if diff := cmp.Diff(tt.operands, sc.operands); diff != "" {
			t.Errorf("%q operands (-want +got):\n%s", tt.args, diff)
		}
	}
}
