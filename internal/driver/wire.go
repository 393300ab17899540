package driver

import (
	"net/netip"
	"time"

	"github.com/vipd/vipd/internal/fsm"
	"github.com/vipd/vipd/internal/netif"
)

// encoder turns the machine's adverts into the group's wire format. The
// loop owns it (CARP's counter lives here).
type encoder interface {
	// encode appends the advert for dst to b.
	encode(b []byte, a fsm.Advert, dst netip.Addr, now time.Time) []byte
	// setSource changes the source address the adverts leave from, for
	// formats whose checksum covers it.
	setSource(src netip.Addr)
}

// decoder turns received packets into the machine's adverts. The receiving
// goroutine owns it (CARP's replay guard lives here).
type decoder interface {
	// decode returns the advert, or the reason word it was dropped for.
	decode(p netif.Packet, now time.Time) (fsm.Advert, string)
}

// Drop reasons the driver itself decides; the codecs name the rest.
const (
	dropTTL        = "bad-ttl"
	dropOtherGroup = "other-group"
)

// newWire builds the group's encoder and decoder.
func newWire(c *Config) (encoder, decoder, error) {
	if c.Protocol == CARP {
		return newCARPWire(c)
	}
	return newVRRPWire(c)
}
