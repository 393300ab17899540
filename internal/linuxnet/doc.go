// Package linuxnet implements the netif roles on Linux:
//
//   - Addresses (netif.Addresses): VIPs added and removed with rtnetlink,
//     marked with the address protocol IFA_PROTO = AddressProtocol (112;
//     Linux ≥ 6.1), so that vipd removes only addresses that carry the mark,
//     also after a crash and restart; each VIP has a kernel lifetime that
//     SetVIPs renews, so the VIPs of a daemon killed with -9 expire on their
//     own; IPv6 VIPs are added with IFA_F_NODAD.
//   - Announcer (netif.Announcer): gratuitous ARP (request and reply) and
//     unsolicited neighbour advertisements (override set) as Ethernet frames
//     on one AF_PACKET socket per link.
//   - Adverts (netif.Adverts): raw IP protocol-112 sockets bound to one
//     interface, multicast (224.0.0.18, ff02::12) or unicast, TTL / hop
//     limit 255, received TTL and kernel receive time (SO_TIMESTAMPNS)
//     reported, no allocation per received packet.
//   - LinkWatcher (netif.LinkWatcher): rtnetlink link notifications,
//     followed by name through deletion, re-creation and renames.
//   - Sources (netif.Sources): the primary address of an interface (IPv6
//     link-local, first global IPv4), read afresh at each call, never a
//     VIP or a tentative address.
//   - Claims (netif.ClaimWatcher): an AF_PACKET socket per watch with a
//     socket filter for ARP and neighbour advertisements, reporting other
//     hosts' claims of the watched addresses.
//   - Timers (netif.Timers): timerfd timers, which fire at their deadline
//     where Go's runtime timers wait on epoll's millisecond timeout and its
//     slack.
//
// Each implementation works in the network namespace that was current for
// the thread that built it, whatever goroutine uses it later: sockets are
// created there (a socket stays in the namespace it was created in). Tests
// build them inside a namespace with nstest.NS.Do.
//
// Constructors start no goroutines, except Timers.NewTimer, whose timer
// delivers its fires from a goroutine of its own until Stop; Watch runs in its caller's goroutine
// until its context ends. Errors start with "linuxnet: " and wrap their
// cause. Privileges: CAP_NET_ADMIN for addresses, CAP_NET_RAW for adverts,
// announcements and claim watches.
//
// The privileged tests (build tag netns) run on veth pairs between network
// namespaces made by the nstest package.
package linuxnet
