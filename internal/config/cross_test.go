package config

import "testing"

// two returns a file with two groups; a and b are each a group's lines
// after "  - name: ...", indented by four spaces.
func two(a, b string) string {
	return "groups:\n  - name: a\n" + a + "  - name: b\n" + b
}

func TestParseCrossGroupErrors(t *testing.T) {
	const (
		carpA  = "    interface: eth0\n    id: 7\n    vips: [192.0.2.1]\n    password: x\n"
		carpB  = "    interface: eth0\n    id: 7\n    vips: [192.0.2.2]\n    password: x\n"
		vrrp2B = "    interface: eth0\n    protocol: vrrp2\n    id: 7\n    vips: [192.0.2.2]\n"
		v3a4   = "    interface: eth0\n    protocol: vrrp3\n    id: 7\n    vips: [192.0.2.1]\n"
		v3b4   = "    interface: eth0\n    protocol: vrrp3\n    id: 7\n    vips: [192.0.2.2]\n"
		v3b6   = "    interface: eth0\n    protocol: vrrp3\n    id: 7\n    vips: [2001:db8::2]\n"
	)
	runErrorCases(t, []errorCase{
		{"duplicate names", "groups:\n  - name: web\n" + carpA + "  - name: web\n" + "    interface: eth1\n    id: 7\n    vips: [192.0.2.2]\n    password: x\n", []string{
			`vipd.yaml:7: groups[1].name: "web" is already the name of groups[0] (line 2)`,
		}},
		{"two carp groups, one vhid, one link", two(carpA, carpB), []string{
			`vipd.yaml:9: groups[1].id: vhid 7 is already used on eth0 by group "a" (line 4)`,
		}},
		{"carp and vrrp2 share the first byte", two(carpA, vrrp2B), []string{
			`vipd.yaml:10: groups[1].id: 7 clashes with group "a" (line 4) on eth0: carp and vrrp2 adverts share protocol 112 and the first byte 0x21, so one link must not carry vhid 7 and VRID 7`,
		}},
		{"two vrrp3 IPv4 groups, one VRID", two(v3a4, v3b4), []string{
			`vipd.yaml:10: groups[1].id: VRID 7 for IPv4 is already used on eth0 by group "a" (line 5)`,
		}},
		{"vrrp3 IPv4 and IPv6 may share a VRID", two(v3a4, v3b6), nil},
		{"carp and vrrp3 may share an id", two(carpA, v3b4), nil},
		{"vrrp2 and vrrp3 may share a VRID", two(v3a4, vrrp2B), nil},
		{"one id on two links", two(carpA, "    interface: eth1\n    id: 7\n    vips: [192.0.2.2]\n    password: x\n"), nil},
		{"a VIP in two groups", two(carpA, "    interface: eth1\n    id: 8\n    vips: [192.0.2.3, 192.0.2.1/24]\n    password: x\n"), []string{
			`vipd.yaml:10: groups[1].vips[1]: 192.0.2.1 is already a VIP of group "a" (line 5)`,
		}},
		{"a bad group does not cause more errors", two(carpA, "    interface: eth0\n    id: 700\n    vips: [192.0.2.1x]\n    password: x\n"), []string{
			"vipd.yaml:9: groups[1].id: 700 is out of range 1-255",
			`vipd.yaml:10: groups[1].vips[0]: "192.0.2.1x" is not an IP address`,
		}},
		{"an unnamed group is named by its path", "groups:\n  - interface: eth0\n    id: 7\n    vips: [192.0.2.1]\n    password: x\n" +
			"  - name: b\n" + carpB, []string{
			"vipd.yaml:2: groups[0].name: is required (it names the group in logs, metrics and hooks)",
			"vipd.yaml:8: groups[1].id: vhid 7 is already used on eth0 by groups[0] (line 3)",
		}},
	})
}
