package driver

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/vipd/vipd/internal/fsm"
	"github.com/vipd/vipd/internal/netif"
	"github.com/vipd/vipd/internal/vrrp"
)

// vrrpWire encodes and decodes VRRPv2 and VRRPv3 adverts. Its only state is
// the decode scratch advert, so the loop's encoder and decoder are two
// copies of one value.
type vrrpWire struct {
	version  uint8
	vrid     uint8
	src      netip.Addr
	vips     []netip.Addr
	auth     vrrp.AuthType
	authData [8]byte
	checksum vrrp.ChecksumVariant
	scratch  vrrp.Advert // decode target, reusing its address slice
}

func newVRRPWire(c *Config) (encoder, decoder, error) {
	w := vrrpWire{
		version:  vrrp.Version3,
		vrid:     c.ID,
		src:      c.Machine.Self.From,
		vips:     c.vipAddrs(),
		checksum: c.Checksum,
	}
	if c.Protocol == VRRP2 {
		w.version = vrrp.Version2
	}
	if len(c.Password) > 0 {
		if c.Protocol != VRRP2 {
			return nil, nil, fmt.Errorf("a password needs vrrp2 (RFC 5798 has no authentication)")
		}
		data, err := vrrp.SimplePassword(string(c.Password))
		if err != nil {
			return nil, nil, err
		}
		w.auth, w.authData = vrrp.AuthSimple, data
	}
	enc, dec := w, w
	return &enc, &dec, nil
}

func (w *vrrpWire) encode(b []byte, a fsm.Advert, dst netip.Addr, _ time.Time) []byte {
	adv := vrrp.Advert{
		Version:  w.version,
		Type:     vrrp.TypeAdvertisement,
		VRID:     w.vrid,
		Priority: a.Priority,
		Addrs:    w.vips,

		ChecksumVariant: w.checksum,
	}
	if a.Resign {
		adv.Priority = vrrp.PriorityResign
	}
	if w.version == vrrp.Version2 {
		adv.AdvertInt = uint8(a.Interval / time.Second)
		adv.AuthType, adv.AuthData = w.auth, w.authData
	} else {
		adv.MaxAdvertInt = uint16(a.Interval / (10 * time.Millisecond))
	}
	return adv.Append(b, w.src, dst)
}

// setSource implements encoder: VRRPv3's checksum covers the source.
func (w *vrrpWire) setSource(src netip.Addr) { w.src = src }

func (w *vrrpWire) decode(p netif.Packet, _ time.Time) (fsm.Advert, string) {
	if err := vrrp.ParseInto(&w.scratch, p.Payload, p.Src, p.Dst); err != nil {
		return fsm.Advert{}, vrrp.ReasonOf(err).String()
	}
	adv := &w.scratch
	switch {
	case adv.Version != w.version:
		return fsm.Advert{}, "other-version"
	case adv.VRID != w.vrid:
		return fsm.Advert{}, dropOtherGroup
	case w.version == vrrp.Version2 && adv.AuthType != w.auth:
		return fsm.Advert{}, "bad-auth-type"
	case w.auth == vrrp.AuthSimple && !adv.MatchesPassword(w.authData):
		// RFC 2338 §7.1: a mismatched simple password is discarded.
		return fsm.Advert{}, "bad-password"
	}
	return fsm.Advert{
		From:     p.Src,
		Priority: adv.Priority,
		Interval: adv.Interval(),
		Resign:   adv.Priority == vrrp.PriorityResign,
	}, ""
}
