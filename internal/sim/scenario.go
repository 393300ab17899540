package sim

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/vipd/vipd/internal/fsm"
)

// Scenario is a generated run: a segment, a script of disturbances, and how
// long to run, ending in a quiet tail long enough for every invariant.
type Scenario struct {
	// Config is the segment.
	Config Config
	// Script is the disturbances in time order.
	Script []Timed
	// End is when the run stops, as an offset from Epoch.
	End time.Duration
}

// Timed is an action at an offset from Epoch.
type Timed struct {
	At     time.Duration
	Action Action
}

// Run simulates the scenario and then checks that it ended settled on the
// preferred master (Sim.CheckSettled). The Sim is returned for its trace
// even when there is an error.
func (sc Scenario) Run() (*Sim, error) {
	s, err := New(sc.Config)
	if err != nil {
		return nil, err
	}
	for _, ta := range sc.Script {
		s.At(ta.At, ta.Action)
	}
	if err := s.RunUntil(sc.End); err != nil {
		return s, err
	}
	return s, s.CheckSettled()
}

// String describes the scenario: network, groups with every member's
// settings, boots and the script.
func (sc Scenario) String() string {
	var b strings.Builder
	c := sc.Config
	n := c.Network
	fmt.Fprintf(&b, "seed %d: %d hosts, delay %s + jitter %s, duplicate %.2f, VIP lifetime %s, end %s\n",
		c.Seed, len(c.Hosts), n.Delay, n.Jitter, n.Duplicate, c.VIPLifetime, sc.End)
	for gi, g := range c.Groups {
		bd := groupBounds(g.Members, n)
		fmt.Fprintf(&b, "g%d %s: D=%s I=%s H=%s R=%s P=%s W1=%s W2=%s\n", gi, policyString(g.Members[0].Config.Policy),
			fmtDur(bd.down), fmtDur(bd.interval), fmtDur(bd.handover), fmtDur(bd.resign), fmtDur(bd.preempt),
			fmtDur(bd.settle), fmtDur(bd.stable))
		for _, m := range g.Members {
			mc := m.Config
			fmt.Fprintf(&b, "  h%d boot %s: %s preempt=%t delay=%s handover=%s announce=%+v\n", m.Host,
				c.Hosts[m.Host].Boot, mc.Self, mc.Preempt, mc.PreemptDelay, mc.HandoverTimeout, mc.Announce)
		}
	}
	for _, ta := range sc.Script {
		fmt.Fprintf(&b, "%s > %s\n", fmtTime(ta.At), ta.Action)
	}
	return b.String()
}

func policyString(p fsm.Policy) string {
	switch p := p.(type) {
	case fsm.VRRP:
		return fmt.Sprintf("vrrp%d down-adverts=%d resign-skew-base=%s", p.Version, p.DownAdverts, p.ResignSkewBase)
	case fsm.CARP:
		return fmt.Sprintf("carp dead-ratio=%d resign-skew-base=%s", p.DeadRatio, p.ResignSkewBase)
	}
	return fmt.Sprintf("%T", p)
}

// chooser is where the generator's choices come from: a seeded RNG for the
// randomized test, the fuzzer's bytes for FuzzScenario.
type chooser interface {
	// IntN returns a choice in [0, n); n > 0.
	IntN(n int) int
}

// byteChooser reads choices from bytes; once they run out every choice is 0,
// so any input makes a valid scenario.
type byteChooser struct{ data []byte }

func (c *byteChooser) IntN(n int) int {
	v := 0
	for need := n - 1; need > 0; need >>= 8 {
		v <<= 8
		if len(c.data) > 0 {
			v |= int(c.data[0])
			c.data = c.data[1:]
		}
	}
	return v % n
}

func pick[T any](c chooser, xs ...T) T { return xs[c.IntN(len(xs))] }

// fraction returns d × i/8 for a random i in 0..8.
func fraction(c chooser, d time.Duration) time.Duration { return d * time.Duration(c.IntN(9)) / 8 }

// Generate returns the random scenario of a seed: 2–4 hosts in one or two
// groups of VRRPv3, VRRPv2 or CARP with random settings, a random script of
// disturbances, and a quiet tail.
func Generate(seed uint64) Scenario {
	return generate(rand.New(rand.NewPCG(seed, 0x5ce4a210)), seed, 4, 12)
}

