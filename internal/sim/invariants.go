package sim

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/vipd/vipd/internal/fsm"
)

// Checks is a set of invariants, for Config.Skip.
//
// # Disturbances and windows
//
// A disturbance is a scripted Action at the time it runs, including the
// hosts' boots. Crash, Restart, Shutdown and SetLink disturb every group of
// the host; SetHealth and Admin disturb their group (together: member
// disturbances). Partition, Heal and SetLoss disturb the network. Nothing
// else is: timeouts, adverts, their jitter, duplication and loss draws, and
// the expiry of a crashed host's VIPs are the system settling.
//
// A group's segment is connected when no partition is in force and the loss
// rate is 0. Its quiet point is the later of its last member disturbance
// plus P (the longest preempt delay: a host that rejoins the election only
// preempts after it) and the last network disturbance. With the group's
// bounds (bounds.go: D the longest master-down interval, R the longest wait
// after a resign, I the longest advert interval, H the longest hand-over, δ
// the longest delivery delay, each at the worst standing a health weight can
// give), a window of length W is open strictly more than W after the quiet
// point:
//
//	W1 = max(D, I, R) + 2δ
//	     every wait that can end in a takeover or a step-down is one of
//	     these, started by an advert that may have been in flight at the
//	     disturbance (δ): a backup's master-down timer (D, from the last
//	     advert it accepted); two masters after a heal or the end of loss
//	     hearing each other's next advert (I), the lesser stepping down at
//	     once; a backup's wait after a resign (R). Two members that took
//	     over together hear each other's first advert δ later.
//	W4 = max(D, I) + 2δ
//	     the same without a resign: one master-down interval plus delays
//	W2 = max(H + R + 2D + 2I + 4δ, W1)
//	     generous: a hand-over that finds no successor (H), a master-down
//	     wait, then one preemption round
//
// With jitter (Network.Jitter > 0) W1 and W4 are doubled: one more round.
// An advert that a master sent just before a better one took over can
// arrive after the new master's, and a VRRPv3 backup without preemption
// accepts it (RFC 5798 §6.4.2) and learns its sender's interval; if that
// is shorter, the backup times out before the new master's next advert and
// claims mastership once more, up to D after the first round (seed 27211 of
// TestRandom: at 0.3236 s, W1 = 0.3006 s for one round).
//
// # The invariants
//
//  1. CheckSingleMaster: while connected and more than W1 after the quiet
//     point, at most one member is Master (a master handing over counts).
//  2. CheckPreferred: while connected and more than W2 after the quiet point,
//     if any member is eligible (running, in Backup or Master) exactly one
//     is Master, it is not handing over, and no eligible member with
//     preemption on (and not switched away from mastership, see
//     fsm.CommandSwitchover) outranks it on standing (Policy.Outranks with
//     both weighted standings, the address tie-break left out: ties never
//     preempt). With preemption on everywhere and no ties this is "the best
//     healthy host is master".
//  3. CheckQuiet: while connected and more than W2 after the quiet point, no
//     member changes state.
//  4. CheckConverge: W4 after a Heal, or after SetLoss ends a lossy period,
//     exactly one member is Master if any is eligible (none otherwise) —
//     checked when the network stayed connected and undisturbed over those
//     W4 and every member disturbance was at least P + W2 before the heal.
//  5. CheckMaintenance: a member in Maintenance holds no VIPs; no member
//     becomes Master while its maintenance flag is set; a Master with the
//     flag set is handing over (make-before-break into Maintenance).
//  6. CheckVIPs: a running member holds the VIPs exactly when it is Master
//     (a master handing over is still Master and still holds them); a
//     Stopped or crashed member's machine holds none; VIPs are never
//     acquired twice or released when not held. (A crashed daemon's VIPs
//     stay on the interface until Config.VIPLifetime ends; Holders shows
//     them, this invariant is about the machine.)
//  7. CheckSilent: only a member that is Master before or after a Step
//     sends adverts, and never with its link down.
//  8. CheckLossy: over a lossy period and W4 after it, the number of
//     takeovers (transitions to Master) stays within a bound derived from
//     the chance of missing enough adverts in a row (lossyBound), when no
//     member disturbance happened within P + W2 before or during it.
//  9. CheckHandover: make-before-break. When a Master that is not handing
//     over is shut down, switched over or put in maintenance, on a
//     connected segment at least W2 past its quiet point (as it was before
//     this action), with an eligible backup in reach, and with less
//     jitter than the time since its last advert (so the resign cannot
//     overtake it), no instant within W1 has nobody holding the VIPs —
//     unless another disturbance came in between, or the member's explicit
//     HandoverTimeout is shorter than the backups' resign wait plus two
//     delivery delays. The default timeout must always do.
//
// Windows 1–4 need the loss rate to be 0: under loss a backup that misses
// enough adverts takes over by design, so invariant 8 bounds that instead.
type Checks uint16

