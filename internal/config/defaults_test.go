package config

import (
	"log/slog"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// addrCmp compares netip values by their text, which go-cmp cannot look
// inside.
var addrCmp = cmp.Options{
	cmp.Comparer(func(a, b netip.Addr) bool { return a == b }),
	cmp.Comparer(func(a, b netip.Prefix) bool { return a == b }),
}

func TestParseTopLevelDefaults(t *testing.T) {
	cfg := mustParse(t, carp(""))
	cfg.Groups = nil
	want := &Config{
		Path:          testFile,
		Log:           Log{Format: LogText, Level: slog.LevelInfo},
		StateFile:     DefaultStateFile,
		ControlSocket: DefaultControlSocket,
	}
	if diff := cmp.Diff(want, cfg); diff != "" {
		t.Errorf("config (-want +got):\n%s", diff)
	}
}

func TestParseTopLevelValues(t *testing.T) {
	cfg := mustParse(t, "node: web1\nlog: {format: json, level: debug}\nstate_file: /s/state.json\n"+
		"control_socket: /s/vipd.sock\nhttp: {listen: '[::1]:9650'}\n"+carp(""))
	cfg.Groups = nil
	want := &Config{
		Path:          testFile,
		Node:          "web1",
		Log:           Log{Format: LogJSON, Level: slog.LevelDebug},
		StateFile:     "/s/state.json",
		ControlSocket: "/s/vipd.sock",
		HTTP:          HTTP{Listen: "[::1]:9650"},
	}
	if diff := cmp.Diff(want, cfg); diff != "" {
		t.Errorf("config (-want +got):\n%s", diff)
	}
}

func TestParseGroupDefaults(t *testing.T) {
	common := Group{
		Name:               "web",
		Interface:          "eth0",
		TrackLink:          true,
		ID:                 1,
		DownAdverts:        3,
		AdvertsPerInterval: 1,
		VIPs:               []netip.Prefix{netip.MustParsePrefix("192.0.2.1/32")},
		Preempt:            true,
		AddressLifetime:    time.Second, // (down_adverts 3 − 1) × 1s − 1s
		Announce:           Announce{Repeats: 3, Spacing: 1100 * time.Millisecond},
		Hooks:              Hooks{Timeout: 30 * time.Second},
	}
	withCARP := common
	withCARP.Protocol, withCARP.AdvBase, withCARP.Password = CARP, 1, "secret"
	withVRRP3 := common
	withVRRP3.Protocol, withVRRP3.Priority, withVRRP3.Interval = VRRP3, 100, time.Second
	withVRRP2 := common
	withVRRP2.Protocol, withVRRP2.Priority, withVRRP2.Interval = VRRP2, 100, time.Second
	slowVRRP2 := withVRRP2
	slowVRRP2.Interval, slowVRRP2.AddressLifetime = 4*time.Second, 7*time.Second
	fastCARP := withCARP
	fastCARP.AdvBase, fastCARP.AdvSkew, fastCARP.DownAdverts = 0, 3, 20
	fastCARP.AddressLifetime = time.Second // the kernel's floor
	ipv6 := withVRRP3
	ipv6.VIPs = []netip.Prefix{netip.MustParsePrefix("2001:db8::1/128")}

	for _, tc := range []struct {
		name string
		in   string
		want Group
	}{
		{"carp", carp(""), withCARP},
		{"vrrp3", vrrp3(""), withVRRP3},
		{"vrrp2", vrrp2(""), withVRRP2},
		{"vrrp2 at 4s gets a lifetime within its backups' wait", vrrp2("    interval: 4s\n"), slowVRRP2},
		{"fast carp gets the 1s floor", carp("    advbase: 0\n    advskew: 3\n    down_adverts: 20\n"), fastCARP},
		{"IPv6 VIP gets /128", vrrp3v6(""), ipv6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := mustParse(t, tc.in)
			if diff := cmp.Diff([]Group{tc.want}, cfg.Groups, addrCmp); diff != "" {
				t.Errorf("groups (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseGroupValues(t *testing.T) {
	in := `groups:
  - name: db
    interface: eth1
    track_link: false
    protocol: vrrp3
    id: 51
    priority: 150
    interval: 20ms
    down_adverts: 10
    adverts_per_interval: 4
    vips: [198.51.100.10/24, 198.51.100.11]
    source: 198.51.100.2
    preempt: false
    preempt_delay: 0s
    resign_skew: 10ms
    peers: [198.51.100.3, 198.51.100.4]
    vrrp3_checksum: no-pseudo-header
    address_lifetime: 0
    announce: {repeats: 5, spacing: 2s, refresh: 1m}
    hooks:
      on_master: [/usr/local/bin/notify, master]
      on_backup: [/usr/local/bin/notify, backup]
      on_fault: [/usr/local/bin/notify, fault]
      on_stop: [/usr/local/bin/notify, stop]
      on_change: [/bin/sh, -c, 'echo "$VIPD_STATE"']
      timeout: 5s
      ucarp_args: true
      xparam: extra
`
	want := []Group{{
		Name:               "db",
		Interface:          "eth1",
		TrackLink:          false,
		Protocol:           VRRP3,
		ID:                 51,
		Priority:           150,
		Interval:           20 * time.Millisecond,
		DownAdverts:        10,
		AdvertsPerInterval: 4,
		VIPs:               []netip.Prefix{netip.MustParsePrefix("198.51.100.10/24"), netip.MustParsePrefix("198.51.100.11/32")},
		Source:             netip.MustParseAddr("198.51.100.2"),
		Preempt:            false,
		ResignSkew:         10 * time.Millisecond,
		Peers:              []netip.Addr{netip.MustParseAddr("198.51.100.3"), netip.MustParseAddr("198.51.100.4")},
		Checksum:           ChecksumNoPseudoHeader,
		Announce:           Announce{Repeats: 5, Spacing: 2 * time.Second, Refresh: time.Minute},
		Hooks: Hooks{
			OnMaster:  []string{"/usr/local/bin/notify", "master"},
			OnBackup:  []string{"/usr/local/bin/notify", "backup"},
			OnFault:   []string{"/usr/local/bin/notify", "fault"},
			OnStop:    []string{"/usr/local/bin/notify", "stop"},
			OnChange:  []string{"/bin/sh", "-c", `echo "$VIPD_STATE"`},
			Timeout:   5 * time.Second,
			UcarpArgs: true,
			XParam:    "extra",
		},
	}}
	cfg := mustParse(t, in)
	if diff := cmp.Diff(want, cfg.Groups, addrCmp); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}
	if len(cfg.Warnings) != 0 {
		t.Errorf("warnings: %v", cfg.Warnings)
	}
}

func TestAdvertInterval(t *testing.T) {
	for _, tc := range []struct {
		name string
		g    Group
		want time.Duration
	}{
		{"carp 1/0", Group{Protocol: CARP, AdvBase: 1}, time.Second},
		{"carp 0/1", Group{Protocol: CARP, AdvSkew: 1}, 3906250 * time.Nanosecond},
		{"carp 2/128", Group{Protocol: CARP, AdvBase: 2, AdvSkew: 128}, 2500 * time.Millisecond},
		{"vrrp3", Group{Protocol: VRRP3, Interval: 20 * time.Millisecond}, 20 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.g.AdvertInterval(); got != tc.want {
				t.Errorf("AdvertInterval() = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestEnumStrings(t *testing.T) {
	got := []string{
		CARP.String(), VRRP3.String(), VRRP2.String(), Protocol(0).String(),
		ChecksumPseudoHeader.String(), ChecksumNoPseudoHeader.String(), ChecksumGroupPseudoHeader.String(), Checksum(9).String(),
		LogText.String(), LogJSON.String(), LogFormat(0).String(),
	}
	want := []string{
		"carp", "vrrp3", "vrrp2", "protocol(0)",
		"pseudo-header", "no-pseudo-header", "group-pseudo-header", "checksum(9)",
		"text", "json", "logformat(0)",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("String() (-want +got):\n%s", diff)
	}
}