// FromBytes turns fuzzer input into a scenario of 2–3 hosts and up to 16
// disturbances. Every input gives a valid scenario.
func FromBytes(data []byte) Scenario {
	c := &byteChooser{data: data}
	seed := uint64(c.IntN(1 << 16))
	return generate(c, seed, 3, 16)
}

// minMargin is the least slack a backup's master-down interval must have
// over the interval of a master whose adverts it accepts. With less, any
// delivery jitter makes the backup time out between two adverts: a flapping
// configuration by design (ip_carp.c's formula allows it with advbase 0 or
// mixed advbases), not something to simulate over and over.
const minMargin = 2 * time.Millisecond

// maxJitter caps the generated jitter.
const maxJitter = 25 * time.Millisecond

// generate builds a scenario from c's choices.
func generate(c chooser, seed uint64, maxHosts, maxOps int) Scenario {
	n := 2 + c.IntN(maxHosts-1)
	cfg := Config{Seed: seed}
	octets := make([]byte, 254)
	for i := range octets {
		octets[i] = byte(i + 1)
	}
	addrs := make([]netip.Addr, n)
	for i := range addrs {
		j := c.IntN(len(octets))
		addrs[i] = netip.AddrFrom4([4]byte{192, 0, 2, octets[j]})
		octets = slices.Delete(octets, j, j+1)
		cfg.Hosts = append(cfg.Hosts, Host{})
	}
	groups := 1 + c.IntN(4)/3 // one group in 3/4 of runs
	margin := maxJitter * 4
	for range groups {
		g, m := genGroup(c, addrs)
		cfg.Groups = append(cfg.Groups, g)
		margin = min(margin, m)
	}
	cfg.Network = Network{
		Delay:     time.Duration(c.IntN(3)) * time.Millisecond,
		Jitter:    fraction(c, min(maxJitter, margin/2)).Round(10 * time.Microsecond),
		Duplicate: pick(c, 0, 0, 0, 0.05),
	}

	var down, interval, stable, preempt time.Duration
	for _, g := range cfg.Groups {
		b := groupBounds(g.Members, cfg.Network)
		down, interval = max(down, b.down), max(interval, b.interval)
		stable, preempt = max(stable, b.stable), max(preempt, b.preempt)
	}
	if c.IntN(4) == 0 {
		cfg.VIPLifetime = fraction(c, down) + time.Millisecond
	}
	start := time.Duration(0)
	for i := range cfg.Hosts {
		if c.IntN(2) == 0 {
			cfg.Hosts[i].Boot = fraction(c, down)
			start = max(start, cfg.Hosts[i].Boot)
		}
	}

	gen := scriptGen{c: c, cfg: &cfg, interval: interval, stable: stable, quiet: preempt + stable, t: start}
	ops := c.IntN(maxOps + 1)
	for range ops {
		gen.op()
	}
	gen.sort()
	end := gen.last + preempt + 2*stable
	return Scenario{Config: cfg, Script: gen.script, End: end}
}

// genGroup draws one group's policy and members, redrawing timings that
// leave less than minMargin; it returns the group and its margin.
func genGroup(c chooser, addrs []netip.Addr) (Group, time.Duration) {
	for range 8 {
		g := drawGroup(c, addrs)
		if m := timingMargin(g.Members); m >= minMargin {
			return g, m
		}
	}
	// The choices keep coming out the same (a fuzzer's input ran out):
	// fall back to a plain VRRPv3 group.
	var g Group
	for i, a := range addrs {
		g.Members = append(g.Members, Member{Host: i, Config: fsm.Config{
			Policy: fsm.VRRP{Version: 3},
			Self:   fsm.Advert{From: a, Priority: uint8(100 + i), Interval: 100 * time.Millisecond},
		}})
	}
	return g, timingMargin(g.Members)
}

