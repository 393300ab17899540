//go:build e2e

package e2e

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/vipd/vipd/internal/lab"
	"github.com/vipd/vipd/internal/lab/labtest"
	"github.com/vipd/vipd/internal/linuxnet/nstest"
)

// TestDemo runs `vipd lab`'s demonstration (with the test profile) and
// checks that it tells the story: the master, each failure and takeover,
// each return, the summary, and that it removed everything.
func TestDemo(t *testing.T) {
	t.Parallel()
	nstest.Require(t)
	bin := labtest.Bin(t)
	ctx := labtest.Context(t, 3*time.Minute)
	var out bytes.Buffer
	profile := lab.DefaultProfile
	if os.Getenv("VIPD_DEMO_DEFAULT") != "1" {
		profile = e2eProfile
	}
	err := lab.Demo(ctx, lab.DemoOptions{VipdBin: bin, Profile: profile}, &out)
	t.Logf("vipd lab said:\n%s", out.String())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"host h1 is master, client reaches 192.0.2.100 via h1",
		"cutting h1's link…",
		"h2 took over after",
		"restoring h1's link…",
		"h1 took the VIP back",
		"stopping vipd on h1 with SIGTERM",
		"killing vipd on h1 with SIGKILL",
		"only h2 answers for 192.0.2.100",
		"| EVENT",
		"done: nothing of the lab is left",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the demonstration never said %q", want)
		}
	}
}
