//go:build linux

package nstest

import "testing"

func TestOwnerPID(t *testing.T) {
	for _, tc := range []struct {
		name string
		pid  int
		ok   bool
	}{
		{"vipdt-4242-3", 4242, true},
		{"vipdt-4242-3-extra", 4242, true},
		{"vipdt-4242", 0, false},
		{"vipdt-x-1", 0, false},
		{"vipdt--1", 0, false},
		{"vipd-lab-a", 0, false},
		{"other-4242-1", 0, false},
	} {
		pid, ok := ownerPID(tc.name)
		if ok != tc.ok || (ok && pid != tc.pid) {
			t.Errorf("ownerPID(%q) = %d, %v; want %d, %v", tc.name, pid, ok, tc.pid, tc.ok)
		}
	}
}

// TestRequireSkipsWithReason runs the privilege check: as root it passes;
// without privileges the test is skipped with the reason (or fails under
// VIPD_REQUIRE_NETNS=1), which is what this test then reports.
func TestRequireSkipsWithReason(t *testing.T) {
	Require(t)
	t.Log("network namespaces can be created here")
}
