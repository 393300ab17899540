package config

import (
	"strings"
	"testing"
)

func TestParseGroupIdentityErrors(t *testing.T) {
	runErrorCases(t, []errorCase{
		{"all required fields missing", "groups:\n  - protocol: carp\n", []string{
			"vipd.yaml:2: groups[0].name: is required (it names the group in logs, metrics and hooks)",
			"vipd.yaml:2: groups[0].interface: is required",
			"vipd.yaml:2: groups[0].id: is required (the vhid or VRID, 1-255, the same on every host of the group)",
			"vipd.yaml:2: groups[0].vips: is required (the addresses the master holds)",
			"vipd.yaml:2: groups[0].password: is required for carp (ucarp's --pass), or set password_file",
		}},
		{"name upper case", "groups:\n  - name: Web\n    interface: eth0\n    id: 1\n    vips: [192.0.2.1]\n    password: x\n", []string{
			`vipd.yaml:2: groups[0].name: "Web" must be 1-63 of a-z, 0-9, '_' and '-', starting with a letter or digit`,
		}},
		{"name too long", "groups:\n  - name: " + strings.Repeat("a", 64) + "\n    interface: eth0\n    id: 1\n    vips: [192.0.2.1]\n    password: x\n", []string{
			`vipd.yaml:2: groups[0].name: "` + strings.Repeat("a", 64) + `" must be 1-63 of a-z, 0-9, '_' and '-', starting with a letter or digit`,
		}},
		{"interface with slash", "groups:\n  - name: web\n    interface: eth0/1\n    id: 1\n    vips: [192.0.2.1]\n    password: x\n", []string{
			`vipd.yaml:3: groups[0].interface: "eth0/1" is not a valid Linux interface name`,
		}},
		{"interface too long", "groups:\n  - name: web\n    interface: abcdefghijklmnop\n    id: 1\n    vips: [192.0.2.1]\n    password: x\n", []string{
			`vipd.yaml:3: groups[0].interface: "abcdefghijklmnop" is longer than the 15 bytes Linux allows in an interface name`,
		}},
		{"interface empty", "groups:\n  - name: web\n    interface: ''\n    id: 1\n    vips: [192.0.2.1]\n    password: x\n", []string{
			`vipd.yaml:3: groups[0].interface: "" is empty`,
		}},
		{"unknown protocol", carp("    protocol: vrrp\n"), []string{
			`vipd.yaml:3: groups[0].protocol: "vrrp" is not a protocol: want carp, vrrp3 or vrrp2 (did you mean vrrp3?)`,
		}},
		{"id out of range", "groups:\n  - name: web\n    interface: eth0\n    id: 300\n    vips: [192.0.2.1]\n    password: x\n", []string{
			"vipd.yaml:4: groups[0].id: 300 is out of range 1-255",
		}},
		{"id zero", "groups:\n  - name: web\n    interface: eth0\n    id: 0\n    vips: [192.0.2.1]\n    password: x\n", []string{
			"vipd.yaml:4: groups[0].id: 0 is out of range 1-255",
		}},
		{"id huge", "groups:\n  - name: web\n    interface: eth0\n    id: 99999999999999999999\n    vips: [192.0.2.1]\n    password: x\n", []string{
			"vipd.yaml:4: groups[0].id: 99999999999999999999 is out of range 1-255",
		}},
		{"id quoted", "groups:\n  - name: web\n    interface: eth0\n    id: \"42\"\n    vips: [192.0.2.1]\n    password: x\n", []string{
			`vipd.yaml:4: groups[0].id: "42" is text, not a number: remove the quotes`,
		}},
		{"id fraction", "groups:\n  - name: web\n    interface: eth0\n    id: 4.5\n    vips: [192.0.2.1]\n    password: x\n", []string{
			"vipd.yaml:4: groups[0].id: 4.5 is not a whole number",
		}},
		{"id word", "groups:\n  - name: web\n    interface: eth0\n    id: web\n    vips: [192.0.2.1]\n    password: x\n", []string{
			`vipd.yaml:4: groups[0].id: "web" is not a whole number`,
		}},
		{"id a list", "groups:\n  - name: web\n    interface: eth0\n    id: [1]\n    vips: [192.0.2.1]\n    password: x\n", []string{
			"vipd.yaml:4: groups[0].id: must be a single value, not a list",
		}},
		{"unknown group key", carp("    passwrd: x\n"), []string{
			"vipd.yaml:3: groups[0].passwrd: unknown field (did you mean password?)",
		}},
		{"keepalived key", carp("    advert_int: 1\n"), []string{
			"vipd.yaml:3: groups[0].advert_int: unknown field (did you mean interval?)",
		}},
		{"ucarp key", carp("    upscript: /x\n"), []string{
			"vipd.yaml:3: groups[0].upscript: unknown field (did you mean hooks.on_master?)",
		}},
		{"keepalived nopreempt", carp("    nopreempt: true\n"), []string{
			"vipd.yaml:3: groups[0].nopreempt: unknown field (did you mean preempt: false?)",
		}},
		{"duplicate group key", carp("    id: 2\n"), []string{
			"vipd.yaml:5: groups[0].id: is set twice (first on line 3)",
		}},
	})
}

