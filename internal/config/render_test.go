package config

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// goldenInputs are configurations whose effective rendering is kept in
// testdata/NAME.effective.
var goldenInputs = []struct{ name, path string }{
	{"full", "testdata/full.yaml"},
	{"example", "../../deploy/vipd.example.yaml"},
}

func TestEffectiveGolden(t *testing.T) {
	for _, in := range goldenInputs {
		t.Run(in.name, func(t *testing.T) {
			cfg := parseFile(t, in.path)
			got := string(cfg.Effective())
			golden := filepath.Join("testdata", in.name+".effective")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("Effective() (-want +got):\n%s", diff)
			}
		})
	}
}

// TestEffectiveRoundTrip checks that the rendering says everything: parsed
// again (with the passwords put back), it is the same configuration.
func TestEffectiveRoundTrip(t *testing.T) {
	for _, in := range goldenInputs {
		t.Run(in.name, func(t *testing.T) {
			cfg := parseFile(t, in.path)
			out := string(cfg.Effective())
			for _, g := range cfg.Groups {
				if g.Password != "" && g.PasswordFile == "" {
					out = strings.Replace(out, "password: "+redacted, "password: '"+string(g.Password)+"'", 1)
				}
			}
			again, err := Parse(cfg.Path, []byte(out))
			if err != nil {
				t.Fatalf("parsing the rendering: %v\n%s", err, out)
			}
			if diff := cmp.Diff(cfg.Groups, again.Groups, addrCmp); diff != "" {
				t.Errorf("groups after a round trip (-before +after):\n%s", diff)
			}
			cfg.Groups, again.Groups, cfg.Warnings, again.Warnings = nil, nil, nil, nil
			if diff := cmp.Diff(cfg, again); diff != "" {
				t.Errorf("config after a round trip (-before +after):\n%s", diff)
			}
		})
	}
}

func TestEffectiveRedactsPasswords(t *testing.T) {
	cfg := mustParse(t, carp("    hooks: {on_master: [/bin/true]}\n"))
	if out := string(cfg.Effective()); strings.Contains(out, "secret") {
		t.Errorf("the rendering shows the password:\n%s", out)
	}
}

func parseFile(t *testing.T, path string) *Config {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := Parse(path, data)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}
