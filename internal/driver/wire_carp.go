package driver

import (
	"net/netip"
	"time"

	"github.com/vipd/vipd/internal/carp"
	"github.com/vipd/vipd/internal/fsm"
	"github.com/vipd/vipd/internal/netif"
)

// carpWire signs and verifies CARP adverts. One value serves as the group's
// encoder and decoder: both run on the loop, and they share the replay guard,
// which hands out this host's counters (time-tagged, increasing across
// restarts) and refuses a vipd peer's counter that is not newer than any
// seen (carp.ReplayGuard).
type carpWire struct {
	vhid  uint8
	key   carp.Key
	vips  []netip.Addr
	guard carp.ReplayGuard
}

func newCARPWire(c *Config) (encoder, decoder, error) {
	key, err := carp.NewKey(c.Password)
	if err != nil {
		return nil, nil, err
	}
	w := &carpWire{vhid: c.ID, key: key, vips: c.vipAddrs()}
	w.guard.Grace = replayGrace(c.Machine.Self.Interval)
	return w, w, nil
}

// replayGrace is how old a counter below the group's newest may be and
// still pass (carp.ReplayGuard.Grace): a ucarp peer back from a link loss
// copies whatever advert it processes first, and the newest it can have
// heard is at most an advert interval old. Two intervals, at least 3 s.
func replayGrace(interval time.Duration) time.Duration {
	return max(2*interval, 3*time.Second)
}

func (w *carpWire) encode(b []byte, a fsm.Advert, _ netip.Addr, now time.Time) []byte {
	base, skew := uint8(carp.ResignAdv), uint8(carp.ResignAdv)
	if !a.Resign {
		whole := a.Interval.Truncate(time.Second)
		base = uint8(whole / time.Second)
		skew = uint8((a.Interval - whole) / (time.Second / 256))
	}
	adv := carp.NewAdvert(w.vhid, base, skew, w.guard.Next(now))
	w.key.Sign(&adv, w.vips)
	return adv.Append(b)
}

// setSource implements encoder: nothing CARP signs or sums covers the
// source.
func (w *carpWire) setSource(netip.Addr) {}

// decode checks in the order the replay guard needs: shape, group, HMAC,
// then the counter, and records the counter only once all passed, so a
// forged packet cannot move the guard.
func (w *carpWire) decode(p netif.Packet, now time.Time) (fsm.Advert, string) {
	adv, err := carp.Parse(p.Payload)
	if err != nil {
		return fsm.Advert{}, carp.ReasonOf(err)
	}
	if adv.VHID != w.vhid {
		return fsm.Advert{}, dropOtherGroup
	}
	if err := w.key.Verify(adv, w.vips); err != nil {
		return fsm.Advert{}, carp.ReasonOf(err)
	}
	if err := w.guard.Check(adv.Counter, now); err != nil {
		return fsm.Advert{}, carp.ReasonOf(err)
	}
	w.guard.Accept(adv.Counter)
	return fsm.Advert{From: p.Src, Interval: adv.Interval(), Resign: adv.Resigning()}, ""
}
