package fsm

import (
	"net/netip"
	"testing"
	"time"
)

func addr(s string) netip.Addr { return netip.MustParseAddr(s) }

func TestVRRPTimers(t *testing.T) {
	tests := []struct {
		name         string
		policy       VRRP
		self, master Advert
		wantDown     time.Duration
		wantResign   time.Duration
	}{{
		// RFC 5798 §6.1: Skew_Time = ((256 - Priority) * Master_Adver_Interval) / 256;
		// Master_Down_Interval = 3 * Master_Adver_Interval + Skew_Time.
		name:       "RFC 5798 §6.1 priority 100 at 1s",
		policy:     VRRP{Version: 3},
		self:       Advert{Priority: 100, Interval: time.Second},
		master:     Advert{Priority: 200, Interval: time.Second},
		wantDown:   3*time.Second + 609375*time.Microsecond,
		wantResign: 609375 * time.Microsecond,
	}, {
		// RFC 5798 §6.4.2: the backup uses the master's advertised interval.
		name:       "RFC 5798 §6.4.2 learns the master's interval",
		policy:     VRRP{Version: 3},
		self:       Advert{Priority: 254, Interval: time.Second},
		master:     Advert{Priority: 255, Interval: 100 * time.Millisecond},
		wantDown:   300*time.Millisecond + 781250*time.Nanosecond,
		wantResign: 781250 * time.Nanosecond,
	}, {
		// RFC 3768 §6.1: Skew_Time = (256 - Priority) / 256 seconds.
		name:       "RFC 3768 §6.1 skew in seconds",
		policy:     VRRP{Version: 2},
		self:       Advert{Priority: 100, Interval: 2 * time.Second},
		master:     Advert{Priority: 200, Interval: 2 * time.Second},
		wantDown:   6*time.Second + 609375*time.Microsecond,
		wantResign: 609375 * time.Microsecond,
	}, {
		name:       "keepalived down_timer_adverts and vipd resign skew base",
		policy:     VRRP{Version: 3, DownAdverts: 8, ResignSkewBase: 10 * time.Millisecond},
		self:       Advert{Priority: 128, Interval: 10 * time.Millisecond},
		master:     Advert{Priority: 200, Interval: 10 * time.Millisecond},
		wantDown:   85 * time.Millisecond,
		wantResign: 5 * time.Millisecond,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.policy.MasterDown(tt.self, tt.master); got != tt.wantDown {
				t.Errorf("MasterDown = %v, want %v", got, tt.wantDown)
			}
			if got := tt.policy.ResignWait(tt.self, tt.master); got != tt.wantResign {
				t.Errorf("ResignWait = %v, want %v", got, tt.wantResign)
			}
		})
	}
}

func TestVRRPOrder(t *testing.T) {
	p := VRRP{Version: 3}
	tests := []struct {
		name         string
		a, b         Advert
		outranks     bool
		preemptsAOnB bool
	}{
		{"RFC 5798 §6.4.3 higher priority wins", Advert{From: addr("192.0.2.1"), Priority: 200}, Advert{From: addr("192.0.2.9"), Priority: 100}, true, true},
		{"RFC 5798 §6.4.3 lower priority loses", Advert{From: addr("192.0.2.9"), Priority: 100}, Advert{From: addr("192.0.2.1"), Priority: 200}, false, false},
		{"RFC 5798 §6.4.3 equal priority: greater address wins", Advert{From: addr("192.0.2.9"), Priority: 100}, Advert{From: addr("192.0.2.10"), Priority: 100}, false, false},
		{"RFC 5798 §6.4.3 equal priority: greater address wins (mirror)", Advert{From: addr("192.0.2.10"), Priority: 100}, Advert{From: addr("192.0.2.9"), Priority: 100}, true, false},
		{"RFC 5798 §6.4.3 IPv6 addresses compare as numbers", Advert{From: addr("fe80::2"), Priority: 100}, Advert{From: addr("fe80::1"), Priority: 100}, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := p.Outranks(tt.a, tt.b); got != tt.outranks {
				t.Errorf("Outranks = %v, want %v", got, tt.outranks)
			}
			if got := p.Preempts(tt.a, tt.b); got != tt.preemptsAOnB {
				t.Errorf("Preempts = %v, want %v", got, tt.preemptsAOnB)
			}
		})
	}
}

