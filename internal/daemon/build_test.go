package daemon

import (
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/vipd/vipd/internal/config"
	"github.com/vipd/vipd/internal/driver"
	"github.com/vipd/vipd/internal/fsm"
	"github.com/vipd/vipd/internal/hooks"
	"github.com/vipd/vipd/internal/vrrp"
)

func parseGroup(t *testing.T, yaml string) *config.Group {
	t.Helper()
	cfg, err := config.Parse("/etc/vipd/vipd.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return &cfg.Groups[0]
}

// TestDriverConfigMapsEachProtocol: the configuration's protocol settings
// reach the state machine's policy and the wire settings unchanged.
func TestDriverConfigMapsEachProtocol(t *testing.T) {
	src := netip.MustParseAddr("192.0.2.1")
	carp := driverConfig(parseGroup(t, `
groups:
  - {name: web, interface: eth0, id: 42, advbase: 1, advskew: 100, down_adverts: 5, password: secret, vips: [192.0.2.100/24]}
`), src)
	if carp.Protocol != driver.CARP || carp.ID != 42 || string(carp.Password) != "secret" {
		t.Errorf("carp wire settings: %+v", carp)
	}
	if diff := cmp.Diff(fsm.CARP{DeadRatio: 5}, carp.Machine.Policy); diff != "" {
		t.Errorf("carp policy (-want +got):\n%s", diff)
	}
	if want := time.Second + 100*time.Second/256; carp.Machine.Self.Interval != want || carp.Machine.Self.Priority != 0 {
		t.Errorf("carp standing %+v, want interval %v and no priority", carp.Machine.Self, want)
	}

	v3 := driverConfig(parseGroup(t, `
groups:
  - {name: db, interface: eth0, protocol: vrrp3, id: 7, priority: 150, interval: 20ms, resign_skew: 5ms, vrrp3_checksum: no-pseudo-header, preempt: false, vips: [192.0.2.50]}
`), src)
	if diff := cmp.Diff(fsm.VRRP{Version: 3, DownAdverts: 3, ResignSkewBase: 5 * time.Millisecond}, v3.Machine.Policy); diff != "" {
		t.Errorf("vrrp3 policy (-want +got):\n%s", diff)
	}
	if v3.Machine.Self != (fsm.Advert{From: src, Priority: 150, Interval: 20 * time.Millisecond}) || v3.Machine.Preempt {
		t.Errorf("vrrp3 standing %+v preempt=%v", v3.Machine.Self, v3.Machine.Preempt)
	}
	if v3.Checksum != vrrp.ChecksumNoPseudoHeader || v3.Protocol != driver.VRRP3 {
		t.Errorf("vrrp3 wire settings: protocol %v checksum %v", v3.Protocol, v3.Checksum)
	}
}

// TestHookSetCarriesModeAndTimeout: ucarp_args and the timeout reach every
// hook.
func TestHookSetCarriesModeAndTimeout(t *testing.T) {
	g := parseGroup(t, `
groups:
  - name: web
    interface: eth0
    id: 1
    password: secret
    vips: [192.0.2.100]
    hooks: {on_master: [/etc/vipd/up.sh], on_backup: [/etc/vipd/down.sh], timeout: 5s, ucarp_args: true, xparam: extra}
`)
	set := hookSet(&g.Hooks)
	if set.OnMaster.Argv[0] != "/etc/vipd/up.sh" || set.OnBackup.Argv[0] != "/etc/vipd/down.sh" {
		t.Errorf("argv lost: %+v", set)
	}
	if set.OnMaster.Timeout != 5*time.Second || set.OnMaster.XParam != "extra" || set.OnMaster.Mode != hooks.ModeUcarp || set.OnBackup.Mode != hooks.ModeUcarp {
		t.Errorf("settings lost: %+v", set.OnMaster)
	}
	if len(set.OnFault.Argv) != 0 {
		t.Errorf("an unset hook got argv %v", set.OnFault.Argv)
	}
}