func TestParseTimingErrors(t *testing.T) {
	runErrorCases(t, []errorCase{
		{"carp priority", carp("    priority: 100\n"), []string{
			"vipd.yaml:3: groups[0].priority: carp has no priority: hosts rank by advskew (lower is preferred), then advbase",
		}},
		{"carp interval", carp("    interval: 1s\n"), []string{
			"vipd.yaml:3: groups[0].interval: carp has no interval: it advertises every advbase + advskew/256 seconds",
		}},
		{"carp advbase range", carp("    advbase: 255\n"), []string{
			"vipd.yaml:3: groups[0].advbase: 255 is out of range 0-254",
		}},
		{"carp advskew range", carp("    advskew: -1\n"), []string{
			"vipd.yaml:3: groups[0].advskew: -1 is out of range 0-254",
		}},
		{"carp advbase and advskew both 0", carp("    advbase: 0\n    advskew: 0\n"), []string{
			"vipd.yaml:3: groups[0].advbase: advbase 0 with advskew 0 would advertise continuously: raise either (advbase 0, advskew 1 is every 3.9ms)",
		}},
		{"vrrp3 advbase", vrrp3("    advbase: 1\n    advskew: 2\n"), []string{
			"vipd.yaml:3: groups[0].advbase: advbase is for carp groups: vrrp3 sets the advert interval with interval and ranks hosts by priority",
			"vipd.yaml:4: groups[0].advskew: advskew is for carp groups: vrrp3 sets the advert interval with interval and ranks hosts by priority",
		}},
		{"vrrp priority range", vrrp3("    priority: 0\n"), []string{
			"vipd.yaml:3: groups[0].priority: 0 is out of range 1-255",
		}},
		{"vrrp3 interval too short", vrrp3("    interval: 5ms\n"), []string{
			"vipd.yaml:3: groups[0].interval: 5ms is out of range 10ms-40.95s",
		}},
		{"vrrp3 interval too long", vrrp3("    interval: 41s\n"), []string{
			"vipd.yaml:3: groups[0].interval: 41s is out of range 10ms-40.95s",
		}},
		{"vrrp3 interval not centiseconds", vrrp3("    interval: 15ms\n"), []string{
			"vipd.yaml:3: groups[0].interval: 15ms is not a multiple of 10ms (vrrp3 counts the interval in centiseconds, RFC 5798 §5.2.7)",
		}},
		{"vrrp2 interval fraction", vrrp2("    interval: 1500ms\n"), []string{
			"vipd.yaml:3: groups[0].interval: 1500ms is not whole seconds (vrrp2 counts the interval in seconds, RFC 3768 §5.3.7)",
		}},
		{"vrrp2 interval range", vrrp2("    interval: 256s\n"), []string{
			"vipd.yaml:3: groups[0].interval: 256s is out of range 1s-255s",
		}},
		{"interval without unit", vrrp3("    interval: 1\n"), []string{
			"vipd.yaml:3: groups[0].interval: 1 has no unit: write 1s, 1ms or another Go duration",
		}},
		{"interval not a duration", vrrp3("    interval: fast\n"), []string{
			`vipd.yaml:3: groups[0].interval: "fast" is not a duration: write it as 1s, 500ms or 1m30s`,
		}},
		{"adverts_per_interval range", carp("    adverts_per_interval: 11\n"), []string{
			"vipd.yaml:3: groups[0].adverts_per_interval: 11 is out of range 1-10",
		}},
		{"down_adverts range", carp("    down_adverts: 0\n"), []string{
			"vipd.yaml:3: groups[0].down_adverts: 0 is out of range 1-255",
		}},
		{"preempt yes", carp("    preempt: yes\n"), []string{
			`vipd.yaml:3: groups[0].preempt: "yes" is not a boolean: write true or false`,
		}},
		{"preempt quoted", carp("    preempt: \"false\"\n"), []string{
			`vipd.yaml:3: groups[0].preempt: "false" is text, not a boolean: remove the quotes`,
		}},
		{"preempt_delay negative", carp("    preempt_delay: -1s\n"), []string{
			"vipd.yaml:3: groups[0].preempt_delay: -1s must not be negative",
		}},
		{"preempt_delay huge", carp("    preempt_delay: 25h\n"), []string{
			"vipd.yaml:3: groups[0].preempt_delay: 25h is longer than the 24h allowed",
		}},
		{"resign_skew over vrrp3 interval", vrrp3("    interval: 100ms\n    resign_skew: 200ms\n"), []string{
			"vipd.yaml:4: groups[0].resign_skew: 200ms is longer than the advert interval 100ms, the base vrrp3 itself uses: resign_skew may only shorten the wait",
		}},
		{"resign_skew over 1s", carp("    resign_skew: 2s\n"), []string{
			"vipd.yaml:3: groups[0].resign_skew: 2s is longer than 1s, the base carp itself uses: resign_skew may only shorten the wait",
		}},
	})
}

