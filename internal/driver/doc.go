// Package driver runs one failover group: it owns the group's state machine
// (internal/fsm) and connects it to the world through the netif roles. One
// loop per group receives decoded adverts, link changes, health changes,
// operator commands, other hosts' claims of its VIPs and its single timer,
// steps the machine, and carries out the effects in order: send adverts, set
// the VIPs, announce them, hand hook events to the hook runner. The loop
// follows its interface through deletion and re-creation (link.go) and
// answers claims of its VIPs with a re-announcement (conflict.go).
//
// Goroutines start only in Run and all end with it. Everything the loop owns
// (the machine, the counters, the connection) is touched by the loop alone;
// other goroutines talk to it through channels, so there are no locks.
package driver
