package kaimport

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vipd/vipd/internal/config"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestImportGolden converts each keepalived configuration in testdata and
// compares the YAML (NAME.yaml) and the warnings (NAME.warnings) with the
// golden files; go test -update rewrites them. Every output must pass
// config.Parse, as `vipd check` would run it.
func TestImportGolden(t *testing.T) {
	tests := []struct {
		name, file, configID string
	}{
		{"simple", "testdata/simple.conf", "lb1"},
		{"conditional-lb1", "testdata/conditional.conf", "lb1"},
		{"conditional-lb2", "testdata/conditional.conf", "lb2"},
		{"ipv6-v3", "testdata/ipv6-v3.conf", ""},
		{"v2-pass", "testdata/v2-pass.conf", ""},
		{"unicast", "testdata/unicast.conf", ""},
		{"sync-scripts", "testdata/sync-scripts.conf", ""},
		{"include", "testdata/include/keepalived.conf", ""},
		{"conflicts", "testdata/conflicts.conf", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Import(tt.file, Options{ConfigID: cmpOr(tt.configID, "none")})
			if err != nil {
				t.Fatalf("Import: %v", err)
			}
			if _, err := config.Parse("imported.yaml", res.YAML); err != nil {
				t.Errorf("the output does not pass config.Parse:\n%v\n%s", err, res.YAML)
			}
			var warns bytes.Buffer
			for _, w := range res.Warnings {
				warns.WriteString(w.String() + "\n")
			}
			golden(t, filepath.Join("testdata", "golden", tt.name+".yaml"), res.YAML)
			golden(t, filepath.Join("testdata", "golden", tt.name+".warnings"), warns.Bytes())
		})
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, diff)
	}
}

func cmpOr(s, otherwise string) string {
	if s == "" {
		return otherwise
	}
	return s
}

// TestImportErrors: configurations that cannot be read at all are errors
// that name the file and line.
func TestImportErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name, text, want string
	}{
		{"unclosed", "vrrp_instance A {\n interface eth0\n", "unclosed.conf:1: block is not closed"},
		{"extra-brace", "global_defs {\n}\n}\n", "extra-brace.conf:3: '}' closes no block"},
		{"quote", "vrrp_instance A {\n notify \"/bin/x\n}\n", "quote.conf:2: unterminated quoted string"},
		{"loop", "include loop.conf\n", "loop.conf:1: include of"},
		{"nothing", "global_defs {\n router_id x\n}\n", "no vrrp_instance could be carried over"},
		{"missing", "", "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name+".conf")
			if tt.name != "missing" {
				path = write(tt.name+".conf", tt.text)
			}
			_, err := Import(path, Options{ConfigID: "x"})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Import = %v, want an error containing %q", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "kaimport: ") {
				t.Errorf("error %q is not prefixed with the package name", err)
			}
		})
	}
}
