package config

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// withChecks returns a valid carp group whose checks list starts at line 3
// ("    checks:"), with one item a line from line 4 on, each written as a
// flow mapping.
func withChecks(items ...string) string {
	var b strings.Builder
	b.WriteString("    checks:\n")
	for _, it := range items {
		b.WriteString("      - " + it + "\n")
	}
	return carp(b.String())
}

func TestParseCheckErrors(t *testing.T) {
	runErrorCases(t, []errorCase{
		{"checks not a list", carp("    checks: {name: web}\n"), []string{
			"vipd.yaml:3: groups[0].checks: must be a list, not a mapping",
		}},
		{"checks empty", carp("    checks: []\n"), []string{
			"vipd.yaml:3: groups[0].checks: is empty: leave checks out for none",
		}},
		{"check not a mapping", withChecks("web"), []string{
			"vipd.yaml:4: groups[0].checks[0]: must be a mapping of settings, not a single value",
		}},
		{"name and kind missing", withChecks("{target: 192.0.2.1}"), []string{
			"vipd.yaml:4: groups[0].checks[0].name: is required (it names the check in logs, events and metrics)",
			"vipd.yaml:4: groups[0].checks[0].kind: is required: ping, arp, tcp, http, https or exec",
		}},
		{"name invalid", withChecks("{name: Web, kind: tcp, address: '127.0.0.1:80'}"), []string{
			`vipd.yaml:4: groups[0].checks[0].name: "Web" must be 1-63 of a-z, 0-9, '_' and '-', starting with a letter or digit`,
		}},
		{"name twice", withChecks("{name: web, kind: tcp, address: '127.0.0.1:80'}", "{name: web, kind: tcp, address: '127.0.0.1:81'}"), []string{
			`vipd.yaml:5: groups[0].checks[1].name: "web" is already the name of groups[0].checks[0] (line 4)`,
		}},
		{"kind unknown", withChecks("{name: web, kind: icmp}"), []string{
			`vipd.yaml:4: groups[0].checks[0].kind: "icmp" is not a check kind: want ping, arp, tcp, http, https or exec`,
		}},
		{"kind misspelt", withChecks("{name: web, kind: htps}"), []string{
			`vipd.yaml:4: groups[0].checks[0].kind: "htps" is not a check kind: want ping, arp, tcp, http, https or exec (did you mean https?)`,
		}},
		{"unknown key", withChecks("{name: web, kind: exec, argv: [/bin/true], script: /x}"), []string{
			"vipd.yaml:4: groups[0].checks[0].script: unknown field (did you mean argv?)",
		}},
		{"keys of other kinds", withChecks("{name: web, kind: tcp, address: '127.0.0.1:80', url: 'http://x/', target: 192.0.2.1, argv: [/bin/true], ca_file: /ca.pem}"), []string{
			"vipd.yaml:4: groups[0].checks[0].target: applies to ping or arp checks only, not tcp",
			"vipd.yaml:4: groups[0].checks[0].url: applies to http or https checks only, not tcp",
			"vipd.yaml:4: groups[0].checks[0].ca_file: applies to https checks only, not tcp",
			"vipd.yaml:4: groups[0].checks[0].argv: applies to exec checks only, not tcp",
		}},
		{"required per kind", withChecks("{name: a, kind: ping}", "{name: b, kind: arp}", "{name: c, kind: tcp}", "{name: d, kind: http}", "{name: e, kind: exec}"), []string{
			"vipd.yaml:4: groups[0].checks[0].target: is required for ping checks (the address to ping)",
			"vipd.yaml:5: groups[0].checks[1].target: is required for arp checks (the IPv4 address to ask for, such as the gateway's)",
			"vipd.yaml:6: groups[0].checks[2].address: is required for tcp checks (the host:port to connect to)",
			"vipd.yaml:7: groups[0].checks[3].url: is required for http checks (the URL to request)",
			"vipd.yaml:8: groups[0].checks[4].argv: is required for exec checks (the program to run and its arguments)",
		}},
	})
}

