// Package fsm is the election state machine of one failover group on one
// host. It is pure: it knows nothing of sockets, clocks or goroutines. Time is
// an argument, timers are data, and everything the machine wants done comes
// back as an ordered list of effects:
//
//	m, _ := fsm.New(cfg)
//	effects := m.Step(now, fsm.Start{})
//	// ... carry out effects in order, then arm one timer at m.Deadline()
//	effects = m.Step(later, fsm.Timeout{})
//
// The machine follows RFC 5798 §6.4 (VRRPv3; RFC 3768 §6.4 for VRRPv2) and the
// CARP behaviour of OpenBSD's ip_carp.c as ucarp 1.5.2 implements it. What
// differs between the protocols (who outranks whom, the master-down interval,
// what happens when the master resigns) is a Policy value, not branches in the
// machine: see VRRP and CARP.
//
// vipd adds to the RFC behaviour, each a deliberate choice:
//   - Make-before-break hand-over: a master that shuts down, enters
//     maintenance or is switched over sends a resign advert but keeps its VIPs
//     until it hears the successor, bounded by Config.HandoverTimeout, so
//     clients see no gap.
//   - Split brain: a master hearing a lesser master answers at once with an
//     advert and a fresh announcement (rate-limited), so the loser steps down
//     and clients relearn the winner's MAC without waiting.
//   - Fault and Maintenance states: a host with a failed link or health check
//     or in operator maintenance neither holds VIPs nor advertises.
//
// Every transition carries a Reason word that logs, metrics and hook
// environments share.
package fsm
