package lab

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/vipd/vipd/internal/config"
)

var (
	vrrp2Profile = Profile{Name: "v2", Protocol: VRRP2, Interval: time.Second, DownAdverts: 3}
	carpProfile  = Profile{Name: "carp", Protocol: CARP, Interval: time.Second, DownAdverts: 3}
	alt          = netip.MustParseAddr("198.51.100.1")
)

func TestMixedOptions(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		// err is part of the error withDefaults must return, "" for none.
		err string
	}{
		{"vipd and keepalived", Options{Hosts: 2, HostImpls: []Impl{Vipd, Keepalived}}, ""},
		{"vipd and keepalived, vrrp2", Options{Hosts: 2, HostImpls: []Impl{Vipd, Keepalived}, Profile: vrrp2Profile,
			Groups: []Group{{Name: "g", ID: 1, VIP: VIP4, Password: "8-bytes!"}}}, ""},
		{"vipd and ucarp", Options{Hosts: 2, HostImpls: []Impl{Vipd, Ucarp}, Profile: carpProfile,
			Sources: []netip.Addr{alt, {}}}, ""},
		{"too few implementations", Options{Hosts: 3, HostImpls: []Impl{Vipd, Keepalived}}, "2 host implementations for 3 hosts"},
		{"keepalived and ucarp", Options{Hosts: 2, HostImpls: []Impl{Keepalived, Ucarp}, Profile: carpProfile}, "share no protocol"},
		{"vipd speaking vrrp3 to ucarp", Options{Hosts: 2, HostImpls: []Impl{Vipd, Ucarp}}, "vipd must speak carp next to ucarp"},
		{"keepalived and carp", Options{Hosts: 2, HostImpls: []Impl{Vipd, Keepalived}, Profile: carpProfile}, "keepalived does not speak CARP"},
		{"vrrp2 at 100 ms", Options{Hosts: 2, HostImpls: []Impl{Vipd, Keepalived},
			Profile: Profile{Name: "x", Protocol: VRRP2, Interval: 100 * time.Millisecond, DownAdverts: 3}}, "whole seconds"},
		{"vrrp2 password too long", Options{Profile: vrrp2Profile,
			Groups: []Group{{Name: "g", ID: 1, VIP: VIP4, Password: "nine-byte"}}}, "at most 8 bytes"},
		{"vrrp3 password", Options{Groups: []Group{{Name: "g", ID: 1, VIP: VIP4, Password: "x"}}}, "VRRPv3 has no password"},
		{"carp password too long", Options{Profile: carpProfile,
			Groups: []Group{{Name: "g", ID: 1, VIP: VIP4, Password: strings.Repeat("x", 20)}}}, "at most 19 bytes"},
		{"sources for too few hosts", Options{Hosts: 3, Sources: []netip.Addr{alt}}, "1 advert sources for 3 hosts"},
		{"source outside the lab", Options{Hosts: 2, Sources: []netip.Addr{netip.MustParseAddr("10.0.0.1"), {}}}, "want an IPv4 address"},
		{"source of another host", Options{Hosts: 2, Sources: []netip.Addr{netip.MustParseAddr("192.0.2.2"), {}}}, "is h2's address"},
		{"source is the VIP", Options{Hosts: 2, Sources: []netip.Addr{VIP4.Addr(), {}}}, "is a VIP"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.opts.withDefaults()
			switch {
			case tt.err == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.err != "" && err == nil:
				t.Fatalf("accepted, want an error with %q", tt.err)
			case tt.err != "" && !strings.Contains(err.Error(), tt.err):
				t.Fatalf("error %q, want one with %q", err, tt.err)
			}
		})
	}
}