func drawGroup(c chooser, addrs []netip.Addr) Group {
	var g Group
	proto := c.IntN(10)
	resignBase := pick(c, 0, 0, time.Duration(1+c.IntN(20))*time.Millisecond)
	var (
		policy   fsm.Policy
		interval func(i int) time.Duration
	)
	switch {
	case proto < 5:
		policy = fsm.VRRP{Version: 3, DownAdverts: pick(c, 0, 0, 0, 2, 4), ResignSkewBase: resignBase}
		base := pick[time.Duration](c, 10, 20, 30, 50, 100, 250, 1000) * time.Millisecond
		interval = func(int) time.Duration { return base * pick[time.Duration](c, 1, 1, 2, 3) }
	case proto < 7:
		policy = fsm.VRRP{Version: 2, DownAdverts: pick(c, 0, 0, 0, 2, 4), ResignSkewBase: resignBase}
		// RFC 3768 §7.1: every router of the group has the same Adver Int.
		same := time.Duration(1+c.IntN(2)) * time.Second
		interval = func(int) time.Duration { return same }
	default:
		policy = fsm.CARP{DeadRatio: pick(c, 0, 0, 0, 2, 4), ResignSkewBase: resignBase}
		advbase := c.IntN(3)
		interval = func(int) time.Duration {
			base := advbase
			if c.IntN(4) == 0 {
				base = c.IntN(3)
			}
			skew := pick(c, 0, 0, 1, 10, 50, 100, 100, 200, 254)
			if base == 0 && skew == 0 {
				skew = 1 // ucarp refuses advbase 0 with advskew 0
			}
			return time.Duration(base)*time.Second + time.Duration(skew)*time.Second/256
		}
	}
	_, vrrp := policy.(fsm.VRRP)
	owner := -1
	if vrrp && c.IntN(8) == 0 {
		owner = c.IntN(len(addrs))
	}
	for i, a := range addrs {
		self := fsm.Advert{From: a, Interval: interval(i)}
		if vrrp {
			self.Priority = pick[uint8](c, 1, 50, 100, 100, 150, 200, 254)
			if i == owner {
				self.Priority = 255
			}
		}
		mc := fsm.Config{Policy: policy, Self: self, Preempt: c.IntN(4) != 0}
		if c.IntN(3) == 0 {
			mc.PreemptDelay = time.Duration(1+c.IntN(8)) * self.Interval
		}
		if c.IntN(2) == 0 {
			mc.Announce = fsm.AnnounceSchedule{
				Repeats: 1 + c.IntN(3),
				Spacing: time.Second + time.Duration(c.IntN(4))*250*time.Millisecond,
				Refresh: pick(c, 0, 0, 10*time.Second),
			}
		}
		if c.IntN(5) == 0 {
			mc.HandoverTimeout = time.Duration(1+c.IntN(4)) * self.Interval
		}
		g.Members = append(g.Members, Member{Host: i, Config: mc})
	}
	return g
}

// weights are the health weights the script may apply to a member.
func weights(mc fsm.Config) []int {
	if _, ok := mc.Policy.(fsm.CARP); ok {
		return []int{-100, -20, 20, 100} // advskew steps
	}
	return []int{-60, -20, 20, 60}
}

// timingMargin is the least slack, over every standing the script can give,
// of a backup's master-down interval over the interval of a master whose
// adverts it accepts (ones it treats as bound to time out do not count).
func timingMargin(members []Member) time.Duration {
	margin := time.Duration(1<<63 - 1)
	for _, b := range members {
		for _, m := range members {
			if b.Host == m.Host {
				continue
			}
			for _, bs := range weightedStandings(b.Config) {
				for _, ms := range weightedStandings(m.Config) {
					if d := b.Config.Policy.MasterDown(bs, ms); d >= ms.Interval {
						margin = min(margin, d-ms.Interval)
					}
				}
			}
		}
	}
	return margin
}

func weightedStandings(mc fsm.Config) []fsm.Advert {
	sts := []fsm.Advert{mc.Self}
	for _, w := range weights(mc) {
		sts = append(sts, mc.Policy.Weighted(mc.Self, w))
	}
	return sts
}

// scriptGen writes a scenario's script.
type scriptGen struct {
	c        chooser
	cfg      *Config
	interval time.Duration // the longest advert interval
	stable   time.Duration // the longest W2
	quiet    time.Duration // the longest preempt delay plus W2
	t        time.Duration // the cursor
	last     time.Duration // the latest scheduled action
	script   []Timed
}

