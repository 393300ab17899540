package fsm

import (
	"fmt"
	"net/netip"
	"time"
)

// Advert is what the machine needs of an advertisement: already decoded from
// the wire and authenticated by the caller. The same type describes this
// host's own standing (what it would advertise) and a peer's.
type Advert struct {
	// From is the sender's primary address (the IP source).
	From netip.Addr
	// Priority is the VRRP priority, 1–255 (255 = address owner). CARP
	// adverts carry no priority and leave it 0.
	Priority uint8
	// Interval is the advertised interval: VRRP's (Max) Advert Interval, or
	// CARP's advbase + advskew/256 s.
	Interval time.Duration
	// Resign marks a master that is leaving: VRRP priority 0 (RFC 5798
	// §6.4.3), CARP advbase 255 with advskew 255 (ip_carp.c).
	Resign bool
}

// String renders the advert for traces: from, priority, interval.
func (a Advert) String() string {
	s := fmt.Sprintf("from=%s prio=%d interval=%s", a.From, a.Priority, a.Interval)
	if a.Resign {
		s += " resign"
	}
	return s
}
