package config

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// FuzzParse checks that Parse never panics, always returns a config or an
// error, and that every problem it reports names the file.
func FuzzParse(f *testing.F) {
	for _, path := range []string{"testdata/full.yaml"} {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"", "groups: []", carp(""), vrrp3(""), vrrp2(""), vrrp3v6(""),
		carp("    hooks: {on_master: /bin/x}\n"),
		"groups:\n  - &g\n    <<: *g\n",
		"a: &a [x, x]\nb: &b [*a, *a]\ngroups: [*b, *b]\n",
		"groups:\n  - {name: a, interface: eth0, id: 1, vips: [192.0.2.1], password: x}\n---\n",
	} {
		f.Add([]byte(s))
	}
	const file = "/etc/vipd/fuzz.yaml"
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse(file, data)
		if (cfg == nil) == (err == nil) {
			t.Fatalf("Parse returned config %v and error %v", cfg != nil, err)
		}
		if err != nil {
			var es Errors
			if !errors.As(err, &es) || len(es) == 0 {
				t.Fatalf("error %T is not a non-empty Errors", err)
			}
			for _, e := range es {
				if e.File != file || !strings.HasPrefix(e.Error(), file+":") {
					t.Fatalf("error does not name the file: %q", e.Error())
				}
			}
			return
		}
		if len(cfg.Groups) == 0 {
			t.Fatal("a valid config without groups")
		}
		// The rendering must parse again.
		if _, err := Parse(file, cfg.Effective()); err != nil && !strings.Contains(err.Error(), "placeholder") {
			t.Fatalf("the rendering does not parse: %v\n%s", err, cfg.Effective())
		}
	})
}
