package config

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// errorCase is a configuration and every problem Parse must report in it,
// exactly.
type errorCase struct {
	name string
	in   string
	want []string
}

func runErrorCases(t *testing.T, cases []errorCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, problems(t, tc.in)); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseFileErrors(t *testing.T) {
	runErrorCases(t, []errorCase{
		{"empty file", "", []string{
			"vipd.yaml: the file is empty: it needs at least one group",
		}},
		{"only a comment", "# nothing yet\n", []string{
			"vipd.yaml: the file is empty: it needs at least one group",
		}},
		{"null document", "~\n", []string{
			"vipd.yaml: the file is empty: it needs at least one group",
		}},
		{"top level is a list", "- groups\n", []string{
			"vipd.yaml:1: the file must be a mapping of settings (node, log, groups, ...), not a list",
		}},
		{"syntax error with its line", "groups:\n  - name: web\n   interface: eth0\n", []string{
			"vipd.yaml:3: invalid YAML: did not find expected '-' indicator",
		}},
		{"tab indentation", "groups:\n\t- name: web\n", []string{
			"vipd.yaml:2: invalid YAML: found character that cannot start any token",
		}},
		{"second document", carp("") + "---\nnode: x\n", []string{
			"vipd.yaml:8: a second YAML document (after ---) is not allowed: put everything in one",
		}},
		{"unknown anchor", "groups: *g\n", []string{
			"vipd.yaml:1: invalid YAML: unknown anchor 'g' referenced",
		}},
		{"no groups", "node: web1\n", []string{
			"vipd.yaml:1: groups: is required: the file needs at least one group",
		}},
		{"empty groups", "groups: []\n", []string{
			"vipd.yaml:1: groups: is empty: the file needs at least one group",
		}},
		{"groups not a list", "groups: {name: web}\n", []string{
			"vipd.yaml:1: groups: must be a list, not a mapping",
		}},
		{"groups null", "groups:\n", []string{
			"vipd.yaml:1: groups: has no value (remove the line for the default)",
		}},
		{"group not a mapping", "groups: [web]\n", []string{
			"vipd.yaml:1: groups[0]: must be a mapping of settings, not a single value",
		}},
		{"empty group", "groups:\n  -\n", []string{
			"vipd.yaml:2: groups[0]: must be a mapping of settings, not an empty value",
		}},
	})
}

func TestParseTopLevelErrors(t *testing.T) {
	runErrorCases(t, []errorCase{
		{"unknown key with suggestion", "nodes: web1\n" + carp(""), []string{
			"vipd.yaml:1: nodes: unknown field (did you mean node?)",
		}},
		{"keepalived name", "vrrp_instance: []\n" + carp(""), []string{
			"vipd.yaml:1: vrrp_instance: unknown field (did you mean groups?)",
		}},
		{"unknown key without suggestion", "colour: blue\n" + carp(""), []string{
			"vipd.yaml:1: colour: unknown field",
		}},
		{"duplicate key", "node: a\nnode: b\n" + carp(""), []string{
			"vipd.yaml:2: node: is set twice (first on line 1)",
		}},
		{"non-scalar key", "[a]: 1\n" + carp(""), []string{
			"vipd.yaml:1: keys must be names, not a list",
		}},
		{"node with a space", "node: web 1\n" + carp(""), []string{
			`vipd.yaml:1: node: "web 1" must be 1-64 printable characters without spaces`,
		}},
		{"log not a mapping", "log: debug\n" + carp(""), []string{
			"vipd.yaml:1: log: must be a mapping of settings, not a single value",
		}},
		{"log format", "log: {format: xml}\n" + carp(""), []string{
			`vipd.yaml:1: log.format: "xml" is not a log format: want text or json`,
		}},
		{"log format case", "log: {format: JSON}\n" + carp(""), []string{
			`vipd.yaml:1: log.format: "JSON" is not a log format: want text or json (did you mean json?)`,
		}},
		{"log level", "log:\n  level: warning\n" + carp(""), []string{
			`vipd.yaml:2: log.level: "warning" is not a log level: want debug, info, warn or error (did you mean warn?)`,
		}},
		{"log unknown key", "log: {lvl: info}\n" + carp(""), []string{
			"vipd.yaml:1: log.lvl: unknown field (did you mean level?)",
		}},
		{"state_file relative", "state_file: state.json\n" + carp(""), []string{
			`vipd.yaml:1: state_file: "state.json" is not an absolute path`,
		}},
		{"state_file directory", "state_file: /var/lib/vipd/\n" + carp(""), []string{
			`vipd.yaml:1: state_file: "/var/lib/vipd/" names a directory, not a file`,
		}},
		{"control_socket too long", "control_socket: /run/" + strings.Repeat("s", 103) + "\n" + carp(""), []string{
			"vipd.yaml:1: control_socket: is 108 bytes long; Linux allows Unix socket paths of at most 107",
		}},
		{"http listen without port", "http: {listen: 127.0.0.1}\n" + carp(""), []string{
			`vipd.yaml:1: http.listen: "127.0.0.1" is not host:port: add the port, e.g. 127.0.0.1:9650 or :9650`,
		}},
		{"http listen bare IPv6", "http: {listen: '::1:9650'}\n" + carp(""), []string{
			`vipd.yaml:1: http.listen: "::1:9650" is not host:port: write an IPv6 address in brackets, e.g. [::1]:9650`,
		}},
		{"http listen port 0", "http: {listen: ':0'}\n" + carp(""), []string{
			`vipd.yaml:1: http.listen: ":0" has no valid port: want 1-65535`,
		}},
		{"http listen bad brackets", "http: {listen: '[192.0.2.1]:80'}\n" + carp(""), []string{
			`vipd.yaml:1: http.listen: "[192.0.2.1]:80" has no IPv6 address between the brackets`,
		}},
		{"http listen bad host", "http: {listen: 'a_b:80'}\n" + carp(""), []string{
			`vipd.yaml:1: http.listen: "a_b:80" has a host that is neither an address nor a host name`,
		}},
		{"http listen null", "http: {listen: ~}\n" + carp(""), []string{
			"vipd.yaml:1: http.listen: has no value (remove the line for the default)",
		}},
	})
}

