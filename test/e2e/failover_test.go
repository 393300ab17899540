//go:build e2e

package e2e

import (
	"net/netip"
	"syscall"
	"testing"
	"time"

	"github.com/vipd/vipd/internal/lab"
	"github.com/vipd/vipd/internal/lab/labtest"
)

// loose is the outage a client may see in a test where a backup must wait
// for the master-down interval (about 340 ms with the test profile): ten
// times that, so that only a takeover that does not happen fails, never a
// slow machine.
const loose = 4 * time.Second

func TestLinkCut(t *testing.T) {
	t.Parallel()
	ctx := labtest.Context(t, 2*time.Minute)
	l := labtest.StartLab(t, ctx, lab.Options{})
	h1, h2 := l.Host("h1"), l.Host("h2")
	r, err := lab.LinkCut(ctx, l, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(r)
	if r.To != "h2" {
		t.Errorf("after h1's link was cut, %s answers; want h2 (the next priority)", r.To)
	}
	if r.Downtime > loose {
		t.Errorf("client-observed downtime %s, want under %s", lab.FormatDuration(r.Downtime), loose)
	}
	labtest.WaitState(t, ctx, h2, "lab", "master")
	// LinkCut restored h1's link: h1 is preferred and preempts.
	labtest.SoleAnswerer(t, ctx, l, 0, h1)
	labtest.WaitState(t, ctx, h2, "lab", "backup")
}

func TestKill9(t *testing.T) {
	t.Parallel()
	ctx := labtest.Context(t, 2*time.Minute)
	l := labtest.StartLab(t, ctx, lab.Options{})
	h1, h2 := l.Host("h1"), l.Host("h2")
	if err := h1.KillDaemon(); err != nil {
		t.Fatal(err)
	}
	// The dead daemon's VIP must not stay on h1 once h2 has taken over:
	// its kernel lifetime runs out with nobody to renew it.
	labtest.SoleAnswerer(t, ctx, l, 0, h2)
	if h1.HoldsVIP(0) {
		t.Error("h1's kernel still holds the VIP after h2 took over")
	}
	labtest.WaitState(t, ctx, h2, "lab", "master")
	// A restarted daemon finds no stale VIP and takes its place back.
	if err := h1.WaitDaemon(ctx); err != nil {
		t.Fatal(err)
	}
	if err := h1.StartDaemon(ctx); err != nil {
		t.Fatal(err)
	}
	labtest.SoleAnswerer(t, ctx, l, 0, h1)
}

func TestSIGTERMHandsOver(t *testing.T) {
	t.Parallel()
	ctx := labtest.Context(t, 2*time.Minute)
	l := labtest.StartLab(t, ctx, lab.Options{})
	h1, h2 := l.Host("h1"), l.Host("h2")
	before := labtest.GroupStatus(t, ctx, h2, "lab").Counters.Transitions["master-down"]
	r, err := l.Change(ctx, 0, "sigterm", h1, h1.TerminateDaemon, func(h *lab.Host) bool { return h != h1 })
	if err != nil {
		t.Fatal(err)
	}
	t.Log(r)
	if r.To != "h2" {
		t.Errorf("after SIGTERM on h1, %s answers; want h2", r.To)
	}
	if err := h1.WaitDaemon(ctx); err != nil {
		t.Fatal(err)
	}
	if code := h1.Daemons()[0].ExitCode(); code != 0 {
		t.Errorf("vipd on h1 exited with %d after SIGTERM, want 0", code)
	}
	if h1.HoldsVIP(0) {
		t.Error("h1 still holds the VIP after a graceful stop")
	}
	// A hand-over, not a timeout: h2 took over because h1 resigned.
	g := labtest.GroupStatus(t, ctx, h2, "lab")
	if g.State != "master" {
		t.Errorf("h2 is %s, want master", g.State)
	}
	if n := g.Counters.Transitions["master-down"]; n != before {
		t.Errorf("h2 took over by master-down timeout (%d -> %d), want by h1's resignation; transitions %v", before, n, g.Counters.Transitions)
	}
	labtest.SoleAnswerer(t, ctx, l, 0, h2)
}

func TestFailbackWithPreempt(t *testing.T) {
	t.Parallel()
	ctx := labtest.Context(t, 2*time.Minute)
	l := labtest.StartLab(t, ctx, lab.Options{})
	r, err := lab.Failback(ctx, l, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(r)
	if r.From != "h2" || r.To != "h1" {
		t.Errorf("failback went %s -> %s, want h2 -> h1", r.From, r.To)
	}
	labtest.SoleAnswerer(t, ctx, l, 0, l.Host("h1"))
	labtest.WaitState(t, ctx, l.Host("h2"), "lab", "backup")
}

func TestFailbackWithoutPreempt(t *testing.T) {
	t.Parallel()
	ctx := labtest.Context(t, 2*time.Minute)
	l := labtest.NewLab(t, lab.Options{Groups: []lab.Group{{Name: "lab", ID: 10, VIP: lab.VIP4, NoPreempt: true}}})
	h1, h2 := l.Host("h1"), l.Host("h2")
	// Without preemption whoever is master first stays master, so h1
	// starts alone and the others join once it leads.
	if err := h1.StartDaemon(ctx); err != nil {
		t.Fatal(err)
	}
	waitControl(t, ctx, h1) // StartDaemon does not wait for the control socket
	labtest.WaitState(t, ctx, h1, "lab", "master")
	for _, h := range l.Hosts()[1:] {
		if err := h.StartDaemon(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := l.Ready(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Change(ctx, 0, "cut", h1, h1.CutLink, func(h *lab.Host) bool { return h != h1 }); err != nil {
		t.Fatal(err)
	}
	labtest.SoleAnswerer(t, ctx, l, 0, h2)
	if err := h1.RestoreLink(); err != nil {
		t.Fatal(err)
	}
	labtest.WaitState(t, ctx, h1, "lab", "backup")
	// h1 is back and hears h2; without preemption it must stay backup.
	// Ten master-down intervals of nothing happening show it does.
	quiet := 10 * (3*e2eProfile.Interval + e2eProfile.Interval)
	restored := time.Now()
	timer := time.NewTimer(quiet)
	select {
	case <-ctx.Done():
		t.Fatal(ctx.Err())
	case <-timer.C:
	}
	if ev := l.VIPEvents(0, restored, time.Now()); len(ev) != 0 {
		t.Errorf("the VIP moved after h1 returned without preemption: %+v", ev)
	}
	labtest.SoleAnswerer(t, ctx, l, 0, h2)
	if g := labtest.GroupStatus(t, ctx, h1, "lab"); g.State != "backup" {
		t.Errorf("h1 is %s, want backup", g.State)
	}
}

// TestActiveActive runs the seeds' Pinky and Brain: two groups on two
// hosts, each host preferred for one and backing up the other.
func TestActiveActive(t *testing.T) {
	t.Parallel()
	ctx := labtest.Context(t, 2*time.Minute)
	vip2 := netip.MustParsePrefix("192.0.2.101/24")
	l := labtest.StartLab(t, ctx, lab.Options{Hosts: 2, Groups: []lab.Group{
		{Name: "pinky", ID: 10, VIP: lab.VIP4, Order: []int{0, 1}},
		{Name: "brain", ID: 11, VIP: vip2, Order: []int{1, 0}},
	}})
	h1, h2 := l.Host("h1"), l.Host("h2")
	labtest.SoleAnswerer(t, ctx, l, 0, h1)
	labtest.SoleAnswerer(t, ctx, l, 1, h2)
	labtest.WaitState(t, ctx, h1, "brain", "backup")
	labtest.WaitState(t, ctx, h2, "pinky", "backup")

	// h1 fails: h2 serves both.
	if err := h1.CutLink(); err != nil {
		t.Fatal(err)
	}
	labtest.SoleAnswerer(t, ctx, l, 0, h2)
	labtest.SoleAnswerer(t, ctx, l, 1, h2)
	// h1 returns: each host serves its own again.
	if err := h1.RestoreLink(); err != nil {
		t.Fatal(err)
	}
	labtest.SoleAnswerer(t, ctx, l, 0, h1)
	labtest.SoleAnswerer(t, ctx, l, 1, h2)
}

func TestIPv6VIP(t *testing.T) {
	t.Parallel()
	ctx := labtest.Context(t, 2*time.Minute)
	l := labtest.StartLab(t, ctx, lab.Options{IPv6: true})
	r, err := lab.LinkCut(ctx, l, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(r)
	if r.To != "h2" {
		t.Errorf("after h1's link was cut, %s answers for %s; want h2", r.To, lab.VIP6)
	}
	if r.Downtime > loose {
		t.Errorf("client-observed downtime %s, want under %s", lab.FormatDuration(r.Downtime), loose)
	}
	labtest.SoleAnswerer(t, ctx, l, 0, l.Host("h1"))
}

func TestUnicastPeers(t *testing.T) {
	t.Parallel()
	ctx := labtest.Context(t, 2*time.Minute)
	l := labtest.StartLab(t, ctx, lab.Options{Unicast: true})
	// The client sees the whole segment (the bridge floods multicast to
	// every port): with unicast peers no advert goes to the group.
	counts := captureAdverts(t, l.Client(), time.Second)
	if counts.multicast != 0 {
		t.Errorf("the client saw %d adverts to 224.0.0.18; unicast peers should send none", counts.multicast)
	}
	if h1 := labtest.GroupStatus(t, ctx, l.Host("h2"), "lab"); h1.Counters.AdvertsReceived == 0 {
		t.Error("h2 has received no adverts from h1")
	}
	r, err := lab.LinkCut(ctx, l, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(r)
	if r.To != "h2" {
		t.Errorf("after h1's link was cut, %s answers; want h2", r.To)
	}
	labtest.SoleAnswerer(t, ctx, l, 0, l.Host("h1"))
}

// TestStalledBackupDoesNotTakeOver: the backup's daemon stops for twice
// the master-down interval (SIGSTOP: an overloaded host, a paused VM)
// while the master keeps advertising. When it runs again, its timer has
// expired and the master's adverts wait unread in its socket; it must read
// them and stay backup, not take the VIP from a master that never went
// away.
func TestStalledBackupDoesNotTakeOver(t *testing.T) {
	t.Parallel()
	ctx := labtest.Context(t, 2*time.Minute)
	l := labtest.StartLab(t, ctx, lab.Options{Hosts: 2})
	h2 := l.Host("h2")
	start := time.Now()
	stall := 2 * (3*e2eProfile.Interval + e2eProfile.Interval)
	for range 5 {
		p := h2.Daemons()[0]
		if err := p.Signal(syscall.SIGSTOP); err != nil {
			t.Fatal(err)
		}
		labtest.Sleep(t, ctx, stall)
		if err := p.Signal(syscall.SIGCONT); err != nil {
			t.Fatal(err)
		}
		labtest.Sleep(t, ctx, 2*e2eProfile.Interval)
	}
	labtest.Sleep(t, ctx, time.Second)
	for _, e := range l.VIPEvents(0, start, time.Now()) {
		if e.Host == h2.Index && e.Held {
			t.Errorf("h2 took the VIP %s after the first stall began, from a master that kept advertising", e.At.Sub(start))
		}
	}
	labtest.WaitState(t, ctx, h2, "lab", "backup")
}