// The invariants; see Checks.
const (
	CheckSingleMaster Checks = 1 << iota
	CheckPreferred
	CheckQuiet
	CheckConverge
	CheckMaintenance
	CheckVIPs
	CheckSilent
	CheckLossy
	CheckHandover

	// AllChecks is every invariant.
	AllChecks = CheckSingleMaster | CheckPreferred | CheckQuiet | CheckConverge |
		CheckMaintenance | CheckVIPs | CheckSilent | CheckLossy | CheckHandover
)

// Violation is a broken invariant. Its message names the seed, so that a
// failing randomized run can be replayed.
type Violation struct {
	// Seed is the simulator's seed.
	Seed uint64
	// At is the virtual time of the violation, as an offset from Epoch.
	At time.Duration
	// Group is the group's name; empty for a violation of the whole run.
	Group string
	// Invariant is a short name: single-master, preferred, quiet,
	// converge, maintenance, vips, silent, lossy, handover, settled,
	// livelock or config.
	Invariant string
	// Err describes what was seen.
	Err error
}

// Error renders the violation on one line, seed first.
func (v *Violation) Error() string {
	where := ""
	if v.Group != "" {
		where = " group " + v.Group
	}
	return fmt.Sprintf("sim: seed %d: t=%s%s: invariant %s: %v", v.Seed, strings.TrimSpace(fmtTime(v.At)), where, v.Invariant, v.Err)
}

// Unwrap returns the description.
func (v *Violation) Unwrap() error { return v.Err }

// on reports whether an invariant is checked.
func (s *Sim) on(c Checks) bool { return s.cfg.Skip&c == 0 }

// connected reports whether the segment has no partition and no loss.
func (s *Sim) connected() bool { return !s.partitioned && s.net.Loss == 0 }

// quietPoint is when the group's conditions last changed, in the sense of
// the windows above.
func (s *Sim) quietPoint(g *group) time.Time {
	q := g.lastHost.Add(g.b.preempt)
	if s.lastNet.After(q) {
		q = s.lastNet
	}
	return q
}

// settledFor reports whether the group is connected and more than w past
// its quiet point. (At exactly w two backups may have taken over at the
// same instant and not yet processed each other's adverts.)
func (s *Sim) settledFor(g *group, w time.Duration) bool {
	return s.connected() && s.now.After(s.quietPoint(g).Add(w))
}

// checkAll runs the invariants that hold between events, stopping at the
// first violation.
func (s *Sim) checkAll() {
	for _, g := range s.groups {
		for _, c := range groupChecks {
			if !s.on(c.check) {
				continue
			}
			if err := c.fn(s, g); err != nil {
				s.fail(g, c.name, "%w", err)
				return
			}
		}
	}
}

