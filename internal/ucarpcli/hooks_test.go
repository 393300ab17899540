package ucarpcli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDownScriptFilters runs the /bin/sh filters as the hook runner runs
// them (argv plus ucarp's arguments, VIPD_PREV_STATE in a clean
// environment) and checks on which transitions the down script runs, with
// which arguments: ucarp runs it when leaving MASTER, at start unless -n,
// and at exit with -z only when not already BACKUP.
func TestDownScriptFilters(t *testing.T) {
	if _, err := os.Stat(shell); err != nil {
		t.Skipf("no %s: %v", shell, err)
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "ran")
	script := filepath.Join(dir, "vip-down.sh")
	if err := os.WriteFile(script, []byte("#!/bin/sh\nprintf '[%s]' \"$@\" > "+out+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		filter string
		prev   string
		runs   bool
	}{
		{downFilter, "init", true}, // at start
		{downFilter, "master", true},
		{downFilter, "backup", false}, // backup → fault: ucarp is BACKUP already
		{downFilter, "fault", false},  // fault → backup: link back, nothing
		{downFilter, "maintenance", false},
		{leaveFilter, "init", false}, // -n
		{leaveFilter, "master", true},
		{leaveFilter, "backup", false}, // -z at exit as backup
	}
	for _, tt := range tests {
		os.Remove(out)
		argv := []string{shell, "-c", tt.filter, script, "eth0", "10.0.0.100", "x param"}
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Env = []string{"PATH=/usr/bin:/bin", "VIPD_PREV_STATE=" + tt.prev}
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s from %s: %v: %s", tt.filter, tt.prev, err, b)
		}
		got, err := os.ReadFile(out)
		if ran := err == nil; ran != tt.runs {
			t.Errorf("filter %q from %s: ran %v, want %v", tt.filter, tt.prev, ran, tt.runs)
			continue
		}
		if tt.runs && strings.TrimSpace(string(got)) != "[eth0][10.0.0.100][x param]" {
			t.Errorf("filter %q from %s: script got %q, want ucarp's arguments", tt.filter, tt.prev, got)
		}
	}
}
