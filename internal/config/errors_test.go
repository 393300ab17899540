package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestErrorText(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  *Error
		want string
	}{
		{"full", &Error{File: "/etc/vipd/vipd.yaml", Line: 14, Path: "groups[1].id", Reason: "300 is out of range 1-255"},
			"/etc/vipd/vipd.yaml:14: groups[1].id: 300 is out of range 1-255"},
		{"no line", &Error{File: "f.yaml", Path: "groups", Reason: "r"}, "f.yaml: groups: r"},
		{"no path", &Error{File: "f.yaml", Line: 3, Reason: "r"}, "f.yaml:3: r"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.err.Error(); got != tc.want {
				t.Errorf("Error() = %q, want %q", got, tc.want)
			}
		})
	}
	w := Warning{File: "f.yaml", Line: 2, Path: "p", Reason: "r"}
	if got, want := w.String(), "f.yaml:2: p: r"; got != want {
		t.Errorf("Warning.String() = %q, want %q", got, want)
	}
}

func TestErrorsUnwrap(t *testing.T) {
	cause := &Error{File: "f", Reason: "b", Err: fs.ErrNotExist}
	var err error = Errors{{File: "f", Reason: "a"}, cause}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Error("errors.Is does not see the cause of one problem")
	}
	var e *Error
	if !errors.As(err, &e) || e.Reason != "a" {
		t.Errorf("errors.As found %v, want the first problem", e)
	}
	if got, want := err.Error(), "f: a\nf: b"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestErrorsAreSortedByLine(t *testing.T) {
	// Cross-group checks run after the groups; their errors still come in
	// file order.
	in := "groups:\n" +
		"  - {name: a, interface: eth0, id: 1, vips: [192.0.2.1], password: x}\n" +
		"  - {name: a, interface: eth0, id: 2, vips: [192.0.2.2], password: x}\n" +
		"  - {name: c, interface: eth0, id: 900, vips: [192.0.2.3], password: x}\n"
	want := []string{
		`vipd.yaml:3: groups[1].name: "a" is already the name of groups[0] (line 2)`,
		"vipd.yaml:4: groups[2].id: 900 is out of range 1-255",
	}
	if diff := cmp.Diff(want, problems(t, in)); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

func TestSecretIsRedacted(t *testing.T) {
	cfg := mustParse(t, carp(""))
	g := cfg.Groups[0]
	var logged strings.Builder
	slog.New(slog.NewTextHandler(&logged, nil)).Info("group", "password", g.Password)
	js, err := json.Marshal(g)
	if err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{
		"%v":     fmt.Sprintf("%v", g),
		"%+v":    fmt.Sprintf("%+v", cfg),
		"%#v":    fmt.Sprintf("%#v", g),
		"String": g.Password.String(),
		"json":   string(js),
		"slog":   logged.String(),
	} {
		if strings.Contains(out, "secret") {
			t.Errorf("%s shows the password: %s", name, out)
		}
	}
	if got := string(g.Password.Reveal()); got != "secret" {
		t.Errorf("Reveal() = %q, want secret", got)
	}
}
