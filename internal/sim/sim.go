package sim

import (
	"container/heap"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/vipd/vipd/internal/fsm"
)

// maxEventsPerInstant bounds the events at one virtual instant: more means a
// machine keeps asking for a timeout that does not move time forward.
const maxEventsPerInstant = 10000

// Sim is a simulated segment. It is not safe for concurrent use; tests run
// one Sim per goroutine.
type Sim struct {
	cfg    Config
	rng    *rand.Rand
	now    time.Time
	q      queue
	seq    uint64
	free   []*event
	hosts  []*host
	groups []*group

	net         Network // current delivery model
	sides       []int   // partition side per host
	partitioned bool
	lastNet     time.Time // last partition, heal or loss change

	records     []record
	transitions []TransitionRecord
	err         error
	steps       int

	instant       time.Time // livelock detection
	instantEvents int
}

// group is one failover group and the bookkeeping of its invariants.
type group struct {
	id      int
	name    string
	members []*member
	b       bounds

	lastHost    time.Time // last disturbance of a member host or of the group
	prevHost    time.Time // the last one before lastHost's instant
	sameInstant int       // member disturbances at lastHost's instant
	events      int       // member disturbances so far

	watchFrom   time.Time // a make-before-break hand-over began (invariant 9)
	watchEvents int       // events when it began

	lossy          bool // a lossy period began and has not been judged
	lossyFrom      time.Time
	lossyTakeovers int
	lossyMax       float64 // the worst loss rate of the period

	holders int
	held    bool      // someone has held the VIPs
	gapFrom time.Time // zero holders since then (zero: someone holds)
	gaps    []Gap
}

// TransitionRecord is one state change of one member, for assertions and
// traces.
type TransitionRecord struct {
	// At is the offset from Epoch.
	At          time.Duration
	Host, Group int
	From, To    fsm.State
	Reason      fsm.Reason
}

// String renders the record as a trace line.
func (r TransitionRecord) String() string {
	return fmt.Sprintf("%s h%d/g%d %s->%s reason=%s", fmtTime(r.At), r.Host, r.Group, r.From, r.To, r.Reason)
}

// Gap is a span in which no host held a group's VIPs, after some host first
// held them.
type Gap struct {
	// From and To are offsets from Epoch; To is meaningless while Open.
	From, To time.Duration
	// Open means the gap had not ended when Gaps was called.
	Open bool
}

// MemberStatus is one member's condition as the simulator sees it.
type MemberStatus struct {
	// Up says the host's daemon runs.
	Up bool
	// State is the machine's state; Stopped while the host is down.
	State fsm.State
	// HoldsVIPs says the VIPs are on the host's interface (held by the
	// machine, or left over from a crashed daemon).
	HoldsVIPs bool
	// HandingOver and Maintenance are the machine's Status flags.
	HandingOver, Maintenance bool
}

// New builds the segment and schedules every host's boot. It returns an
// error if the configuration or a member's fsm.Config is invalid.
func New(cfg Config) (*Sim, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	s := &Sim{
		cfg:     cfg,
		rng:     rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)),
		now:     Epoch,
		net:     cfg.Network,
		sides:   make([]int, len(cfg.Hosts)),
		lastNet: Epoch,
	}
	for i, hc := range cfg.Hosts {
		name := hc.Name
		if name == "" {
			name = fmt.Sprintf("h%d", i)
		}
		s.hosts = append(s.hosts, &host{id: i, name: name, link: true, members: make([]*member, len(cfg.Groups))})
	}
	for gi, gc := range cfg.Groups {
		name := gc.Name
		if name == "" {
			name = fmt.Sprintf("g%d", gi)
		}
		g := &group{id: gi, name: name}
		for _, mc := range gc.Members {
			if _, err := fsm.New(mc.Config); err != nil {
				return nil, fmt.Errorf("sim: group %s host %d: %w", name, mc.Host, err)
			}
			h := s.hosts[mc.Host]
			m := &member{host: h, group: g, cfg: mc.Config, seen: []fsm.Advert{mc.Config.Self}}
			m.timer = &event{kind: evTimer, index: -1, to: m}
			h.members[gi] = m
			g.members = append(g.members, m)
		}
		g.b = groupBounds(gc.Members, cfg.Network)
		s.groups = append(s.groups, g)
	}
	for i, hc := range cfg.Hosts {
		if !hc.Off {
			s.At(hc.Boot, Restart{Host: i})
		}
	}
	return s, nil
}