func TestVRRPWeighted(t *testing.T) {
	p := VRRP{Version: 3}
	tests := []struct {
		name   string
		base   uint8
		weight int
		want   uint8
	}{
		{"weight lowers", 100, -30, 70},
		{"weight raises", 100, 30, 130},
		{"never below 1 (0 means resign, RFC 5798 §5.2.4)", 10, -50, 1},
		{"never reaches 255 (owner only)", 250, 50, 254},
		{"keepalived: the owner keeps 255", 255, -50, 255},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := p.Weighted(Advert{Priority: tt.base}, tt.weight).Priority; got != tt.want {
				t.Errorf("priority = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestVRRPValidate(t *testing.T) {
	tests := []struct {
		name   string
		policy VRRP
		self   Advert
		ok     bool
	}{
		{"RFC 5798 §5.2.7 10ms steps", VRRP{Version: 3}, Advert{Priority: 100, Interval: 10 * time.Millisecond}, true},
		{"RFC 5798 §5.2.7 not a 10ms step", VRRP{Version: 3}, Advert{Priority: 100, Interval: 15 * time.Millisecond}, false},
		{"RFC 5798 §5.2.7 at most 40.95s", VRRP{Version: 3}, Advert{Priority: 100, Interval: 41 * time.Second}, false},
		{"RFC 3768 §5.3.7 whole seconds", VRRP{Version: 2}, Advert{Priority: 100, Interval: 1500 * time.Millisecond}, false},
		{"RFC 5798 §5.2.4 priority 0 is reserved", VRRP{Version: 3}, Advert{Priority: 0, Interval: time.Second}, false},
		{"unknown version", VRRP{Version: 4}, Advert{Priority: 100, Interval: time.Second}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.policy.Validate(tt.self); (err == nil) != tt.ok {
				t.Errorf("Validate = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func carpInterval(advbase, advskew int) time.Duration {
	return time.Duration(advbase)*time.Second + time.Duration(advskew)*carpSkewUnit
}

func TestCARPOrder(t *testing.T) {
	p := CARP{}
	tests := []struct {
		name     string
		a, b     Advert
		outranks bool
		preempts bool
	}{
		{"ip_carp.c: more frequent wins", Advert{From: addr("192.0.2.9"), Interval: carpInterval(1, 0)}, Advert{From: addr("192.0.2.1"), Interval: carpInterval(1, 10)}, true, true},
		{"ip_carp.c: advbase weighs more than advskew", Advert{From: addr("192.0.2.9"), Interval: carpInterval(1, 254)}, Advert{From: addr("192.0.2.1"), Interval: carpInterval(2, 0)}, true, true},
		// ucarp 1.5.2, checked: 192.0.3.1 beats 192.0.2.2 on equal intervals.
		{"ucarp: equal interval, lower little-endian source wins", Advert{From: addr("192.0.3.1"), Interval: carpInterval(1, 0)}, Advert{From: addr("192.0.2.2"), Interval: carpInterval(1, 0)}, true, false},
		{"ucarp: equal interval, mirror", Advert{From: addr("192.0.2.2"), Interval: carpInterval(1, 0)}, Advert{From: addr("192.0.3.1"), Interval: carpInterval(1, 0)}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := p.Outranks(tt.a, tt.b); got != tt.outranks {
				t.Errorf("Outranks = %v, want %v", got, tt.outranks)
			}
			if got := p.Preempts(tt.a, tt.b); got != tt.preempts {
				t.Errorf("Preempts = %v, want %v", got, tt.preempts)
			}
		})
	}
}

func TestCARPTimers(t *testing.T) {
	tests := []struct {
		name       string
		policy     CARP
		self       Advert
		wantDown   time.Duration
		wantResign time.Duration
	}{
		{"ucarp: advbase × 3 + advskew/256", CARP{}, Advert{Interval: carpInterval(1, 128)}, 3500 * time.Millisecond, 0},
		{"ucarp --deadratio", CARP{DeadRatio: 5}, Advert{Interval: carpInterval(2, 0)}, 10 * time.Second, 0},
		{"ucarp: advbase 0 leaves only the skew", CARP{DeadRatio: 8}, Advert{Interval: carpInterval(0, 1)}, carpSkewUnit, 0},
		{"vipd resign skew base staggers backups", CARP{ResignSkewBase: 256 * time.Millisecond}, Advert{Interval: carpInterval(1, 10)}, 3*time.Second + 10*carpSkewUnit, 10 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.policy.MasterDown(tt.self, Advert{}); got != tt.wantDown {
				t.Errorf("MasterDown = %v, want %v", got, tt.wantDown)
			}
			if got := tt.policy.ResignWait(tt.self, Advert{}); got != tt.wantResign {
				t.Errorf("ResignWait = %v, want %v", got, tt.wantResign)
			}
		})
	}
}

func TestCARPWeightedAndValidate(t *testing.T) {
	p := CARP{}
	if got := p.Weighted(Advert{Interval: carpInterval(1, 10)}, -20).Interval; got != carpInterval(1, 30) {
		t.Errorf("negative weight: interval %v, want advskew 30 (%v)", got, carpInterval(1, 30))
	}
	if got := p.Weighted(Advert{Interval: carpInterval(1, 10)}, 50).Interval; got != carpInterval(1, 0) {
		t.Errorf("positive weight: interval %v, want advskew 0", got)
	}
	if got := p.Weighted(Advert{Interval: carpInterval(0, 10)}, 20).Interval; got != carpInterval(0, 1) {
		t.Errorf("advbase 0 must keep advskew >= 1 (ucarp refuses 0/0): got %v", got)
	}
	if got := p.Weighted(Advert{Interval: carpInterval(1, 250)}, -50).Interval; got != carpInterval(1, 254) {
		t.Errorf("advskew must stop at 254 (255 with advbase 255 means resign): got %v", got)
	}
	for _, tt := range []struct {
		name     string
		interval time.Duration
		ok       bool
	}{
		{"ucarp refuses advbase 0 with advskew 0", 0, false},
		{"ucarp accepts advbase 0 with advskew > 0", carpInterval(0, 1), true},
		{"advbase 255 is reserved for resign", carpInterval(255, 0), false},
		{"advskew steps of 1/256 s only", time.Second + time.Millisecond, false},
	} {
		if err := p.Validate(Advert{Interval: tt.interval}); (err == nil) != tt.ok {
			t.Errorf("%s: Validate(%v) = %v, want ok=%v", tt.name, tt.interval, err, tt.ok)
		}
	}
}

// TestHandoverOutlastsEveryBackup: the default hand-over bound must outlast
// the longest wait of any backup, whether it heard the resign advert or not
// (found by the simulator: with a 100 ms resign skew base a VRRPv3 master at
// 10 ms gave up before a priority-100 backup took over; with CARP advbase 0
// the bound was the master's own 3.9 ms).
func TestHandoverOutlastsEveryBackup(t *testing.T) {
	for _, tt := range []struct {
		name string
		cfg  Config
	}{
		{"vrrp3 10ms with resign skew base 100ms", Config{Policy: VRRP{Version: 3, ResignSkewBase: 100 * time.Millisecond}, Self: Advert{From: addr("192.0.2.1"), Priority: 200, Interval: 10 * time.Millisecond}}},
		{"carp advbase 0 advskew 1", Config{Policy: CARP{}, Self: Advert{From: addr("192.0.2.1"), Interval: carpInterval(0, 1)}}},
		{"carp with resign skew base", Config{Policy: CARP{ResignSkewBase: 100 * time.Millisecond}, Self: Advert{From: addr("192.0.2.1"), Interval: carpInterval(1, 0)}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.cfg.Policy
			worst := p.Lowest(tt.cfg.Self)
			longest := max(p.MasterDown(worst, tt.cfg.Self), p.ResignWait(worst, tt.cfg.Self))
			if got := tt.cfg.handoverTimeout(); got <= longest {
				t.Errorf("hand-over bound %v does not outlast the lowest backup's wait %v", got, longest)
			}
		})
	}
}