func TestParseCheckTargetErrors(t *testing.T) {
	runErrorCases(t, []errorCase{
		{"bad targets", withChecks(
			"{name: a, kind: ping, target: 192.0.2.300}",
			"{name: b, kind: ping, target: 'fe80::1%eth0'}",
			"{name: c, kind: ping, target: '::ffff:192.0.2.1'}",
			"{name: d, kind: ping, target: 224.0.0.1}",
			"{name: e, kind: ping, target: 127.0.0.1}",
			"{name: f, kind: arp, target: '2001:db8::1'}",
			"{name: g, kind: arp, target: 192.0.2.1, interface: eth0/1}",
		), []string{
			`vipd.yaml:4: groups[0].checks[0].target: "192.0.2.300" is not an IP address`,
			`vipd.yaml:5: groups[0].checks[1].target: "fe80::1%eth0" has a zone: set interface instead`,
			`vipd.yaml:6: groups[0].checks[2].target: "::ffff:192.0.2.1" is an IPv4-mapped IPv6 address: write 192.0.2.1`,
			`vipd.yaml:7: groups[0].checks[3].target: "224.0.0.1" is a multicast address`,
			`vipd.yaml:8: groups[0].checks[4].target: "127.0.0.1" is a loopback address`,
			`vipd.yaml:9: groups[0].checks[5].target: "2001:db8::1" is IPv6: ARP asks for IPv4 addresses only (ping IPv6 neighbours instead)`,
			`vipd.yaml:10: groups[0].checks[6].interface: "eth0/1" is not a valid Linux interface name`,
		}},
		{"bad addresses", withChecks(
			"{name: a, kind: tcp, address: 127.0.0.1}",
			"{name: b, kind: tcp, address: ':5432'}",
			"{name: c, kind: tcp, address: '2001:db8::1:5432'}",
			"{name: d, kind: tcp, address: '[2001:db8::1]5432'}",
			"{name: e, kind: tcp, address: 'db_host:5432'}",
			"{name: f, kind: tcp, address: '127.0.0.1:0'}",
			"{name: g, kind: tcp, address: '127.0.0.1:pg'}",
		), []string{
			`vipd.yaml:4: groups[0].checks[0].address: "127.0.0.1" is not host:port: add the port, e.g. 127.0.0.1:5432`,
			`vipd.yaml:5: groups[0].checks[1].address: ":5432" has no host: write 127.0.0.1:5432 for this host`,
			`vipd.yaml:6: groups[0].checks[2].address: "2001:db8::1:5432" is not host:port: write an IPv6 address in brackets, e.g. [2001:db8::1]:5432`,
			`vipd.yaml:7: groups[0].checks[3].address: "[2001:db8::1]5432" is not host:port (an IPv6 address is written [2001:db8::1]:5432)`,
			`vipd.yaml:8: groups[0].checks[4].address: "db_host:5432" has a host that is neither an address nor a host name`,
			`vipd.yaml:9: groups[0].checks[5].address: "127.0.0.1:0" has no valid port: want 1-65535`,
			`vipd.yaml:10: groups[0].checks[6].address: "127.0.0.1:pg" has no valid port: want 1-65535`,
		}},
	})
}

