package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// writeFile writes data to name in dir with mode perm and returns its path.
func writeFile(t *testing.T, dir, name, data string, perm os.FileMode) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(data), perm); err != nil {
		t.Fatal(err)
	}
	// WriteFile's mode is filtered by the umask; set it exactly.
	if err := os.Chmod(path, perm); err != nil {
		t.Fatal(err)
	}
	return path
}

// passwordFileConfig is a one-group file whose password comes from file;
// password_file is on line 6.
func passwordFileConfig(protocol, file string) string {
	return "groups:\n  - name: web\n    interface: eth0\n    protocol: " + protocol +
		"\n    id: 1\n    password_file: " + file + "\n    vips: [192.0.2.1]\n"
}

func TestLoadReadsPasswordFiles(t *testing.T) {
	for _, tc := range []struct {
		name     string
		protocol string
		content  string
		want     Secret
	}{
		{"first line without newline", "carp", "secret\nsecond line\n", "secret"},
		{"no newline at all", "carp", "secret", "secret"},
		{"CRLF", "carp", "secret\r\n", "secret"},
		{"spaces are kept", "carp", " two words \n", " two words "},
		{"19 bytes for carp", "carp", strings.Repeat("x", 19) + "\n", Secret(strings.Repeat("x", 19))},
		{"vrrp2", "vrrp2", "12345678\n", "12345678"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			pw := writeFile(t, dir, "web.pass", tc.content, 0o600)
			path := writeFile(t, dir, "vipd.yaml", passwordFileConfig(tc.protocol, pw), 0o644)
			cfg, err := Load(path)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			g := cfg.Groups[0]
			if g.Password != tc.want || g.PasswordFile != pw {
				t.Errorf("password %q from %q, want %q from %q", g.Password.Reveal(), g.PasswordFile, tc.want.Reveal(), pw)
			}
		})
	}
}

func TestParseLeavesPasswordFilesUnread(t *testing.T) {
	cfg := mustParse(t, passwordFileConfig("carp", "/nonexistent/web.pass"))
	if g := cfg.Groups[0]; g.Password != "" || g.PasswordFile != "/nonexistent/web.pass" {
		t.Errorf("Parse: password %q, file %q; want none, /nonexistent/web.pass", g.Password.Reveal(), g.PasswordFile)
	}
}

func TestLoadPasswordFileErrors(t *testing.T) {
	for _, tc := range []struct {
		name     string
		protocol string
		setup    func(t *testing.T, dir string) string // returns the password file's path
		want     string                                // with DIR for the directory
	}{
		{"missing", "carp", func(t *testing.T, dir string) string { return filepath.Join(dir, "nope.pass") },
			"CONFIG:6: groups[0].password_file: DIR/nope.pass: cannot open: no such file or directory"},
		{"readable by all", "carp", func(t *testing.T, dir string) string { return writeFile(t, dir, "web.pass", "secret\n", 0o644) },
			"CONFIG:6: groups[0].password_file: DIR/web.pass is readable by every user (mode 0644): chmod o-r it"},
		{"a directory", "carp", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "pass.d")
			if err := os.Mkdir(p, 0o700); err != nil {
				t.Fatal(err)
			}
			return p
		}, "CONFIG:6: groups[0].password_file: DIR/pass.d is not a regular file"},
		{"empty", "carp", func(t *testing.T, dir string) string { return writeFile(t, dir, "web.pass", "\nsecret\n", 0o600) },
			"CONFIG:6: groups[0].password_file: the password in DIR/web.pass is empty"},
		{"too long for carp", "carp", func(t *testing.T, dir string) string {
			return writeFile(t, dir, "web.pass", strings.Repeat("x", 20)+"\n", 0o600)
		}, "CONFIG:6: groups[0].password_file: the password in DIR/web.pass is 20 bytes long; ucarp allows at most 19"},
		{"too long for vrrp2", "vrrp2", func(t *testing.T, dir string) string {
			return writeFile(t, dir, "web.pass", "123456789\n", 0o600)
		}, "CONFIG:6: groups[0].password_file: the password in DIR/web.pass is 9 bytes long; vrrp2 simple passwords have at most 8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			pw := tc.setup(t, dir)
			path := writeFile(t, dir, "vipd.yaml", passwordFileConfig(tc.protocol, pw), 0o644)
			_, err := Load(path)
			if err == nil {
				t.Fatal("Load succeeded")
			}
			want := strings.NewReplacer("CONFIG", path, "DIR", dir).Replace(tc.want)
			if diff := cmp.Diff(want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadMissingPasswordFileKeepsCause(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "vipd.yaml", passwordFileConfig("carp", filepath.Join(dir, "nope")), 0o644)
	_, err := Load(path)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load error %v does not wrap fs.ErrNotExist", err)
	}
}

func TestLoadFileErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		path string
		want string
	}{
		{"missing", filepath.Join(dir, "nope.yaml"), "DIR/nope.yaml: cannot open: no such file or directory"},
		{"directory", dir, "DIR: is not a regular file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(tc.path)
			if err == nil {
				t.Fatal("Load succeeded")
			}
			if diff := cmp.Diff(strings.ReplaceAll(tc.want, "DIR", dir), err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadReportsParseErrorsWithoutReadingPasswordFiles(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "vipd.yaml", passwordFileConfig("carp", "/nonexistent/web.pass")+"    advbase: 300\n", 0o644)
	_, err := Load(path)
	want := path + ":8: groups[0].advbase: 300 is out of range 0-254"
	if err == nil || err.Error() != want {
		t.Errorf("Load error = %v, want %s", err, want)
	}
}
