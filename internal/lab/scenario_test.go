package lab

import (
	"strings"
	"testing"
)

func TestParseScenarioNamesEveryScenario(t *testing.T) {
	for _, s := range Scenarios {
		got, err := ParseScenario(s.String())
		if err != nil || got != s {
			t.Errorf("ParseScenario(%q) = %v, %v", s.String(), got, err)
		}
	}
	_, err := ParseScenario("reboot")
	if err == nil || !strings.Contains(err.Error(), "switchover") {
		t.Errorf("ParseScenario(reboot) = %v, want an error listing the scenarios", err)
	}
}

// TestSwitchoverIsVipdOnly: keepalived and ucarp have no switchover
// command, so the bench skips that row for them instead of failing it.
func TestSwitchoverIsVipdOnly(t *testing.T) {
	for _, impl := range Impls {
		why := SwitchoverScenario.supports(impl)
		if (why == "") != (impl == Vipd) {
			t.Errorf("switchover supports %s: %q", impl, why)
		}
		if why := LinkCutScenario.supports(impl); why != "" {
			t.Errorf("link-cut does not support %s: %q", impl, why)
		}
	}
}