func TestParseCheckHTTPErrors(t *testing.T) {
	runErrorCases(t, []errorCase{
		{"bad URLs", withChecks(
			"{name: a, kind: http, url: /health}",
			"{name: b, kind: http, url: 'https://192.0.2.1/'}",
			"{name: c, kind: https, url: 'http://192.0.2.1/'}",
			"{name: d, kind: http, url: 'ftp://192.0.2.1/'}",
			"{name: e, kind: http, url: 'http://192.0.2.1/a b'}",
		), []string{
			`vipd.yaml:4: groups[0].checks[0].url: "/health" is not an absolute http:// URL`,
			`vipd.yaml:5: groups[0].checks[1].url: "https://192.0.2.1/" is an https URL: write kind: https`,
			`vipd.yaml:6: groups[0].checks[2].url: "http://192.0.2.1/" is an http URL: write kind: http`,
			`vipd.yaml:7: groups[0].checks[3].url: "ftp://192.0.2.1/" is not an absolute http:// URL`,
			`vipd.yaml:8: groups[0].checks[4].url: "http://192.0.2.1/a b" contains white space: write it as %20`,
		}},
		{"method", withChecks("{name: a, kind: http, url: 'http://x/', method: PUT}"), []string{
			`vipd.yaml:4: groups[0].checks[0].method: "PUT" is not a method: want GET, HEAD or POST`,
		}},
		{"status", carp("    checks:\n      - name: a\n        kind: http\n        url: 'http://x/'\n        status:\n" +
			"          - 2xx\n          - 600\n          - 299-200\n          - [200]\n"), []string{
			`vipd.yaml:8: groups[0].checks[0].status[0]: "2xx" is not a status code or range: write 200 or 200-299`,
			`vipd.yaml:9: groups[0].checks[0].status[1]: "600" is out of range 100-599`,
			`vipd.yaml:10: groups[0].checks[0].status[2]: "299-200" is backwards: write the lower code first`,
			`vipd.yaml:11: groups[0].checks[0].status[3]: must be a single value, not a list`,
		}},
		{"status empty or not a list", withChecks("{name: a, kind: http, url: 'http://x/', status: []}", "{name: b, kind: http, url: 'http://x/', status: 200}"), []string{
			"vipd.yaml:4: groups[0].checks[0].status: is empty: leave it out for 200-399",
			"vipd.yaml:5: groups[0].checks[1].status: must be a list, not a single value",
		}},
		{"body", withChecks("{name: a, kind: http, url: 'http://x/', body: '(html'}", "{name: b, kind: http, url: 'http://x/', method: HEAD, body: html}"), []string{
			`vipd.yaml:4: groups[0].checks[0].body: "(html" is not a regular expression: missing closing ): ` + "`(html`",
			"vipd.yaml:5: groups[0].checks[1].body: cannot match: the response to a HEAD request has no body",
		}},
		{"ca_file", withChecks("{name: a, kind: https, url: 'https://x/', ca_file: ca.pem}", "{name: b, kind: https, url: 'https://x/', ca_file: /ca.pem, insecure_skip_verify: true}"), []string{
			`vipd.yaml:4: groups[0].checks[0].ca_file: "ca.pem" is not an absolute path`,
			"vipd.yaml:5: groups[0].checks[1].ca_file: is set together with insecure_skip_verify: true, which would ignore it",
		}},
		{"insecure_skip_verify on http", withChecks("{name: a, kind: http, url: 'http://x/', insecure_skip_verify: true}"), []string{
			"vipd.yaml:4: groups[0].checks[0].insecure_skip_verify: applies to https checks only, not http",
		}},
	})
}

func TestParseCheckExecErrors(t *testing.T) {
	runErrorCases(t, []errorCase{
		{"argv as a string", withChecks("{name: a, kind: exec, argv: /usr/local/bin/check db}"), []string{
			`vipd.yaml:4: groups[0].checks[0].argv: is a string, but check programs are argv lists run without a shell: write ["/usr/local/bin/check", "db"]`,
		}},
		{"argv relative", withChecks("{name: a, kind: exec, argv: [check.sh]}"), []string{
			`vipd.yaml:4: groups[0].checks[0].argv[0]: "check.sh" is not an absolute path: check programs run with a clean environment and no PATH search`,
		}},
		{"argv empty", withChecks("{name: a, kind: exec, argv: []}"), []string{
			"vipd.yaml:4: groups[0].checks[0].argv: is empty: leave it out to run nothing",
		}},
	})
}