// groupChecks are the invariants checked after every event.
var groupChecks = [...]struct {
	check Checks
	name  string
	fn    func(*Sim, *group) error
}{
	{CheckSingleMaster, "single-master", (*Sim).checkSingleMaster},
	{CheckPreferred, "preferred", (*Sim).checkPreferred},
	{CheckMaintenance, "maintenance", (*Sim).checkMaintenance},
	{CheckVIPs, "vips", (*Sim).checkVIPs},
}

// checkSingleMaster is invariant 1.
func (s *Sim) checkSingleMaster(g *group) error {
	if !s.settledFor(g, g.b.settle) || s.countMasters(g) <= 1 {
		return nil
	}
	ms := s.masters(g)
	return fmt.Errorf("%d masters %v on a connected segment %s after the quiet point (W1=%s)",
		len(ms), ms, fmtDur(s.now.Sub(s.quietPoint(g))), fmtDur(g.b.settle))
}

// checkPreferred is invariant 2.
func (s *Sim) checkPreferred(g *group) error {
	if !s.settledFor(g, g.b.stable) {
		return nil
	}
	return s.preferredMaster(g)
}

// preferredMaster checks that the group has exactly one master (if any
// member is eligible), that it is not handing over, and that no eligible
// member with preemption on outranks it.
func (s *Sim) preferredMaster(g *group) error {
	var master *member
	eligible := 0
	for _, m := range g.members {
		if !m.eligible() {
			continue
		}
		eligible++
		if m.isMaster() {
			if master != nil {
				return fmt.Errorf("two masters %s and %s", master.name(), m.name())
			}
			master = m
		}
	}
	switch {
	case eligible == 0:
		return nil
	case master == nil:
		return fmt.Errorf("no master although %d members are eligible", eligible)
	}
	ms := master.m.Status()
	if ms.HandingOver {
		return fmt.Errorf("master %s is still handing over", master.name())
	}
	for _, c := range g.members {
		if c == master || !c.eligible() || !c.cfg.Preempt || c.yielded {
			continue
		}
		cs := c.m.Status().Self
		if outranksOnStanding(c.cfg.Policy, cs, ms.Self) {
			return fmt.Errorf("master %s (%s) but %s (%s) has preemption on and outranks it",
				master.name(), ms.Self, c.name(), cs)
		}
	}
	return nil
}

// outranksOnStanding reports whether a outranks b on standing alone:
// Policy.Outranks with b's address replaced by a's, so that the address
// tie-break does not count (ties never preempt). It derives preemption from
// Outranks rather than asking Policy.Preempts, so the two are checked
// against each other.
func outranksOnStanding(p fsm.Policy, a, b fsm.Advert) bool {
	b.From = a.From
	return p.Outranks(a, b)
}

// checkMaintenance is invariant 5 between events.
func (s *Sim) checkMaintenance(g *group) error {
	for _, m := range g.members {
		if !m.live() {
			continue
		}
		st := m.m.Status()
		switch {
		case st.State == fsm.Maintenance && m.holds:
			return fmt.Errorf("%s is in maintenance and holds the VIPs", m.name())
		case st.State == fsm.Master && st.Maintenance && !st.HandingOver:
			return fmt.Errorf("%s is master with the maintenance flag set and not handing over", m.name())
		}
	}
	return nil
}

// checkVIPs is invariant 6 between events.
func (s *Sim) checkVIPs(g *group) error {
	for _, m := range g.members {
		master := m.isMaster()
		switch {
		case !m.live() && m.holds:
			return fmt.Errorf("%s is down and its machine holds the VIPs", m.name())
		case master && !m.holds:
			return fmt.Errorf("%s is master and does not hold the VIPs", m.name())
		case !master && m.holds:
			return fmt.Errorf("%s is %s and holds the VIPs", m.name(), m.state())
		}
	}
	return nil
}

