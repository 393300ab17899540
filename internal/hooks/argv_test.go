package hooks

import (
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vipd/vipd/internal/fsm"
)

func TestArgvs(t *testing.T) {
	tests := []struct {
		name string
		hook Hook
		to   fsm.State
		vips []string
		want [][]string
	}{
		{
			name: "argv as configured",
			hook: Hook{Argv: []string{"/x", "a b", "c"}},
			to:   fsm.Master,
			want: [][]string{{"/x", "a b", "c"}},
		},
		{
			name: "ucarp: one call per VIP, address without prefix, xparam last",
			hook: Hook{Argv: []string{"/up"}, Mode: ModeUcarp, XParam: "extra"},
			to:   fsm.Master,
			vips: []string{"192.0.2.10/24", "2001:db8::10/64"},
			want: [][]string{{"/up", "eth0", "192.0.2.10", "extra"}, {"/up", "eth0", "2001:db8::10", "extra"}},
		},
		{
			name: "ucarp without xparam",
			hook: Hook{Argv: []string{"/up"}, Mode: ModeUcarp},
			to:   fsm.Master,
			vips: []string{"192.0.2.10/32"},
			want: [][]string{{"/up", "eth0", "192.0.2.10"}},
		},
		{
			name: "ucarp without VIPs runs nothing",
			hook: Hook{Argv: []string{"/up"}, Mode: ModeUcarp},
			to:   fsm.Master,
			want: [][]string{},
		},
		{
			name: "keepalived notify",
			hook: Hook{Argv: []string{"/notify", "-v"}, Mode: ModeKeepalived},
			to:   fsm.Fault,
			want: [][]string{{"/notify", "-v", "INSTANCE", "web", "FAULT", "100"}},
		},
		{
			name: "keepalived notify: maintenance is BACKUP",
			hook: Hook{Argv: []string{"/notify"}, Mode: ModeKeepalived},
			to:   fsm.Maintenance,
			want: [][]string{{"/notify", "INSTANCE", "web", "BACKUP", "100"}},
		},
		{
			name: "keepalived notify: stop",
			hook: Hook{Argv: []string{"/notify"}, Mode: ModeKeepalived},
			to:   fsm.Stopped,
			want: [][]string{{"/notify", "INSTANCE", "web", "STOP", "100"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := event("web", tt.to, Set{})
			ev.VIPs = nil
			for _, v := range tt.vips {
				ev.VIPs = append(ev.VIPs, netip.MustParsePrefix(v))
			}
			orig := append([]string(nil), tt.hook.Argv...)
			got := argvs(tt.hook, ev)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("argvs (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(orig, tt.hook.Argv); diff != "" {
				t.Errorf("configured argv changed (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEnviron(t *testing.T) {
	ev := event("web", fsm.Maintenance, Set{})
	ev.From, ev.Reason, ev.Protocol, ev.ID, ev.Priority = fsm.Master, fsm.ReasonAdminMaintenance, "carp", 7, 0
	want := []string{
		"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
		"VIPD_GROUP=web",
		"VIPD_STATE=maintenance",
		"VIPD_PREV_STATE=master",
		"VIPD_REASON=admin-maintenance",
		"VIPD_VIPS=192.0.2.10/24 2001:db8::10/64",
		"VIPD_INTERFACE=eth0",
		"VIPD_PROTOCOL=carp",
		"VIPD_ID=7",
		"VIPD_PRIORITY=0",
	}
	if diff := cmp.Diff(want, environ(ev)); diff != "" {
		t.Errorf("environ (-want +got):\n%s", diff)
	}
}
