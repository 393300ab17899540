package hooks

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vipd/vipd/internal/fsm"
)

func TestKindsPerState(t *testing.T) {
	all := Set{
		OnMaster: Hook{Argv: []string{"m"}}, OnBackup: Hook{Argv: []string{"b"}},
		OnFault: Hook{Argv: []string{"f"}}, OnStop: Hook{Argv: []string{"s"}},
		OnChange: Hook{Argv: []string{"c"}},
	}
	tests := []struct {
		name string
		to   fsm.State
		set  Set
		want []Kind
	}{
		{"master", fsm.Master, all, []Kind{OnMaster, OnChange}},
		{"backup", fsm.Backup, all, []Kind{OnBackup, OnChange}},
		// Maintenance is a planned step-down without VIPs: on_backup.
		{"maintenance runs on_backup", fsm.Maintenance, all, []Kind{OnBackup, OnChange}},
		{"fault", fsm.Fault, all, []Kind{OnFault, OnChange}},
		{"stopped", fsm.Stopped, all, []Kind{OnStop, OnChange}},
		{"init has only on_change", fsm.Init, all, []Kind{OnChange}},
		{"unconfigured state hook", fsm.Master, Set{OnChange: all.OnChange}, []Kind{OnChange}},
		{"nothing configured", fsm.Master, Set{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := event("g", tt.to, tt.set).kinds()
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("kinds (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseMode(t *testing.T) {
	for _, m := range []Mode{ModeArgv, ModeUcarp, ModeKeepalived} {
		got, err := ParseMode(m.String())
		if err != nil || got != m {
			t.Errorf("ParseMode(%q) = %v, %v; want %v", m.String(), got, err, m)
		}
	}
	if got, err := ParseMode(""); err != nil || got != ModeArgv {
		t.Errorf(`ParseMode("") = %v, %v; want argv`, got, err)
	}
	if _, err := ParseMode("shell"); err == nil {
		t.Error(`ParseMode("shell") succeeded`)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		hook Hook
		ok   bool
	}{
		{"unset", Hook{}, true},
		{"absolute", Hook{Argv: []string{"/usr/local/bin/up", "x"}}, true},
		{"bare name", Hook{Argv: []string{"logger", "-t", "vipd"}}, true},
		{"relative path", Hook{Argv: []string{"./up.sh"}}, false},
		{"empty program", Hook{Argv: []string{""}}, false},
		{"bad mode", Hook{Argv: []string{"/bin/true"}, Mode: 9}, false},
		{"negative timeout", Hook{Argv: []string{"/bin/true"}, Timeout: -1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.hook.Validate()
			if (err == nil) != tt.ok {
				t.Errorf("Validate() = %v, want ok=%v", err, tt.ok)
			}
			serr := Set{OnFault: tt.hook}.Validate()
			if (serr == nil) != tt.ok {
				t.Errorf("Set.Validate() = %v, want ok=%v", serr, tt.ok)
			}
		})
	}
}