func TestParseCheckScheduleAndEffectErrors(t *testing.T) {
	tcp := "name: a, kind: tcp, address: '127.0.0.1:80'"
	runErrorCases(t, []errorCase{
		{"interval", withChecks("{"+tcp+", interval: 50ms}", "{"+tcp+", interval: 2}"), []string{
			"vipd.yaml:4: groups[0].checks[0].interval: 50ms is under the 100ms minimum",
			"vipd.yaml:5: groups[0].checks[1].interval: 2 has no unit: write 2s, 2ms or another Go duration",
		}},
		{"timeout", withChecks("{"+tcp+", timeout: 0s}", "{"+tcp+", interval: 1s, timeout: 1s}", "{"+tcp+", timeout: 3s}"), []string{
			"vipd.yaml:4: groups[0].checks[0].timeout: must be positive",
			"vipd.yaml:5: groups[0].checks[1].timeout: 1s is not shorter than the interval 1s: probes of one check must not overlap",
			"vipd.yaml:6: groups[0].checks[2].timeout: 3s is not shorter than the interval 2s: probes of one check must not overlap",
		}},
		{"rise and fall", withChecks("{" + tcp + ", rise: 0, fall: 256}"), []string{
			"vipd.yaml:4: groups[0].checks[0].rise: 0 is out of range 1-255",
			"vipd.yaml:4: groups[0].checks[0].fall: 256 is out of range 1-255",
		}},
		{"fault and weight", withChecks("{" + tcp + ", fault: true, weight: -10}"), []string{
			"vipd.yaml:4: groups[0].checks[0].fault: is true and weight is set: a check either forces fault or moves the priority",
		}},
		{"fault false without weight", withChecks("{" + tcp + ", fault: false}"), []string{
			"vipd.yaml:4: groups[0].checks[0].fault: is false and no weight is set: give the check a weight, or leave fault at true",
		}},
		{"weight 0", withChecks("{" + tcp + ", weight: 0}"), []string{
			"vipd.yaml:4: groups[0].checks[0].weight: 0 changes nothing: write a weight from -254 to 254 other than 0, or fault: true",
		}},
		{"weight out of range", withChecks("{" + tcp + ", weight: -255}"), []string{
			"vipd.yaml:4: groups[0].checks[0].weight: -255 is out of range -254 to 254",
		}},
		{"fault yes", withChecks("{" + tcp + ", fault: yes}"), []string{
			`vipd.yaml:4: groups[0].checks[0].fault: "yes" is not a boolean: write true or false`,
		}},
		{"keepalived track_script", carp("    track_script: [chk]\n"), []string{
			"vipd.yaml:3: groups[0].track_script: unknown field (did you mean checks?)",
		}},
	})
}

func TestParseChecks(t *testing.T) {
	cfg := mustParse(t, carp(`    checks:
      - {name: gw, kind: arp, target: 192.0.2.254}
      - {name: peer6, kind: ping, target: 'fe80::2'}
      - {name: peer, kind: ping, target: '2001:db8::2', interface: eth1, interval: 500ms}
      - {name: db, kind: tcp, address: 'db.example.net:5432', rise: 1, fall: 1, weight: -50}
      - name: web
        kind: http
        url: http://127.0.0.1/health
        status: [200, 300-399]
        body: "</html>"
        interval: 10s
      - {name: tls, kind: https, url: 'https://127.0.0.1/', method: HEAD, ca_file: /etc/vipd/ca.pem, weight: 20}
      - {name: app, kind: exec, argv: [/usr/local/bin/check, --quick], interval: 5s, timeout: 4s}
`))
	want := []Check{
		{Name: "gw", Kind: CheckARP, Target: netip.MustParseAddr("192.0.2.254"), Interface: "eth0",
			Interval: 2 * time.Second, Timeout: time.Second, Rise: 2, Fall: 3, Fault: true},
		{Name: "peer6", Kind: CheckPing, Target: netip.MustParseAddr("fe80::2"), Interface: "eth0",
			Interval: 2 * time.Second, Timeout: time.Second, Rise: 2, Fall: 3, Fault: true},
		{Name: "peer", Kind: CheckPing, Target: netip.MustParseAddr("2001:db8::2"), Interface: "eth1",
			Interval: 500 * time.Millisecond, Timeout: 250 * time.Millisecond, Rise: 2, Fall: 3, Fault: true},
		{Name: "db", Kind: CheckTCP, Address: "db.example.net:5432",
			Interval: 2 * time.Second, Timeout: time.Second, Rise: 1, Fall: 1, Weight: -50},
		{Name: "web", Kind: CheckHTTP, URL: "http://127.0.0.1/health", Method: "GET",
			Status: []StatusRange{{200, 200}, {300, 399}}, Body: "</html>",
			Interval: 10 * time.Second, Timeout: time.Second, Rise: 2, Fall: 3, Fault: true},
		{Name: "tls", Kind: CheckHTTPS, URL: "https://127.0.0.1/", Method: "HEAD", Status: []StatusRange{{200, 399}},
			CAFile: "/etc/vipd/ca.pem", Interval: 2 * time.Second, Timeout: time.Second, Rise: 2, Fall: 3, Weight: 20},
		{Name: "app", Kind: CheckExec, Argv: []string{"/usr/local/bin/check", "--quick"},
			Interval: 5 * time.Second, Timeout: 4 * time.Second, Rise: 2, Fall: 3, Fault: true},
	}
	if diff := cmp.Diff(want, cfg.Groups[0].Checks, addrCmp); diff != "" {
		t.Errorf("checks (-want +got):\n%s", diff)
	}
}