// checkTransition runs the invariants judged at a transition: 3 and 5.
func (s *Sim) checkTransition(m *member, t fsm.Transition) {
	g := m.group
	if s.on(CheckQuiet) && s.settledFor(g, g.b.stable) {
		s.fail(g, "quiet", "%s changed %s->%s (%s) %s after the quiet point (W2=%s) on a connected segment",
			m.name(), t.From, t.To, t.Reason, fmtDur(s.now.Sub(s.quietPoint(g))), fmtDur(g.b.stable))
	}
	if s.on(CheckMaintenance) && t.To == fsm.Master && m.m.Status().Maintenance {
		s.fail(g, "maintenance", "%s became master (%s) with the maintenance flag set", m.name(), t.Reason)
	}
}

// checkSilent is invariant 7, judged at every SendAdvert.
func (s *Sim) checkSilent(m *member, before fsm.State, a fsm.Advert) {
	if !s.on(CheckSilent) {
		return
	}
	switch {
	case before != fsm.Master && m.m.State() != fsm.Master:
		s.fail(m.group, "silent", "%s sent an advert (%s) going %s->%s", m.name(), a, before, m.m.State())
	case !m.host.link:
		s.fail(m.group, "silent", "%s sent an advert (%s) with its link down", m.name(), a)
	}
}

// watchHandover starts invariant 9's watch when m, a Master, is about to
// be shut down, switched over or put in maintenance. Call it after the
// action marked its disturbance and before the machine steps.
func (s *Sim) watchHandover(m *member) {
	g := m.group
	if !s.on(CheckHandover) || !m.isMaster() || m.m.Status().HandingOver || !s.connected() {
		return
	}
	if s.net.Jitter >= s.now.Sub(m.lastSent) {
		return // the resign might overtake the previous advert
	}
	// The group must have settled before this action, the only one at
	// this instant: adverts of a master that has since stepped down may be
	// in flight, and a hand-over ends on any advert it hears.
	quiet := g.prevHost.Add(g.b.preempt)
	if s.lastNet.After(quiet) {
		quiet = s.lastNet
	}
	if g.sameInstant != 1 || s.now.Before(quiet.Add(g.b.stable)) {
		return
	}
	resign := m.m.Status().Self
	resign.Priority, resign.Resign = 0, true
	successor := false
	var wait time.Duration
	for _, b := range g.members {
		if b != m && b.eligible() && m.host.link && s.reaches(m.host, b.host) {
			successor = true
			wait = max(wait, b.cfg.Policy.ResignWait(b.m.Status().Self, resign))
		}
	}
	if ho := m.cfg.HandoverTimeout; !successor || (ho > 0 && ho < wait+2*s.net.maxDelay()) {
		return
	}
	g.watchFrom, g.watchEvents = s.now, g.events
}

// gapOpened is invariant 9, judged when nobody holds a group's VIPs any
// more.
func (s *Sim) gapOpened(g *group) {
	if g.watchFrom.IsZero() || s.now.After(g.watchFrom.Add(g.b.settle)) {
		return
	}
	if g.events != g.watchEvents || s.lastNet.After(g.watchFrom) || !s.connected() {
		return // something else happened since: the gap may be its doing
	}
	s.fail(g, "handover", "nobody holds the VIPs %s after the master began a make-before-break hand-over",
		fmtDur(s.now.Sub(g.watchFrom)))
}

// scheduleConverge queues invariant 4's check for every group.
func (s *Sim) scheduleConverge(lossy bool) {
	for _, g := range s.groups {
		e := s.newEvent(evConverge)
		e.g, e.origin, e.lossy = g, s.now, lossy
		s.schedule(e, s.now.Add(g.b.converge+1)) // strictly after W4
	}
}