func TestHostImplAndSource(t *testing.T) {
	l := fakeLab(t, Options{Hosts: 3, HostImpls: []Impl{Vipd, Keepalived, Vipd}, Sources: []netip.Addr{{}, alt, {}}})
	var got []string
	for _, h := range l.hosts {
		got = append(got, h.Impl().String()+" "+h.Source().String()+" "+h.LogPath())
	}
	want := []string{
		"vipd 192.0.2.1 /lab/h1/vipd.log",
		"keepalived 198.51.100.1 /lab/h2/keepalived.log",
		"vipd 192.0.2.3 /lab/h3/vipd.log",
	}
	if !slices.Equal(got, want) {
		t.Errorf("hosts:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got := l.peers(l.hosts[0], l.opts.Groups[0]); !slices.Equal(got, []string{"198.51.100.1", "192.0.2.3"}) {
		t.Errorf("h1's unicast peers %v, want the others' advert sources", got)
	}
}

func TestKeepalivedConfVRRP2(t *testing.T) {
	l := fakeLab(t, Options{Hosts: 2, HostImpls: []Impl{Vipd, Keepalived}, Profile: vrrp2Profile,
		Sources: []netip.Addr{{}, alt},
		Groups: []Group{
			{Name: "open", ID: 10, VIP: VIP4},
			{Name: "pass", ID: 11, VIP: netip.MustParsePrefix("192.0.2.101/24"), Password: "secret"},
		}})
	got := l.keepalivedConf(l.hosts[1])
	for _, want := range []string{
		"vrrp_instance open {\n\tstate BACKUP\n\tinterface eth0\n\tvirtual_router_id 10\n\tversion 2\n\tpriority 200\n\tadvert_int 1\n\tmcast_src_ip 198.51.100.1\n\tvirtual_ipaddress",
		"\tversion 2\n\tpriority 200\n\tadvert_int 1\n\tauthentication {\n\t\tauth_type PASS\n\t\tauth_pass secret\n\t}\n\tmcast_src_ip 198.51.100.1\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("keepalived.conf lacks %q:\n%s", want, got)
		}
	}
}

func TestUcarpArgsPasswordAndSource(t *testing.T) {
	l := fakeLab(t, Options{Hosts: 2, HostImpls: []Impl{Vipd, Ucarp}, Profile: carpProfile, Sources: []netip.Addr{{}, alt},
		Groups: []Group{{Name: "g", ID: 7, VIP: VIP4, Password: "other", NoPreempt: true}}})
	got := strings.Join(l.ucarpArgs("ucarp", l.hosts[1], l.opts.Groups[0], "up", "down"), " ")
	for _, want := range []string{"--srcip=198.51.100.1", "--pass=other", "--vhid=7"} {
		if !strings.Contains(got, want) {
			t.Errorf("ucarp argv lacks %s: %s", want, got)
		}
	}
	if strings.Contains(got, "--preempt") {
		t.Errorf("ucarp argv has --preempt for a group without preemption: %s", got)
	}
}

// TestMixedVipdConfigValidates feeds the vipd configurations of mixed labs
// to vipd's own parser and checks the settings the lab translates.
func TestMixedVipdConfigValidates(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		// password and source are what vipd on h1 must get in group 0.
		password, source string
	}{
		{"vrrp2 open", Options{Hosts: 2, HostImpls: []Impl{Vipd, Keepalived}, Profile: vrrp2Profile}, "", ""},
		{"vrrp2 pass", Options{Hosts: 2, HostImpls: []Impl{Vipd, Keepalived}, Profile: vrrp2Profile,
			Groups: []Group{{Name: "g", ID: 1, VIP: VIP4, Password: "secret"}}}, "secret", ""},
		{"carp with ucarp", Options{Hosts: 2, HostImpls: []Impl{Vipd, Ucarp}, Profile: carpProfile,
			Sources: []netip.Addr{alt, {}}}, Password, "198.51.100.1"},
		{"carp own password", Options{Hosts: 2, HostImpls: []Impl{Vipd, Ucarp}, Profile: carpProfile,
			Groups: []Group{{Name: "g", ID: 1, VIP: VIP4, Password: "other"}}}, "other", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := fakeLab(t, tt.opts)
			h := l.hosts[0]
			f := l.vipdFile(h)
			l.vipdHostSettings(h, f)
			b, err := yaml.Marshal(f)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := config.Parse(h.Name+".yaml", b); err != nil {
				t.Fatalf("refused:\n%v\n%s", err, b)
			}
			g := f.Groups[0]
			if g.Protocol != tt.opts.Profile.Protocol.String() || g.Password != tt.password || g.Source != tt.source {
				t.Errorf("group %s: protocol %s, password %q, source %q; want %s, %q, %q",
					g.Name, g.Protocol, g.Password, g.Source, tt.opts.Profile.Protocol, tt.password, tt.source)
			}
		})
	}
}