// At schedules an action at offset d from Epoch (or now, if d has passed).
// Actions at the same time run in the order they were scheduled.
func (s *Sim) At(d time.Duration, a Action) {
	t := Epoch.Add(d)
	if t.Before(s.now) {
		t = s.now
	}
	e := s.newEvent(evAction)
	e.action = a
	s.schedule(e, t)
}

// RunUntil runs events up to and including offset d from Epoch, checking the
// invariants after each, and leaves the clock at d. It returns the first
// violation (a *Violation) or nil; once a violation is found later calls
// return it again.
func (s *Sim) RunUntil(d time.Duration) error {
	end := Epoch.Add(d)
	for s.err == nil && len(s.q) > 0 && !s.q[0].at.After(end) {
		e := heap.Pop(&s.q).(*event)
		s.advance(e.at)
		s.handle(e)
		s.release(e)
		if s.err == nil {
			s.checkAll()
		}
	}
	if s.err == nil && end.After(s.now) {
		s.now = end
		s.checkAll()
	}
	return s.err
}

// RunFor runs for d more of virtual time.
func (s *Sim) RunFor(d time.Duration) error { return s.RunUntil(s.Elapsed() + d) }

func (s *Sim) advance(t time.Time) {
	if t.Equal(s.instant) {
		s.instantEvents++
		if s.instantEvents > maxEventsPerInstant {
			s.fail(nil, "livelock", "more than %d events at one instant: a machine's deadline does not move forward", maxEventsPerInstant)
		}
	} else {
		s.instant, s.instantEvents = t, 0
	}
	s.now = t
}

func (s *Sim) handle(e *event) {
	switch e.kind {
	case evTimer:
		if e.to.live() {
			s.step(e.to, fsm.Timeout{})
		}
	case evDeliver:
		s.deliver(e)
	case evAction:
		s.note(nil, "> "+e.action.String())
		e.action.apply(s)
	case evExpire:
		m := e.to
		if !m.leftoverUntil.IsZero() && !s.now.Before(m.leftoverUntil) {
			m.leftoverUntil = time.Time{}
			s.note(m, "leftover VIPs expired")
			s.holdersChanged(m.group)
		}
	case evConverge:
		s.converge(e)
	}
}

// step feeds one input to a member's machine, carries out its effects in
// order and re-arms its timer.
func (s *Sim) step(m *member, in fsm.Input) {
	before := m.m.State()
	effects := m.m.Step(s.now, in)
	s.steps++
	for _, e := range effects {
		s.effect(m, before, e)
	}
	s.arm(m)
}

func (s *Sim) effect(m *member, before fsm.State, e fsm.Effect) {
	switch e := e.(type) {
	case fsm.SendAdvert:
		s.checkSilent(m, before, e.Advert)
		m.lastSent = s.now
		if s.cfg.TraceAdverts {
			s.note(m, e.String())
		}
		s.broadcast(m, e.Advert)
	case fsm.AcquireVIPs:
		if m.holds && s.on(CheckVIPs) {
			s.fail(m.group, "vips", "%s acquired the VIPs it already holds", m.name())
		}
		m.holds, m.leftoverUntil = true, time.Time{}
		s.note(m, "acquire-vips")
		s.holdersChanged(m.group)
	case fsm.ReleaseVIPs:
		if !m.holds && s.on(CheckVIPs) {
			s.fail(m.group, "vips", "%s released VIPs it does not hold", m.name())
		}
		m.holds = false
		s.note(m, "release-vips")
		s.holdersChanged(m.group)
	case fsm.Transition:
		s.transitioned(m, e)
	default: // Announce, RunHook, Drop
		if s.cfg.TraceAdverts {
			s.note(m, e.String())
		}
	}
}

func (s *Sim) transitioned(m *member, t fsm.Transition) {
	g := m.group
	s.transitions = append(s.transitions, TransitionRecord{
		At: s.Elapsed(), Host: m.host.id, Group: g.id, From: t.From, To: t.To, Reason: t.Reason,
	})
	s.note(m, fmt.Sprintf("%s->%s reason=%s", t.From, t.To, t.Reason))
	if t.To == fsm.Master {
		m.yielded = false
		if g.lossy {
			g.lossyTakeovers++
		}
	}
	s.checkTransition(m, t)
}

