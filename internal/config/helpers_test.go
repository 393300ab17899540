package config

import (
	"errors"
	"strings"
	"testing"
)

// testFile is the file name the tests parse under.
const testFile = "vipd.yaml"

// The group helpers return a valid one-group file with extra inserted at
// line 3, right after "  - name: web", so that extra's first line is line 3
// of the file. extra's lines are indented by four spaces.
func carp(extra string) string {
	return "groups:\n  - name: web\n" + extra +
		"    interface: eth0\n    id: 1\n    vips: [192.0.2.1]\n    password: secret\n"
}

func vrrp3(extra string) string {
	return "groups:\n  - name: web\n" + extra +
		"    interface: eth0\n    protocol: vrrp3\n    id: 1\n    vips: [192.0.2.1]\n"
}

func vrrp3v6(extra string) string {
	return "groups:\n  - name: web\n" + extra +
		"    interface: eth0\n    protocol: vrrp3\n    id: 1\n    vips: [2001:db8::1]\n"
}

func vrrp2(extra string) string {
	return "groups:\n  - name: web\n" + extra +
		"    interface: eth0\n    protocol: vrrp2\n    id: 1\n    vips: [192.0.2.1]\n"
}

// problems parses in and returns the error lines, or nil if it parsed. It
// checks that Parse returns a Config or Errors, never both or neither.
func problems(t *testing.T, in string) []string {
	t.Helper()
	cfg, err := Parse(testFile, []byte(in))
	if err == nil {
		if cfg == nil {
			t.Fatal("Parse returned neither a config nor an error")
		}
		return nil
	}
	if cfg != nil {
		t.Errorf("Parse returned a config with the error %v", err)
	}
	var es Errors
	if !errors.As(err, &es) {
		t.Fatalf("Parse error is %T, want Errors", err)
	}
	return strings.Split(err.Error(), "\n")
}

// mustParse parses in and fails the test on any error.
func mustParse(t *testing.T, in string) *Config {
	t.Helper()
	cfg, err := Parse(testFile, []byte(in))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return cfg
}

// warnings parses in and returns its warnings as lines.
func warnings(t *testing.T, in string) []string {
	t.Helper()
	var out []string
	for _, w := range mustParse(t, in).Warnings {
		out = append(out, w.String())
	}
	return out
}
