package driver

import (
	"time"

	"github.com/vipd/vipd/internal/fsm"
)

// Counters are a group's running totals, read through Status for metrics.
type Counters struct {
	Sent, SendErrors uint64
	// Relayed counts adverts the relay sent while the loop was silent
	// (Deps.Relays): each a stall of this host that its backups did not
	// take for a dead master.
	Relayed  uint64
	Received uint64
	// Dropped counts received adverts by the reason they were dropped:
	// the codecs' reason words, bad-ttl, other-group, and the machine's
	// protocol drops.
	Dropped        map[string]uint64
	Transitions    map[string]uint64 // by reason word
	Announcements  uint64
	AnnounceErrors uint64
	AddressErrors  uint64
	// Conflicts counts claims of a VIP by another host (ARP or neighbour
	// advertisement from another MAC address) seen while master.
	Conflicts uint64
	// LastTransition is when the machine last changed state.
	LastTransition time.Time
}

func newCounters() Counters {
	return Counters{Dropped: map[string]uint64{}, Transitions: map[string]uint64{}}
}

func (c *Counters) drop(reason string)      { c.Dropped[reason]++ }
func (c *Counters) transition(r fsm.Reason) { c.Transitions[r.String()]++ }

// clone copies the counters for a snapshot that outlives the loop's turn.
func (c *Counters) clone() Counters {
	out := *c
	out.Dropped = make(map[string]uint64, len(c.Dropped))
	for k, v := range c.Dropped {
		out.Dropped[k] = v
	}
	out.Transitions = make(map[string]uint64, len(c.Transitions))
	for k, v := range c.Transitions {
		out.Transitions[k] = v
	}
	return out
}