func TestParseAddressErrors(t *testing.T) {
	runErrorCases(t, []errorCase{
		{"vips not a list", "groups:\n  - name: web\n    interface: eth0\n    id: 1\n    vips: 192.0.2.1\n    password: x\n", []string{
			"vipd.yaml:5: groups[0].vips: must be a list, not a single value",
		}},
		{"vips empty", "groups:\n  - name: web\n    interface: eth0\n    id: 1\n    vips: []\n    password: x\n", []string{
			"vipd.yaml:5: groups[0].vips: is empty: a group needs at least one VIP",
		}},
		{"bad VIPs, one line each", "groups:\n  - name: web\n    interface: eth0\n    id: 1\n    password: x\n    vips:\n" +
			"      - 192.0.2.300\n" +
			"      - 192.0.2.1/33\n" +
			"      - 192.0.2.1/0\n" +
			"      - 192.0.2.0/24\n" +
			"      - 192.0.2.255/24\n" +
			"      - 224.0.0.18\n" +
			"      - 127.0.0.1\n" +
			"      - 0.0.0.0\n" +
			"      - 255.255.255.255\n" +
			"      - '::ffff:192.0.2.9'\n" +
			"      - fe80::1%eth0\n" +
			"      - 192.0.2.7\n" +
			"      - 192.0.2.7/24\n" +
			"      - [192.0.2.8]\n", []string{
			`vipd.yaml:7: groups[0].vips[0]: "192.0.2.300" is not an IP address`,
			`vipd.yaml:8: groups[0].vips[1]: "192.0.2.1/33" is not an IP address or address/prefix-length`,
			`vipd.yaml:9: groups[0].vips[2]: "192.0.2.1/0" has prefix length 0, which would route every address to the group's link`,
			`vipd.yaml:10: groups[0].vips[3]: "192.0.2.0/24" is the network address of its prefix: write the VIP's own address, e.g. 192.0.2.100/24`,
			`vipd.yaml:11: groups[0].vips[4]: "192.0.2.255/24" is the broadcast address of its prefix`,
			`vipd.yaml:12: groups[0].vips[5]: "224.0.0.18" is a multicast address`,
			`vipd.yaml:13: groups[0].vips[6]: "127.0.0.1" is a loopback address`,
			`vipd.yaml:14: groups[0].vips[7]: "0.0.0.0" is the unspecified address`,
			`vipd.yaml:15: groups[0].vips[8]: "255.255.255.255" is the broadcast address`,
			`vipd.yaml:16: groups[0].vips[9]: "::ffff:192.0.2.9" is an IPv4-mapped IPv6 address: write 192.0.2.9`,
			`vipd.yaml:17: groups[0].vips[10]: "fe80::1%eth0" has a zone: the group's interface is the link`,
			`vipd.yaml:19: groups[0].vips[12]: 192.0.2.7 is listed twice (also vips[11])`,
			`vipd.yaml:20: groups[0].vips[13]: must be a single value, not a list`,
		}},
		{"vrrp3 IPv6 with a link-local source", vrrp3v6("    source: fe80::1\n"), nil},
		{"IPv6 subnet as VIP", "groups:\n  - name: web\n    interface: eth0\n    protocol: vrrp3\n    id: 1\n    vips: ['2001:db8::/64']\n", []string{
			`vipd.yaml:6: groups[0].vips[0]: "2001:db8::/64" is the network address of its prefix: write the VIP's own address, e.g. 2001:db8::64/64`,
		}},
		{"carp IPv6", "groups:\n  - name: web\n    interface: eth0\n    id: 1\n    vips: [192.0.2.1, 2001:db8::1]\n    password: x\n", []string{
			"vipd.yaml:5: groups[0].vips[1]: 2001:db8::1 is IPv6: carp carries IPv4 only (as ucarp does); put IPv6 VIPs in a vrrp3 group",
		}},
		{"vrrp2 IPv6", "groups:\n  - name: web\n    interface: eth0\n    protocol: vrrp2\n    id: 1\n    vips: [2001:db8::1]\n", []string{
			"vipd.yaml:6: groups[0].vips[0]: 2001:db8::1 is IPv6: vrrp2 carries IPv4 only (RFC 3768); put IPv6 VIPs in a vrrp3 group",
		}},
		{"vrrp3 mixed families", "groups:\n  - name: web\n    interface: eth0\n    protocol: vrrp3\n    id: 1\n    vips:\n      - 192.0.2.1\n      - 2001:db8::1\n", []string{
			"vipd.yaml:8: groups[0].vips[1]: 2001:db8::1 is IPv6 but groups[0].vips[0] is IPv4: vrrp3 runs IPv4 and IPv6 as separate virtual routers (RFC 5798), so put it in a second group",
		}},
		{"source wrong family", vrrp3("    source: 2001:db8::5\n"), []string{
			"vipd.yaml:3: groups[0].source: 2001:db8::5 is IPv6 but the group's VIPs are IPv4",
		}},
		{"source is a VIP", carp("    source: 192.0.2.1\n"), []string{
			"vipd.yaml:3: groups[0].source: 192.0.2.1 is one of the group's VIPs: it must be a host's own address",
		}},
		{"source not an address", carp("    source: eth0\n"), []string{
			`vipd.yaml:3: groups[0].source: "eth0" is not an IP address`,
		}},
		{"source multicast", carp("    source: 224.0.0.18\n"), []string{
			`vipd.yaml:3: groups[0].source: "224.0.0.18" is a multicast address`,
		}},
		{"vrrp3 IPv6 source not link-local", vrrp3v6("    source: 2001:db8::5\n"), []string{
			"vipd.yaml:3: groups[0].source: 2001:db8::5 is not link-local: vrrp3 sends IPv6 adverts from the link's link-local address (RFC 5798 §5.1.2.1); leave source out to use it",
		}},
		{"peers", carp("    source: 192.0.2.11\n    peers: [192.0.2.12, 192.0.2.12, 192.0.2.11, 192.0.2.1, 2001:db8::1, ff02::12, x]\n"), []string{
			"vipd.yaml:4: groups[0].peers[1]: 192.0.2.12 is listed twice (also peers[0])",
			"vipd.yaml:4: groups[0].peers[2]: 192.0.2.11 is this host's source address",
			"vipd.yaml:4: groups[0].peers[3]: 192.0.2.1 is one of the group's VIPs: it must be a host's own address",
			"vipd.yaml:4: groups[0].peers[4]: 2001:db8::1 is IPv6 but the group's VIPs are IPv4",
			`vipd.yaml:4: groups[0].peers[5]: "ff02::12" is a multicast address`,
			`vipd.yaml:4: groups[0].peers[6]: "x" is not an IP address`,
		}},
		{"peers empty", carp("    peers: []\n"), []string{
			"vipd.yaml:3: groups[0].peers: is empty: leave peers out to advertise by multicast",
		}},
	})
}