// converge is invariant 4 and, at the end of a lossy period, invariant 8.
func (s *Sim) converge(e *event) {
	g := e.g
	if !s.lastNet.Equal(e.origin) || !s.connected() {
		return // the network changed again: a later check judges
	}
	settledBefore := !g.lastHost.Add(g.b.preempt + g.b.stable).After(e.origin)
	if g.lossy {
		g.lossy = false
		undisturbed := !g.lastHost.Add(g.b.preempt + g.b.stable).After(g.lossyFrom)
		if s.on(CheckLossy) && undisturbed {
			if bound := s.lossyBound(g, s.now.Sub(g.lossyFrom)); g.lossyTakeovers > bound {
				s.fail(g, "lossy", "%d takeovers in the %s from the start of loss, more than the bound %d",
					g.lossyTakeovers, fmtDur(s.now.Sub(g.lossyFrom)), bound)
				return
			}
		}
	}
	if !s.on(CheckConverge) || !settledBefore {
		return
	}
	what := "heal"
	if e.lossy {
		what = "end of loss"
	}
	eligible := 0
	for _, m := range g.members {
		if m.eligible() {
			eligible++
		}
	}
	ms := s.masters(g)
	switch {
	case eligible > 0 && len(ms) != 1:
		s.fail(g, "converge", "%d masters %v %s after the %s (W4), want 1", len(ms), ms, fmtDur(g.b.converge), what)
	case eligible == 0 && len(ms) != 0:
		s.fail(g, "converge", "masters %v but no eligible member", ms)
	}
}

// lossyBound is invariant 8's limit on takeovers over a window w of loss
// at the period's worst rate p. A backup B following a master M takes over
// only after missing every advert of M for its master-down interval: at
// least k = ⌊(MasterDown(B, M) − δ) / interval(M)⌋ adverts in a row, which
// happens at most once per advert of M, with probability p^k. Summing over
// every ordered pair (as if each member were master throughout) gives an
// expectation E; each spurious master can move every member once (a CARP
// backup preempts it at once; a VRRP master steps down or reasserts), so
// the bound is n × (2 + 4E): far above what loss causes, far below a
// machine that flaps on every lost advert.
func (s *Sim) lossyBound(g *group, w time.Duration) int {
	expected := 0.0
	for _, b := range g.members {
		for _, m := range g.members {
			if b == m {
				continue
			}
			worst := 0.0
			for _, bs := range b.seen {
				for _, ms := range m.seen {
					intvl := max(ms.Interval, time.Nanosecond)
					k := max(1, math.Floor(float64(b.cfg.Policy.MasterDown(bs, ms)-g.b.delay)/float64(intvl)))
					worst = max(worst, (float64(w)/float64(intvl)+1)*math.Pow(g.lossyMax, k))
				}
			}
			expected += worst
		}
	}
	return int(float64(len(g.members)) * (2 + 4*expected))
}

// countMasters counts the members in Master.
func (s *Sim) countMasters(g *group) int {
	n := 0
	for _, m := range g.members {
		if m.isMaster() {
			n++
		}
	}
	return n
}

// masters lists the members in Master, by host index.
func (s *Sim) masters(g *group) []int {
	var hs []int
	for _, m := range g.members {
		if m.isMaster() {
			hs = append(hs, m.host.id)
		}
	}
	return hs
}

// CheckSettled verifies at the end of a run that every group is connected
// and past its W2 window, and that its master is the preferred one
// (invariant 2). Scenarios call it after their quiet tail, so that a script
// that never settled cannot pass unnoticed.
func (s *Sim) CheckSettled() error {
	if s.err != nil {
		return s.err
	}
	for _, g := range s.groups {
		if !s.settledFor(g, g.b.stable) {
			return &Violation{Seed: s.cfg.Seed, At: s.Elapsed(), Group: g.name, Invariant: "settled",
				Err: fmt.Errorf("the run ended unsettled: connected=%t, %s after the quiet point, W2=%s",
					s.connected(), fmtDur(s.now.Sub(s.quietPoint(g))), fmtDur(g.b.stable))}
		}
		if err := s.preferredMaster(g); err != nil {
			s.fail(g, "preferred", "%w", err)
			return s.err
		}
	}
	return nil
}
