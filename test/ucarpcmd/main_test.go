//go:build e2e

// Package ucarpcmd checks that `vipd ucarp` is a drop-in for ucarp 1.5.2:
// the same command lines run under the real ucarp and under vipd ucarp on
// a lab network (internal/lab), with up and down scripts that log how they
// were called and add and remove the address as ucarp users' scripts do,
// and what the scripts were called with, when, and which host the client
// reaches must come out the same. A mixed cluster (ucarp on one host, vipd
// ucarp on the other) must elect one master and behave the same way too.
//
// The tests need root (or unshare -rn) and ucarp; without them they skip
// with the reason, or fail when VIPD_REQUIRE_NETNS=1. Time bounds are
// loose: they only catch a run that does not converge.
package ucarpcmd

import (
	"testing"
	"time"

	"github.com/vipd/vipd/internal/lab/labtest"
)

// TestMain builds vipd once for all tests, unless VIPD_BIN names a binary
// to test instead.
func TestMain(m *testing.M) {
	labtest.Main(m, labtest.Config{Wait: waitFor})
}

// waitFor bounds every wait in these tests: loose, it only catches a run
// that does not converge. ucarp looks at a link that came back only every
// 10 s, and takes over after advbase × deadratio + advskew/256 s.
const waitFor = 30 * time.Second
