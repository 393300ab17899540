package fsm

import (
	"testing"
	"time"
)

// checker follows a machine's effects and fails on anything a driver could
// not carry out consistently.
type checker struct {
	t       testing.TB
	holding bool
	state   State
	inMaint bool // maintenance ordered and not yet recovered
}

func (c *checker) step(m *Machine, now time.Time, in Input) {
	c.t.Helper()
	switch in := in.(type) {
	case Admin:
		switch in.Command {
		case CommandMaintenance:
			c.inMaint = true
		case CommandRecover:
			c.inMaint = false
		}
	}
	effects := m.Step(now, in)
	if c.state == Stopped && len(effects) > 0 {
		c.t.Fatalf("stopped machine produced %v", effects)
	}
	for _, e := range effects {
		switch e := e.(type) {
		case AcquireVIPs:
			if c.holding {
				c.t.Fatalf("acquire while holding VIPs after %T", in)
			}
			c.holding = true
		case ReleaseVIPs:
			if !c.holding {
				c.t.Fatalf("release while not holding VIPs after %T", in)
			}
			c.holding = false
		case Transition:
			if e.From != c.state {
				c.t.Fatalf("transition %v, but the machine was %v", e, c.state)
			}
			if e.From == e.To {
				c.t.Fatalf("transition to the same state: %v", e)
			}
			c.state = e.To
		case SendAdvert:
			if c.state != Master && !(e.Advert.Resign) {
				c.t.Fatalf("non-resign advert sent in %v", c.state)
			}
		}
	}
	if c.state != m.State() {
		c.t.Fatalf("transitions end in %v, machine says %v", c.state, m.State())
	}
	if c.holding != (m.State() == Master) {
		c.t.Fatalf("holding VIPs = %v in state %v", c.holding, m.State())
	}
	if c.inMaint && m.State() == Master && !m.Status().HandingOver {
		c.t.Fatalf("master while in maintenance")
	}
	if d := m.Deadline(); !d.IsZero() && !d.After(now) {
		c.t.Fatalf("deadline %v not after now %v in %v", d, now, m.State())
	}
}

func fuzzConfig(b byte) Config {
	cfg := Config{
		Self:     Advert{From: addr("192.0.2.5"), Priority: 100, Interval: 100 * time.Millisecond},
		Preempt:  b&1 != 0,
		Announce: AnnounceSchedule{Repeats: 2, Spacing: 1100 * time.Millisecond},
	}
	switch b >> 1 % 3 {
	case 0:
		cfg.Policy = VRRP{Version: 3}
	case 1:
		cfg.Policy = VRRP{Version: 2}
		cfg.Self.Interval = time.Second
	default:
		cfg.Policy = CARP{}
		cfg.Self.Interval = carpInterval(0, 26)
	}
	if b&8 != 0 {
		cfg.Self.Priority = 255
	}
	return cfg
}

var fuzzPeers = []string{"192.0.2.1", "192.0.2.5", "192.0.2.9"}

// fuzzInput turns two bytes into an input: mostly adverts and timeouts,
// sometimes a condition change, a command or a shutdown.
func fuzzInput(op, arg byte) Input {
	switch op % 13 {
	case 0, 1, 2, 3:
		return AdvertReceived{Advert: Advert{
			From:     addr(fuzzPeers[int(arg)%len(fuzzPeers)]),
			Priority: arg,
			Interval: time.Duration(arg%4+1) * 50 * time.Millisecond,
			Resign:   arg%7 == 0,
		}}
	case 4, 5, 6:
		return Timeout{}
	case 7:
		return HealthChanged{Fault: arg%3 == 0, Weight: int(arg%41) - 20}
	case 8:
		return LinkChanged{Up: arg%2 == 0}
	case 9:
		return Admin{Command: Command(arg%4 + 1)}
	case 10:
		if arg%8 == 0 {
			return Shutdown{}
		}
		return Timeout{}
	case 11:
		return SourceChanged{From: addr(fuzzPeers[int(arg)%len(fuzzPeers)])}
	default:
		return Start{}
	}
}

// FuzzMachine drives one machine with arbitrary input sequences and checks
// what any driver relies on: VIPs acquired and released in turn, held
// exactly while Master, transitions that chain, deadlines in the future,
// nothing after Stopped, never master in maintenance.
func FuzzMachine(f *testing.F) {
	f.Add([]byte{0, 11, 0, 4, 0, 4, 0, 0, 200, 4, 0})
	f.Add([]byte{1, 11, 0, 9, 0, 0, 5, 4, 0, 9, 1, 4, 0})
	f.Add([]byte{4, 11, 0, 7, 3, 4, 0, 8, 1, 8, 0, 10, 0, 0, 7})
	f.Add([]byte{9, 11, 0, 4, 0, 10, 8, 0, 50, 4, 0, 4, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		m, err := New(fuzzConfig(data[0]))
		if err != nil {
			t.Fatal(err)
		}
		c := &checker{t: t}
		now := epoch
		for i := 1; i+1 < len(data); i += 2 {
			in := fuzzInput(data[i], data[i+1])
			if _, ok := in.(Timeout); ok {
				if d := m.Deadline(); !d.IsZero() {
					now = d
				}
				c.step(m, now, in)
				continue
			}
			now = now.Add(time.Duration(data[i+1]) * time.Millisecond)
			// Like the driver's loop: timers due before an input fire first.
			for d := m.Deadline(); !d.IsZero() && !d.After(now); d = m.Deadline() {
				c.step(m, d, Timeout{})
			}
			c.step(m, now, in)
		}
	})
}

func BenchmarkStepMasterTimeout(b *testing.B) {
	m, err := New(Config{Policy: VRRP{Version: 3}, Self: Advert{From: addr("192.0.2.1"), Priority: 255, Interval: 10 * time.Millisecond}})
	if err != nil {
		b.Fatal(err)
	}
	now := epoch
	m.Step(now, Start{})
	b.ReportAllocs()
	for b.Loop() {
		now = m.Deadline()
		m.Step(now, Timeout{})
	}
}

func BenchmarkStepBackupAdvert(b *testing.B) {
	m, err := New(Config{Policy: VRRP{Version: 3}, Self: Advert{From: addr("192.0.2.1"), Priority: 100, Interval: 10 * time.Millisecond}})
	if err != nil {
		b.Fatal(err)
	}
	now := epoch
	m.Step(now, Start{})
	var in Input = AdvertReceived{Advert: Advert{From: addr("192.0.2.2"), Priority: 200, Interval: 10 * time.Millisecond}}
	b.ReportAllocs()
	for b.Loop() {
		now = now.Add(10 * time.Millisecond)
		m.Step(now, in)
	}
}
