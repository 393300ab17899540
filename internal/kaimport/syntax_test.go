package kaimport

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/vipd/vipd/internal/linuxnet/nstest"
)

// TestSplitLine: keepalived's words, braces, quotes and comments.
func TestSplitLine(t *testing.T) {
	tests := []struct {
		line string
		want []string // braces as "{" "}"
	}{
		{"virtual_router_id 51", []string{"virtual_router_id", "51"}},
		{"  interface\teth0  ", []string{"interface", "eth0"}},
		{"vrrp_instance VI_1 {", []string{"vrrp_instance", "VI_1", "{"}},
		{"vrrp_instance VI_1{", []string{"vrrp_instance", "VI_1", "{"}},
		{"track_script { chk }", []string{"track_script", "{", "chk", "}"}},
		{"priority 100 # the backup has 90", []string{"priority", "100"}},
		{"priority 100 ! comment", []string{"priority", "100"}},
		{"auth_pass abc#def", []string{"auth_pass", "abc"}},
		{`notify "/bin/x a b" root`, []string{"notify", "/bin/x a b", "root"}},
		{`notify '/bin/x "a b"'`, []string{"notify", `/bin/x "a b"`}},
		{`auth_pass "pa#ss!{}"`, []string{"auth_pass", "pa#ss!{}"}},
		{`x ab"c d"e`, []string{"x", "abc de"}},
		{`x "a \" b"`, []string{"x", `a \" b`}},
		{"# whole line", nil},
		{"", nil},
	}
	for _, tt := range tests {
		toks, err := splitLine(tt.line, Pos{File: "f", Line: 1})
		if err != nil {
			t.Errorf("%q: %v", tt.line, err)
			continue
		}
		var got []string
		for _, tok := range toks {
			got = append(got, tok.text)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tt.line, diff)
		}
	}
	if _, err := splitLine(`notify "/bin/x`, Pos{File: "f", Line: 3}); err == nil || !strings.Contains(err.Error(), "f:3: unterminated") {
		t.Errorf("unterminated quote: %v", err)
	}
}

// TestScriptWords: how keepalived splits a script command into argv.
func TestScriptWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"/usr/bin/killall -0 haproxy", []string{"/usr/bin/killall", "-0", "haproxy"}},
		{"  /bin/x   a  ", []string{"/bin/x", "a"}},
		{"/bin/echo 'a b' c", []string{"/bin/echo", "a b", "c"}},
		{`/bin/echo "a 'b'" c`, []string{"/bin/echo", "a 'b'", "c"}},
		{`/bin/echo a\ b`, []string{"/bin/echo", "a b"}},
		{`/bin/printf '\t\x41\101\\'`, []string{"/bin/printf", "\tAA\\"}},
		{`/bin/x ab'c d'e`, []string{"/bin/x", "abc de"}},
		{`/bin/x ''`, []string{"/bin/x", ""}},
	}
	for _, tt := range tests {
		got, ok := scriptWords(tt.in)
		if !ok {
			t.Errorf("%q: not split", tt.in)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tt.in, diff)
		}
	}
	if _, ok := scriptWords("/bin/x 'open"); ok {
		t.Error("unterminated quote split")
	}
}

// TestTree: where blocks open and close.
func TestTree(t *testing.T) {
	text := "a 1 {\n b 2\n c { d }\n e\n {\n  f\n }\n}\ng"
	var toks []token
	for i, line := range strings.Split(text, "\n") {
		lt, err := splitLine(line, Pos{File: "f", Line: i + 1})
		if err != nil {
			t.Fatal(err)
		}
		toks = append(toks, lt...)
	}
	stmts, err := (&tree{toks: toks}).parse()
	if err != nil {
		t.Fatal(err)
	}
	got := render(stmts)
	want := "a[1]{b[2] c{d} e{f}} g"
	if got != want {
		t.Errorf("tree %s, want %s", got, want)
	}
}

func render(stmts []*stmt) string {
	var parts []string
	for _, s := range stmts {
		p := s.key
		if len(s.args) > 0 {
			p += "[" + strings.Join(s.args, ",") + "]"
		}
		if s.hasBlock {
			p += "{" + render(s.block) + "}"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, " ")
}

// TestConditional: @ID and @^ID lines, as keepalived -i ID reads them.
func TestConditional(t *testing.T) {
	l := &lexer{configID: "lb1"}
	for _, tt := range []struct {
		line, want string
		keep       bool
	}{
		{"@lb1 priority 200", "priority 200", true},
		{"  @lb1\tpriority 200", "priority 200", true},
		{"@lb2 priority 100", "", false},
		{"@^lb1 state BACKUP", "", false},
		{"@^lb2 state MASTER", "state MASTER", true},
		{"priority 1", "priority 1", true},
	} {
		got, keep := l.conditional(tt.line)
		if keep != tt.keep || got != tt.want {
			t.Errorf("%q: %q %v, want %q %v", tt.line, got, keep, tt.want, tt.keep)
		}
	}
}

// TestTestdataIsKeepalivedSyntax runs keepalived's own configuration test
// on every testdata file, so that the files stay what keepalived reads:
// no unknown keyword, balanced braces. (keepalived -t also reports missing
// interfaces and script users of this machine; those do not count.)
func TestTestdataIsKeepalivedSyntax(t *testing.T) {
	bin, err := exec.LookPath("keepalived")
	if err != nil {
		if _, serr := os.Stat("/usr/sbin/keepalived"); serr != nil {
			nstest.Missing(t, "keepalived is not installed (Debian package keepalived)")
		}
		bin = "/usr/sbin/keepalived"
	}
	files, _ := filepath.Glob("testdata/*.conf")
	files = append(files, "testdata/include/keepalived.conf")
	for _, f := range files {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		var out bytes.Buffer
		cmd := exec.CommandContext(ctx, bin, "--config-test", "-f", f, "-i", "lb1")
		cmd.Stdout, cmd.Stderr = &out, &out
		_ = cmd.Run() // non-zero for this machine's missing interfaces
		cancel()
		for _, bad := range []string{"Unknown keyword", "missing '}'", "extra '{'", "unexpected"} {
			if strings.Contains(out.String(), bad) {
				t.Errorf("keepalived --config-test %s: %s", f, out.String())
			}
		}
	}
}
