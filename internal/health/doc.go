// Package health runs a group's health checks off the protocol loop and
// reports the group's combined health as fsm.HealthChanged.
//
// # Checks
//
// A Check pairs a Checker, which probes once (ping, ARP, TCP, HTTP(S) or a
// program: NewPing, NewARP, NewTCP, NewHTTP, NewExec), with its schedule and
// its effect:
//
//   - Interval is the time between the starts of two probes; Timeout ends a
//     probe as failed and is shorter than Interval, so the probes of one
//     check never overlap.
//   - Rise passed probes in a row make a failing check healthy; Fall failed
//     probes in a row make a healthy check failing.
//   - The first probe decides the initial state on its own, so a group
//     neither sits in Fault for Rise intervals at start when its service is
//     fine nor wins an election it loses Fall intervals later when its
//     service is down; either would move the VIPs twice.
//   - Fault puts the group in Fault while the check fails. Weight moves the
//     priority as keepalived's weight does: a positive weight is added while
//     the check is healthy, a negative weight while it fails.
//
// # Monitor
//
// A Monitor runs one group's checks. New builds it and starts nothing; Run
// starts one goroutine per check, each on its own ticker, so that a check
// that hangs until its timeout delays no other check and never the group's
// adverts, which the driver's loop sends. Run combines the checks' states:
// Fault while any fault check fails, Weight the sum of the weights that
// apply. It calls Config.OnHealth with the combined health once every check
// has its first result (within the longest timeout after Run starts), then
// on every change, from a goroutine of its own that coalesces changes while
// the call blocks. Config.OnResult receives every probe's result, for metrics
// and `vipd events`; Status returns a snapshot. All goroutines end with Run's
// context.
//
// Time is the time package's, so tests run a Monitor with fake checkers
// inside a testing/synctest bubble, where the clock is fake and sleeps are
// instant.
//
// # Privileges
//
// Ping opens a raw ICMP socket and ARP an AF_PACKET socket for each probe:
// both need CAP_NET_RAW, which vipd needs for its adverts anyway. TCP, HTTP
// and exec checks need nothing beyond what their targets ask. Check programs
// run with the daemon's user and a clean environment (see Exec).
package health
