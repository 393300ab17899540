package config

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestDeployExampleParses keeps deploy/vipd.example.yaml valid and free of
// warnings.
func TestDeployExampleParses(t *testing.T) {
	cfg := parseFile(t, "../../deploy/vipd.example.yaml")
	for _, w := range cfg.Warnings {
		t.Errorf("warning: %s", w)
	}
	var names []string
	for _, g := range cfg.Groups {
		names = append(names, g.Name)
	}
	if len(names) != 6 {
		t.Errorf("groups %q, want the six of the example", names)
	}
}

func ExampleParse() {
	_, err := Parse("/etc/vipd/vipd.yaml", []byte(`groups:
  - name: web
    interface: eth0
    protocol: vrrp3
    id: 300
    priority: 100
    vips: [192.0.2.100/24, 2001:db8::100/64]
    hooks:
      on_master: /usr/local/bin/notify master
`))
	fmt.Println(err)
	// Output:
	// /etc/vipd/vipd.yaml:5: groups[0].id: 300 is out of range 1-255
	// /etc/vipd/vipd.yaml:7: groups[0].vips[1]: 2001:db8::100 is IPv6 but groups[0].vips[0] is IPv4: vrrp3 runs IPv4 and IPv6 as separate virtual routers (RFC 5798), so put it in a second group
	// /etc/vipd/vipd.yaml:9: groups[0].hooks.on_master: is a string, but hooks are argv lists run without a shell: write ["/usr/local/bin/notify", "master"]
}

// TestReferenceDocumentsEveryKey keeps docs/config.md in step with the
// decoder: every key vipd accepts appears in the reference, in backquotes.
func TestReferenceDocumentsEveryKey(t *testing.T) {
	data, err := os.ReadFile("../../docs/config.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	for prefix, sec := range map[string]*section{
		"": &topSection, "log.": &logSection, "http.": &httpSection,
		"announce.": &announceSection, "hooks.": &hooksSection,
	} {
		if sec == nil {
			continue
		}
		for _, k := range sec.keys {
			if k == "log" || k == "http" {
				continue // documented by their keys
			}
			if !strings.Contains(doc, "`"+prefix+k+"`") {
				t.Errorf("docs/config.md does not document `%s%s`", prefix, k)
			}
		}
	}
	for _, k := range checkSection.keys {
		if !strings.Contains(doc, "| `checks[]."+k+"` |") {
			t.Errorf("docs/config.md has no row for check key `checks[].%s`", k)
		}
	}
	for _, k := range groupSection.keys {
		if k == "announce" || k == "hooks" {
			continue
		}
		if !strings.Contains(doc, "| `"+k+"` |") {
			t.Errorf("docs/config.md has no row for group key `%s`", k)
		}
	}
}
