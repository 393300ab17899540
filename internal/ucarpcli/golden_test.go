package ucarpcli

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGoldenYAML compares what Build writes, and the effective
// configuration config.Parse makes of it, for a command line with every
// option, as `vipd ucarp` runs it and as `vipd import ucarp` prints it.
func TestGoldenYAML(t *testing.T) {
	args := []string{
		"--interface=eth0", "-s", "10.0.0.2", "-v", "42", "-o", "/etc/ucarp/pass",
		"-a", "10.0.0.100/24", "-b", "2", "-k", "50", "-r", "4", "-zPn",
		"-u", "/etc/vip-up.sh", "-d", "vip-down.sh", "-x", "web", "-D", "-S", "-B",
		"-f", "local2", "--mcastip=224.0.0.18", "-M", "--vipd-peer=10.0.0.3",
		"--vipd-hook-timeout=2m", "--vipd-dir=/srv/vipd",
	}
	for _, tt := range []struct {
		name   string
		target Target
	}{{"daemon", ForDaemon}, {"file", ForFile}} {
		t.Run(tt.name, func(t *testing.T) {
			_, res, err := build(t, args, tt.target)
			if err != nil {
				t.Fatal(err)
			}
			var notes strings.Builder
			for _, n := range res.Notes {
				notes.WriteString("# note " + n.String() + "\n")
			}
			got := string(res.YAML) + "\n# ---- effective\n" + string(res.Config.Effective()) + notes.String()
			path := filepath.Join("testdata", tt.name+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (go test -update writes it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", path, diff)
			}
		})
	}
}

// TestUsageListsEveryOption keeps --help in step with the options.
func TestUsageListsEveryOption(t *testing.T) {
	for _, sp := range specs {
		if !strings.Contains(Usage, "--"+sp.long) {
			t.Errorf("Usage does not list --%s", sp.long)
		}
		if sp.short != 0 && !strings.Contains(Usage, "(-"+string(rune(sp.short))) {
			t.Errorf("Usage does not list -%c", sp.short)
		}
	}
}
