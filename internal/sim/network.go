package sim

import (
	"time"

	"github.com/vipd/vipd/internal/fsm"
)

// reaches reports whether a frame on the wire from host a gets to host b
// now: b runs, b's link is up and no partition separates them. (A frame
// already sent is not recalled when a's link goes down.)
func (s *Sim) reaches(a, b *host) bool {
	return b.up && b.link && s.sides[a.id] == s.sides[b.id]
}

// broadcast sends a member's advert to every other member of its group that
// the frame can reach, each delivery with its own loss, delay and
// duplication draw.
func (s *Sim) broadcast(from *member, a fsm.Advert) {
	if !from.host.link {
		return
	}
	var in fsm.Input = fsm.AdvertReceived{Advert: a} // boxed once for every receiver
	for _, to := range from.group.members {
		if to == from || !s.reaches(from.host, to.host) {
			continue
		}
		if s.net.Loss > 0 && s.rng.Float64() < s.net.Loss {
			if s.cfg.TraceAdverts {
				s.note(to, "lost advert from "+from.host.name)
			}
			continue
		}
		s.transmit(from, to, in)
		if s.net.Duplicate > 0 && s.rng.Float64() < s.net.Duplicate {
			s.transmit(from, to, in)
		}
	}
}

// transmit queues one copy of an advert after the base delay plus jitter.
func (s *Sim) transmit(from, to *member, in fsm.Input) {
	d := s.net.Delay
	if s.net.Jitter > 0 {
		d += time.Duration(s.rng.Int64N(int64(s.net.Jitter) + 1))
	}
	e := s.newEvent(evDeliver)
	e.from, e.to, e.input = from, to, in
	s.schedule(e, s.now.Add(d))
}

// deliver hands an arriving advert to its receiver, if the frame still gets
// there: the receiver may have crashed, lost its link or been partitioned
// off while the frame was in flight.
func (s *Sim) deliver(e *event) {
	to := e.to
	if !to.live() || !s.reaches(e.from.host, to.host) {
		if s.cfg.TraceAdverts {
			s.note(to, "advert from "+e.from.host.name+" not delivered")
		}
		return
	}
	if s.cfg.TraceAdverts {
		s.note(to, "recv "+e.from.host.name+" "+e.input.(fsm.AdvertReceived).Advert.String())
	}
	s.step(to, e.input)
}
