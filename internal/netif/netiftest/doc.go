// Package netiftest has fakes of the netif roles for tests of the code that
// uses them (the driver). They keep their state in memory, render it as
// text that tests compare, start no goroutines of their own, and read the
// time only through time.Now, so they work inside testing/synctest bubbles:
// address lifetimes run out on the bubble's clock.
//
//   - Addresses: an address table with owners, marks and lifetimes, shown as
//     "ip addr add 192.0.2.10/24 dev eth0" lines.
//   - Announcer: records announcements.
//   - Segment and Host: a channel-backed link that carries adverts between
//     hosts, multicast and unicast, and lets a test inject forged packets.
//   - Links: link states that a test sets and Watch reports.
//   - Sources: primary addresses that a test sets.
//   - Claims: claims of addresses by other hosts that a test makes and
//     WatchClaims reports.
//   - Timers: Go's runtime timers.
package netiftest
