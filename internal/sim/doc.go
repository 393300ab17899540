// Package sim is a deterministic simulator of failover groups: N hosts, each
// running one fsm.Machine per group, on a virtual L2 segment. It exists for
// tests. There are no goroutines and no real time: a discrete-event loop
// pops events off a queue ordered by a virtual clock, steps the machines and
// carries out their effects.
//
//	s, _ := sim.New(cfg)                    // hosts boot at cfg.Hosts[i].Boot
//	s.At(2*time.Second, sim.Crash{Host: 0}) // scripted disturbances
//	err := s.RunUntil(10 * time.Second)     // first invariant violation, if any
//
// Events are machine deadlines (re-armed from Machine.Deadline after every
// Step), advert deliveries and scripted Actions. A SendAdvert reaches every
// other member of the group whose host is up, whose link is up and that is on
// the sender's side of any partition; a seeded RNG (math/rand/v2, PCG) decides
// loss, delay (base plus uniform jitter, which reorders adverts when it
// exceeds their spacing) and duplication. Events at the same instant run in
// the order they were scheduled, so a seed and a script always give the same
// run.
//
// After every event the simulator checks the invariants documented in
// invariants.go, each inside a precise window after the last disturbance;
// the first violation stops the run with a *Violation that names the seed.
// Generate and FromBytes build random scenarios for the randomized test and
// the fuzz target.
package sim