func TestParseAuthErrors(t *testing.T) {
	runErrorCases(t, []errorCase{
		{"carp without password", "groups:\n  - name: web\n    interface: eth0\n    id: 1\n    vips: [192.0.2.1]\n", []string{
			"vipd.yaml:2: groups[0].password: is required for carp (ucarp's --pass), or set password_file",
		}},
		{"carp password too long", "groups:\n  - name: web\n    interface: eth0\n    id: 1\n    vips: [192.0.2.1]\n    password: 12345678901234567890\n", []string{
			"vipd.yaml:6: groups[0].password: is 20 bytes long; ucarp allows at most 19",
		}},
		{"carp password empty", "groups:\n  - name: web\n    interface: eth0\n    id: 1\n    vips: [192.0.2.1]\n    password: ''\n", []string{
			"vipd.yaml:6: groups[0].password: is empty",
		}},
		{"carp password with NUL", "groups:\n  - name: web\n    interface: eth0\n    id: 1\n    vips: [192.0.2.1]\n    password: \"a\\0b\"\n", []string{
			"vipd.yaml:6: groups[0].password: contains a NUL byte, which peers would read as its end",
		}},
		{"redacted placeholder", "groups:\n  - name: web\n    interface: eth0\n    id: 1\n    vips: [192.0.2.1]\n    password: (redacted)\n", []string{
			"vipd.yaml:6: groups[0].password: is the placeholder vipd check prints for a hidden password: write the real one",
		}},
		{"password and password_file", carp("    password_file: /etc/vipd/web.pass\n"), []string{
			"vipd.yaml:3: groups[0].password_file: is set together with password: use one or the other",
		}},
		{"password_file relative", "groups:\n  - name: web\n    interface: eth0\n    id: 1\n    vips: [192.0.2.1]\n    password_file: web.pass\n", []string{
			`vipd.yaml:6: groups[0].password_file: "web.pass" is not an absolute path`,
		}},
		{"vrrp2 password too long", vrrp2("    password: 123456789\n"), []string{
			"vipd.yaml:3: groups[0].password: is 9 bytes long; vrrp2 simple passwords have at most 8",
		}},
		{"vrrp3 password", vrrp3("    password: secret\n"), []string{
			"vipd.yaml:3: groups[0].password: vrrp3 has no authentication (RFC 5798 §9 removed it); remove the password",
		}},
		{"vrrp3 password_file", vrrp3("    password_file: /etc/vipd/web.pass\n"), []string{
			"vipd.yaml:3: groups[0].password_file: vrrp3 has no authentication (RFC 5798 §9 removed it); remove the password file",
		}},
	})
}

