package daemon

import (
	"net/netip"
	"time"

	"github.com/vipd/vipd/internal/config"
	"github.com/vipd/vipd/internal/control"
	"github.com/vipd/vipd/internal/driver"
)

// groupStatus turns a driver snapshot into the control API's shape.
func groupStatus(g *config.Group, s driver.Status) control.GroupStatus {
	m := s.Machine
	out := control.GroupStatus{
		Name:        s.Name,
		Protocol:    s.Protocol.String(),
		ID:          int(s.ID),
		Interface:   s.Link.Name,
		State:       m.State.String(),
		HandingOver: m.HandingOver,
		Claimed:     m.Claimed,
		Priority:    int(m.Self.Priority),
		IntervalMS:  float64(m.Self.Interval) / float64(time.Millisecond),
		Source:      addrOrEmpty(s.Source),
		HoldingVIPs: s.Holding,
		Link:        s.Link.String(),
		Counters: control.Counters{
			AdvertsSent:     s.Counters.Sent,
			AdvertsRelayed:  s.Counters.Relayed,
			AdvertsReceived: s.Counters.Received,
			SendErrors:      s.Counters.SendErrors,
			Dropped:         s.Counters.Dropped,
			Transitions:     s.Counters.Transitions,
			Announcements:   s.Counters.Announcements,
			Conflicts:       s.Counters.Conflicts,
			LastTransition:  s.Counters.LastTransition,
		},
	}
	if m.Master.From.IsValid() {
		out.Master = m.Master.From.String()
	}
	if g != nil {
		if g.Protocol.IsVRRP() {
			out.BasePriority = int(g.Priority)
		}
		for _, v := range g.VIPs {
			out.VIPs = append(out.VIPs, v.String())
		}
	}
	return out
}

// addrOrEmpty renders a, or "" when a is not known yet (a group waiting
// for its interface).
func addrOrEmpty(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.String()
}