func TestCheckWarnings(t *testing.T) {
	got := warnings(t, withChecks("{name: a, kind: https, url: 'https://x/', insecure_skip_verify: true}"))
	want := []string{
		"vipd.yaml:4: groups[0].checks[0].insecure_skip_verify: the server's certificate is not verified: anything that answers at the address passes the check (name its CA with ca_file instead)",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}

func TestLoadChecksCAFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(good, []byte(testCAPEM), 0o644); err != nil {
		t.Fatal(err)
	}
	notPEM := filepath.Join(dir, "key.pem")
	if err := os.WriteFile(notPEM, []byte("-----BEGIN NOTHING-----\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "none.pem")
	for _, tc := range []struct {
		name, file string
		want       []string
	}{
		{"certificate", good, nil},
		{"no certificate", notPEM, []string{"CONFIG:4: groups[0].checks[0].ca_file: " + notPEM + " holds no PEM certificate"}},
		{"missing", missing, []string{"CONFIG:4: groups[0].checks[0].ca_file: " + missing + ": cannot open: no such file or directory"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name+".yaml")
			data := withChecks("{name: a, kind: https, url: 'https://x/', ca_file: '" + tc.file + "'}")
			if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Load(path)
			var got []string
			if err != nil {
				got = strings.Split(strings.ReplaceAll(err.Error(), path, "CONFIG"), "\n")
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Load (-want +got):\n%s", diff)
			}
		})
	}
}

// testCAPEM is a self-signed certificate (ECDSA P-256, CN "vipd test CA",
// made with openssl req -x509), only parsed here.
const testCAPEM = `-----BEGIN CERTIFICATE-----
MIIBhjCCASugAwIBAgIUWhIkOEutri/3tA5qIVlyqLQeTh4wCgYIKoZIzj0EAwIw
FzEVMBMGA1UEAwwMdmlwZCB0ZXN0IENBMCAXDTI2MTEyMjA2MDc0OFoYDzIxMjYx
MDI5MDYwNzQ4WjAXMRUwEwYDVQQDDAx2aXBkIHRlc3QgQ0EwWTATBgcqhkjOPQIB
BggqhkjOPQMBBwNCAATnwePfeg6/tQazl2VdvC1HJRqz+tLJCE65NkEvI8K7JZ2c
ag/l95RXcdny1M0fUwXhbBEPNNHhgc4NlRjYnmsTo1MwUTAdBgNVHQ4EFgQUklWs
GcX3nkaFnGQOrq2ZKPruLRkwHwYDVR0jBBgwFoAUklWsGcX3nkaFnGQOrq2ZKPru
LRkwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNJADBGAiEAksUQOazGR+KB
7St8wNxbC2XUA9O7OUfBBXvl/kHTHEQCIQDD8orBc8+Qu+3k/sTLkcmeQuS5KYnJ
qNjbDqehGa/GIA==
-----END CERTIFICATE-----
`

// TestEffectiveChecksRoundTrip covers what testdata/full.yaml cannot (it
// must stay free of warnings): insecure_skip_verify renders and parses back.
func TestEffectiveChecksRoundTrip(t *testing.T) {
	cfg := mustParse(t, withChecks("{name: a, kind: https, url: 'https://x/', insecure_skip_verify: true, body: '^ok$'}"))
	out := strings.Replace(string(cfg.Effective()), "password: "+redacted, "password: secret", 1)
	if !strings.Contains(out, "insecure_skip_verify: true") {
		t.Errorf("rendering lacks insecure_skip_verify:\n%s", out)
	}
	again := mustParse(t, out)
	if diff := cmp.Diff(cfg.Groups, again.Groups, addrCmp); diff != "" {
		t.Errorf("groups after a round trip (-before +after):\n%s", diff)
	}
}
