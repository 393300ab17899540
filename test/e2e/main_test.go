//go:build e2e

// Package e2e tests the real vipd binary on a real (namespaced) network:
// every test builds its own lab (internal/lab) of vipd hosts on a bridge
// and a client that probes the VIP every 2 ms, breaks something, and
// checks who answers for the VIP, what the daemons report, and that no
// two hosts answer at once. The helpers they share with the other
// end-to-end packages are in internal/lab/labtest.
//
// The tests need root, or an unprivileged user namespace (unshare -rn);
// without either they skip with the reason, or fail when
// VIPD_REQUIRE_NETNS=1. Assertions are about behaviour; timing is the
// benchmark's business (vipd lab bench), so time bounds here are loose.
package e2e

import (
	"testing"
	"time"

	"github.com/vipd/vipd/internal/lab"
	"github.com/vipd/vipd/internal/lab/labtest"
)

// TestMain builds vipd once for all tests, unless VIPD_BIN names a binary
// to test instead (for runs where the go tool is not usable, such as an
// unprivileged user under unshare -rn).
func TestMain(m *testing.M) {
	labtest.Main(m, labtest.Config{Wait: waitFor, Profile: e2eProfile})
}

// e2eProfile is quick enough for tests and slow enough for a loaded
// machine running several labs at once: VRRPv3 adverts every 100 ms, a
// backup waits three, VIPs live 1 s unless renewed.
var e2eProfile = lab.Profile{Name: "e2e", Interval: 100 * time.Millisecond, DownAdverts: 3, AddressLifetime: time.Second}

// waitFor bounds every wait for an election in these tests: loose, it
// only catches a lab that does not converge.
const waitFor = 30 * time.Second

// bothFamilies runs f as parallel subtests "ipv4" and "ipv6", with ipv6
// saying which one it is.
func bothFamilies(t *testing.T, f func(t *testing.T, ipv6 bool)) {
	for _, family := range []struct {
		name string
		ipv6 bool
	}{{"ipv4", false}, {"ipv6", true}} {
		t.Run(family.name, func(t *testing.T) {
			t.Parallel()
			f(t, family.ipv6)
		})
	}
}