func TestParseYAMLFeatures(t *testing.T) {
	runErrorCases(t, []errorCase{
		{"x- keys hold anchors", "x-common: &c {interface: eth0, password: secret}\n" +
			"groups:\n  - <<: *c\n    name: web\n    id: 1\n    vips: [192.0.2.1]\n", nil},
		{"x- keys are top level only", carp("    x-note: hi\n"), []string{
			"vipd.yaml:3: groups[0].x-note: unknown field",
		}},
		{"merge overrides", "groups:\n" +
			"  - &web {name: web, interface: eth0, id: 1, vips: [192.0.2.1], password: secret}\n" +
			"  - <<: *web\n    name: api\n    id: 2\n    vips: [192.0.2.2]\n", nil},
		{"merge list", "x-a: &a {interface: eth0}\nx-b: &b {interface: eth1, password: secret}\n" +
			"groups:\n  - <<: [*a, *b]\n    name: web\n    id: 1\n    vips: [192.0.2.1]\n", nil},
		{"merged unknown key points at the anchor", "x-a: &a {interfce: eth0}\n" +
			"groups:\n  - <<: *a\n    name: web\n    interface: eth0\n    id: 1\n    vips: [192.0.2.1]\n    password: x\n", []string{
			"vipd.yaml:1: groups[0].interfce: unknown field (did you mean interface?)",
		}},
		{"merge of a scalar", carp("    <<: 1\n"), []string{
			"vipd.yaml:3: groups[0]: << must merge a mapping or a list of mappings, not a single value",
		}},
		{"alias error points at the alias", "x-id: &id 300\ngroups:\n  - name: web\n    interface: eth0\n    id: *id\n    vips: [192.0.2.1]\n    password: x\n", []string{
			"vipd.yaml:5: groups[0].id: 300 is out of range 1-255",
		}},
		{"self-merging anchor", "groups:\n  - &g\n    <<: *g\n    name: web\n    interface: eth0\n    id: 1\n    vips: [192.0.2.1]\n    password: x\n", []string{
			"vipd.yaml:3: groups[0]: merge keys (<<) nested more than 8 deep",
		}},
		{"unterminated flow mapping", "groups:\n  - {name: web, interface: eth0\n", []string{
			"vipd.yaml:2: invalid YAML: did not find expected ',' or '}'",
		}},
		{"multi-line flow list before the error", "groups:\n  - name: web\n    vips: [\n      192.0.2.1]\n    id: 1\n   interface: eth0\n", []string{
			"vipd.yaml:6: invalid YAML: did not find expected '-' indicator",
		}},
	})
}

func TestParseWarnings(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want []string
	}{
		{"none", carp(""), nil},
		{"address_lifetime outlasting the backups' wait", carp("    advbase: 2\n    address_lifetime: 10s\n"), []string{
			"vipd.yaml:4: groups[0].address_lifetime: 10s outlasts the backups' wait less a second (3s): if the master daemon is killed, two hosts hold the VIPs for up to 7s",
		}},
		{"announce spacing within the ARP lock time", carp("    announce: {spacing: 1s}\n"), []string{
			"vipd.yaml:3: groups[0].announce.spacing: 1s is within the 1s Linux ARP lock time, so Linux neighbours ignore the repeats (1.1s works)",
		}},
		{"short spacing without repeats", carp("    announce: {repeats: 0, spacing: 100ms}\n"), nil},
		{"preempt_delay without preempt", carp("    preempt: false\n    preempt_delay: 10s\n"), []string{
			"vipd.yaml:4: groups[0].preempt_delay: has no effect with preempt: false",
		}},
		{"carp with several VIPs", "groups:\n  - name: web\n    interface: eth0\n    id: 1\n    vips: [192.0.2.1, 192.0.2.2]\n    password: x\n", []string{
			"vipd.yaml:5: groups[0].vips: carp with 2 VIPs signs them all as OpenBSD does; ucarp signs one address, so only vipd and OpenBSD peers can share this group",
		}},
		{"group checksum without peers", vrrp3("    vrrp3_checksum: group-pseudo-header\n"), []string{
			"vipd.yaml:3: groups[0].vrrp3_checksum: group-pseudo-header differs from pseudo-header only for unicast peers, and this group has none",
		}},
		{"group checksum with peers", vrrp3("    vrrp3_checksum: group-pseudo-header\n    peers: [192.0.2.12]\n"), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, warnings(t, tc.in)); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseBoundsAliasExpansion(t *testing.T) {
	in := "x-g: &g {name: web, interface: eth0, id: 1, vips: [192.0.2.1], password: x}\ngroups: [" +
		strings.Repeat("*g, ", 20000) + "*g]\n"
	got := problems(t, in)
	if len(got) != maxErrors+1 {
		t.Fatalf("%d problems, want %d and a summary", len(got), maxErrors)
	}
	if want := "vipd.yaml: the document is too large once its aliases are expanded (more than 100000 nodes)"; got[0] != want {
		t.Errorf("first problem %q, want %q", got[0], want)
	}
	if last := got[len(got)-1]; !strings.HasPrefix(last, "vipd.yaml: and ") || !strings.HasSuffix(last, " more problems") {
		t.Errorf("last problem %q, want a summary", last)
	}
}