// arm queues the member's timer at the machine's deadline.
func (s *Sim) arm(m *member) {
	d := m.m.Deadline()
	if d.IsZero() {
		s.unschedule(m.timer)
		return
	}
	if d.Before(s.now) {
		d = s.now
	}
	if m.timer.index >= 0 && m.timer.at.Equal(d) {
		return
	}
	s.schedule(m.timer, d)
}

// hostDisturbed marks a disturbance of every group the host is in.
func (s *Sim) hostDisturbed(h *host) {
	for _, m := range h.members {
		if m != nil {
			s.disturbed(m.group)
		}
	}
}

// disturbed marks a disturbance of one group's members.
func (s *Sim) disturbed(g *group) {
	if g.lastHost.Equal(s.now) {
		g.sameInstant++
	} else {
		g.prevHost, g.sameInstant = g.lastHost, 1
	}
	g.lastHost, g.events = s.now, g.events+1
}

// netDisturbed marks a disturbance of the network (partition, heal, loss).
func (s *Sim) netDisturbed() { s.lastNet = s.now }

// holdersChanged recounts who holds a group's VIPs and records gaps.
func (s *Sim) holdersChanged(g *group) {
	n := 0
	for _, m := range g.members {
		if m.holdsVIPs(s.now) {
			n++
		}
	}
	g.holders = n
	switch {
	case n > 0 && !g.gapFrom.IsZero():
		g.gaps = append(g.gaps, Gap{From: g.gapFrom.Sub(Epoch), To: s.Elapsed()})
		g.gapFrom = time.Time{}
	case n == 0 && g.held && g.gapFrom.IsZero():
		g.gapFrom = s.now
		s.gapOpened(g)
	}
	if n > 0 {
		g.held = true
	}
}

// fail records the first violation; the run stops after the current event.
func (s *Sim) fail(g *group, invariant, format string, args ...any) {
	if s.err != nil {
		return
	}
	v := &Violation{Seed: s.cfg.Seed, At: s.Elapsed(), Invariant: invariant, Err: fmt.Errorf(format, args...)}
	if g != nil {
		v.Group = g.name
	}
	s.err = v
	s.note(nil, "VIOLATION "+v.Error())
}

// Elapsed is the virtual time since Epoch.
func (s *Sim) Elapsed() time.Duration { return s.now.Sub(Epoch) }

// Now is the virtual clock.
func (s *Sim) Now() time.Time { return s.now }

// Seed is the configured seed.
func (s *Sim) Seed() uint64 { return s.cfg.Seed }

// Steps is how many times the simulator has called Machine.Step.
func (s *Sim) Steps() int { return s.steps }

// Err is the first violation found, or nil.
func (s *Sim) Err() error { return s.err }

// Member returns a member's status; the zero value if the host is not in
// the group.
func (s *Sim) Member(host, group int) MemberStatus {
	if host < 0 || host >= len(s.hosts) || group < 0 || group >= len(s.groups) {
		return MemberStatus{}
	}
	m := s.hosts[host].members[group]
	if m == nil {
		return MemberStatus{}
	}
	st := MemberStatus{Up: m.host.up, State: m.state(), HoldsVIPs: m.holdsVIPs(s.now)}
	if m.live() {
		ms := m.m.Status()
		st.HandingOver, st.Maintenance = ms.HandingOver, ms.Maintenance
	}
	return st
}

// Masters lists the hosts whose machine for the group is Master (handing
// over or not), by index.
func (s *Sim) Masters(group int) []int {
	var hs []int
	for _, m := range s.groups[group].members {
		if m.isMaster() {
			hs = append(hs, m.host.id)
		}
	}
	return hs
}

// Holders lists the hosts that have the group's VIPs on their interface.
func (s *Sim) Holders(group int) []int {
	var hs []int
	for _, m := range s.groups[group].members {
		if m.holdsVIPs(s.now) {
			hs = append(hs, m.host.id)
		}
	}
	return hs
}

// Gaps lists the spans in which nobody held the group's VIPs, after the
// first host acquired them.
func (s *Sim) Gaps(group int) []Gap {
	g := s.groups[group]
	gaps := append([]Gap(nil), g.gaps...)
	if !g.gapFrom.IsZero() {
		gaps = append(gaps, Gap{From: g.gapFrom.Sub(Epoch), Open: true})
	}
	return gaps
}

// Transitions lists every state change so far, in order.
func (s *Sim) Transitions() []TransitionRecord {
	return append([]TransitionRecord(nil), s.transitions...)
}