func (g *scriptGen) at(t time.Duration, a Action) {
	g.script = append(g.script, Timed{At: t, Action: a})
	g.last = max(g.last, t)
}

// gap is a pause between disturbances: none, part of an interval, part of
// W2, or more than W2 so that the windows close in the middle of a script.
func (g *scriptGen) gap() time.Duration {
	switch g.c.IntN(4) {
	case 0:
		return 0
	case 1:
		return fraction(g.c, g.interval)
	case 2:
		return fraction(g.c, g.stable)
	}
	return g.stable + fraction(g.c, g.stable)
}

// later is how long a reversible disturbance lasts.
func (g *scriptGen) later() time.Duration {
	return g.interval/2 + fraction(g.c, 2*g.stable)
}

// op appends one disturbance (and its undoing, if any).
func (g *scriptGen) op() {
	c := g.c
	g.t += g.gap()
	hosts, groups := len(g.cfg.Hosts), len(g.cfg.Groups)
	h, gi := c.IntN(hosts), c.IntN(groups)
	master := MasterOf(gi)
	undo := c.IntN(5) != 0
	back := time.Duration(0)
	if undo {
		back = g.later()
	}
	switch c.IntN(13) {
	case 0:
		g.at(g.t, Crash{Host: master, For: back})
		g.last = max(g.last, g.t+back)
	case 1:
		g.at(g.t, Crash{Host: h, For: back})
		g.last = max(g.last, g.t+back)
	case 2:
		g.at(g.t, Restart{Host: h})
	case 3:
		g.at(g.t, SetLink{Host: h})
		if undo {
			g.at(g.t+back, SetLink{Host: h, Up: true})
		}
	case 4:
		g.at(g.t, SetHealth{Host: h, Group: gi, Fault: true})
		if undo {
			g.at(g.t+back, SetHealth{Host: h, Group: gi})
		}
	case 5:
		mc := g.cfg.Groups[gi].Members[h].Config
		g.at(g.t, SetHealth{Host: h, Group: gi, Weight: pick(c, weights(mc)...)})
	case 6:
		g.at(g.t, Admin{Host: h, Group: gi, Command: fsm.CommandMaintenance})
		if undo {
			g.at(g.t+back, Admin{Host: h, Group: gi, Command: fsm.CommandRecover})
		}
	case 7:
		g.at(g.t, Admin{Host: master, Group: gi, Command: fsm.CommandSwitchover})
	case 8:
		g.at(g.t, Shutdown{Host: master, For: back})
		g.last = max(g.last, g.t+back)
	case 9:
		g.isolated(Partition{Sides: g.sides()}, Heal{})
	case 10:
		g.isolated(SetLoss{Rate: pick(c, 0.05, 0.2, 0.2, 0.3)}, SetLoss{})
	case 11:
		g.at(g.t, Admin{Host: master, Group: gi, Command: fsm.CommandReclaim})
	case 12:
		g.at(g.t, Admin{Host: h, Group: gi, Command: fsm.CommandRecover})
	}
}

// isolated schedules a network disturbance and its end. Half the time
// nothing else happens from a settling time before it to a settling time
// after its end, so that the convergence and lossy-bound checks (which
// need that) get to judge.
func (g *scriptGen) isolated(start, end Action) {
	alone := g.c.IntN(2) == 0
	if alone {
		g.t += g.quiet
	}
	g.at(g.t, start)
	stop := g.t + g.later()
	g.at(stop, end)
	if alone {
		g.t = stop + g.quiet
	}
}

// sides splits the hosts in two non-empty sides.
func (g *scriptGen) sides() [][]int {
	n := len(g.cfg.Hosts)
	mask := 1 + g.c.IntN(1<<n-2) // neither empty nor everyone
	var a []int
	for i := range n {
		if mask&(1<<i) != 0 {
			a = append(a, i)
		}
	}
	return [][]int{a}
}

// sort puts the script in time order, keeping the order of equal times.
func (g *scriptGen) sort() {
	slices.SortStableFunc(g.script, func(a, b Timed) int { return cmp.Compare(a.At, b.At) })
}