func TestParseSettingErrors(t *testing.T) {
	runErrorCases(t, []errorCase{
		{"checksum on carp", carp("    vrrp3_checksum: pseudo-header\n"), []string{
			"vipd.yaml:3: groups[0].vrrp3_checksum: applies to vrrp3 groups only (carp has one checksum)",
		}},
		{"checksum on IPv6", vrrp3v6("    vrrp3_checksum: no-pseudo-header\n"), []string{
			"vipd.yaml:3: groups[0].vrrp3_checksum: applies to IPv4 groups only: vrrp3 over IPv6 always uses the IPv6 pseudo-header",
		}},
		{"checksum unknown", vrrp3("    vrrp3_checksum: no-pseudo\n"), []string{
			`vipd.yaml:3: groups[0].vrrp3_checksum: "no-pseudo" is not a checksum variant: want pseudo-header, no-pseudo-header or group-pseudo-header`,
		}},
		{"address_lifetime under 1s", carp("    address_lifetime: 500ms\n"), []string{
			"vipd.yaml:3: groups[0].address_lifetime: 500ms is under 1s: the kernel counts address lifetimes in whole seconds (0 keeps the VIPs forever)",
		}},
		{"announce not a mapping", carp("    announce: 3\n"), []string{
			"vipd.yaml:3: groups[0].announce: must be a mapping of settings, not a single value",
		}},
		{"announce repeats range", carp("    announce: {repeats: 256}\n"), []string{
			"vipd.yaml:3: groups[0].announce.repeats: 256 is out of range 0-255",
		}},
		{"announce spacing 0", carp("    announce: {spacing: 0}\n"), []string{
			"vipd.yaml:3: groups[0].announce.spacing: must be positive when repeats is not 0",
		}},
		{"announce refresh too short", carp("    announce: {refresh: 100ms}\n"), []string{
			"vipd.yaml:3: groups[0].announce.refresh: 100ms is under 1s: use 0 for no refresh, or at least 1s",
		}},
		{"announce unknown key", carp("    announce: {interval: 1s}\n"), []string{
			"vipd.yaml:3: groups[0].announce.interval: unknown field (did you mean spacing?)",
		}},
		{"hook as a string", carp("    hooks:\n      on_master: /usr/local/bin/notify master\n"), []string{
			`vipd.yaml:4: groups[0].hooks.on_master: is a string, but hooks are argv lists run without a shell: write ["/usr/local/bin/notify", "master"]`,
		}},
		{"hook as a shell line", carp("    hooks:\n      on_master: systemctl start nginx && logger up\n"), []string{
			`vipd.yaml:4: groups[0].hooks.on_master: is a string, but hooks are argv lists run without a shell: write ["/bin/sh", "-c", "systemctl start nginx && logger up"]`,
		}},
		{"hook relative string", carp("    hooks:\n      on_backup: notify.sh\n"), []string{
			`vipd.yaml:4: groups[0].hooks.on_backup: is a string, but hooks are argv lists run without a shell: write ["notify.sh"] with the program's absolute path`,
		}},
		{"hook relative program", carp("    hooks:\n      on_fault: [notify.sh, fault]\n"), []string{
			`vipd.yaml:4: groups[0].hooks.on_fault[0]: "notify.sh" is not an absolute path: hooks run with a clean environment and no PATH search`,
		}},
		{"hook empty list", carp("    hooks:\n      on_stop: []\n"), []string{
			"vipd.yaml:4: groups[0].hooks.on_stop: is empty: leave it out to run nothing",
		}},
		{"hook nested list", carp("    hooks:\n      on_change: [/bin/echo, [a]]\n"), []string{
			"vipd.yaml:4: groups[0].hooks.on_change[1]: must be a single value, not a list",
		}},
		{"hook with NUL", carp("    hooks:\n      on_change: [/bin/echo, \"a\\0\"]\n"), []string{
			"vipd.yaml:4: groups[0].hooks.on_change[1]: contains a NUL byte",
		}},
		{"hook timeout 0", carp("    hooks:\n      timeout: 0s\n"), []string{
			"vipd.yaml:4: groups[0].hooks.timeout: must be positive: a hook that may never run to its end needs a timeout",
		}},
		{"xparam without ucarp_args", carp("    hooks:\n      xparam: extra\n"), []string{
			"vipd.yaml:4: groups[0].hooks.xparam: is passed to hooks only with ucarp_args: true",
		}},
		{"keepalived notify in hooks", carp("    hooks:\n      notify_master: [/x]\n"), []string{
			"vipd.yaml:4: groups[0].hooks.notify_master: unknown field (did you mean on_master?)",
		}},
	})
}
