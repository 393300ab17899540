// Package lab builds a small network in network namespaces and runs real
// failover daemons on it: the `vipd lab` demonstration (Demo), the failover
// benchmark (Bench) and the end-to-end tests (test/e2e; test/interop
// with vipd, keepalived and ucarp hosts in one group).
//
// # The network
//
//	            switch namespace: bridge br0 (no STP, no multicast snooping)
//	    ┌──────────┬──────────┬──────────┬──────────┐
//	   h1         h2         h3       client      (x1 …)
//	192.0.2.1  192.0.2.2  192.0.2.3  192.0.2.200  192.0.2.201
//	2001:db8::1    ::2        ::3        ::200        ::201
//
// Every node is a namespace of its own with one veth link, eth0, whose
// other end is a port of the bridge (named after the node). Nothing links
// to the namespace the lab was started from and no namespace has a default
// route. Addresses come from the documentation ranges only; the VIP is
// 192.0.2.100/24 (VIP4) or 2001:db8::100/64 (VIP6). Namespaces are named
// Prefix + "<pid>-<run>-<role>" under /run/netns when that is writable
// ("ip netns exec vipd-lab-4242-1-h1 ip addr" then works) and stay
// anonymous otherwise; named ones left by a lab whose process died are
// removed by the next lab (RemoveStale). Close removes everything, and
// every entry point calls it on return, on failure and when its context
// ends (Ctrl-C).
//
// # Privileges
//
// The lab needs CAP_SYS_ADMIN to create namespaces and CAP_NET_ADMIN and
// CAP_NET_RAW inside them: root, or unprivileged as root of a user
// namespace where the kernel allows those:
//
//	unshare -rn vipd lab
//
// In that case /run/netns cannot be written (nor mounted over without
// also unsharing the mount namespace), so the namespaces stay anonymous:
// the lab holds them by file descriptor and starts every process from a
// thread inside its namespace, so nothing needs a name. Check reports
// whether namespaces can be created. keepalived, ucarp, nft and vipd all
// work unprivileged this way (checked on Linux 6.18).
//
// # What the client measures
//
// Every host runs a responder (goroutines of the lab's process, with
// sockets opened inside the host's namespace) that answers UDP probes to
// ProbePort on any local address, from that address, with the host's name.
// The client sends two kinds of probes:
//
//   - Stream probes, every ProbeInterval (2 ms) to each VIP, routed as any
//     client's packets are: through the client's ARP or neighbour entry
//     for the VIP, which gratuitous ARP and unsolicited NA update. The gaps
//     between answered probes are the client-observed downtime (Timeline).
//   - Sweep probes, every SweepInterval (10 ms): one Ethernet frame per
//     host, addressed to that host's MAC with the VIP as destination, so
//     every host whose kernel holds the VIP answers, whichever host the
//     client's entry points at. Two answers in one round mean two hosts
//     answer for the VIP (SweepLog): a split brain that a client with a
//     different ARP entry would hit.
//
// The hosts have permanent neighbour entries for the client, so that
// answering a sweep never makes a host resolve the client with an ARP
// request sent from the VIP, which would teach the client where the VIP is
// and disturb what is measured. An rtnetlink watch in every host's
// namespace records each VIP addition and removal (VIPEvent): master
// changes are counted there, whatever the implementation logs. The probe
// traffic is bounded (500 stream probes per second per VIP, 100 sweep
// frames per second per host and VIP) and stops with Close.
//
// # Failure phases
//
// A backup takes over a fixed time after the last advert it heard, so a
// failure φ after the master's advert is detected φ sooner. With
// Options.Phase set, each scenario waits after Ready for the master's next
// advert of the target group, read off the master's switch port by an
// AF_PACKET socket in the switch namespace (protocol 112, multicast or
// unicast, IPv4 or IPv6; a socket filter keeps only frames coming from the
// host), then Phase × the master's advert period; Result.AfterAdvert says
// how long after that advert the failure came. Bench gives run r of N the
// phase (r − 0.5)/N, so implementations meet the same phases. Without a
// phase a scenario waits a random part of one interval.
//
// # Equivalent settings
//
// A Profile (protocol, advert interval, adverts missed before takeover) is
// translated into each implementation's configuration so that the three
// can be compared, or run side by side; host rank r (0 = preferred) sets
// the preference:
//
//	setting            vipd (vipd.yaml)         keepalived (keepalived.conf)   ucarp (argv)
//	protocol           vrrp3 (carp, vrrp2)      vrrp_instance, version 3 (2)   CARP
//	key                password (carp, vrrp2)   auth_type PASS (version 2)     --pass
//	advert source      source                   mcast_src_ip / unicast_src_ip  --srcip
//	id                 id: 10                   virtual_router_id 10           --vhid=10
//	preference         priority: 250-50r        priority 250-50r               --advskew=256-priority
//	advert interval    interval: 1s             advert_int 1                   --advbase=1
//	missed adverts     down_adverts: 3          down_timer_adverts (if not 3)  --deadratio=3
//	preemption         preempt (default true)   default on / nopreempt         --preempt / none
//	start state        backup                   state BACKUP                   backup
//	VIP                vips: [192.0.2.100/24]   virtual_ipaddress … dev eth0    --addr + up/down scripts
//	unicast            peers, source            unicast_peer, unicast_src_ip   (not supported)
//	graceful stop      SIGTERM: resign          SIGTERM: priority 0            SIGTERM + --shutdown
//	                                                                            (down script, no resign)
//
// With CARP's advskew = 256 − priority, a CARP backup's down interval
// (advbase × dead ratio + advskew/256 s) equals a VRRPv3 backup's
// (3 × interval + (256 − priority)/256 × interval) at 1 s adverts; the
// CARP master advertises every 1 + advskew/256 s (1.023 s for the preferred
// host) where VRRP's advertises every 1 s. ucarp's scripts do the address
// work (ip addr add/del, plus arping -U in the background when installed;
// ucarp sends a gratuitous ARP itself). keepalived runs in the foreground
// (--dont-fork --vrrp) with its own pid files in the host's directory.
// vipd gets a CARP password (Password) and a control socket and state file
// in the host's directory. Kill9 sends SIGKILL to the daemon's whole
// process group (keepalived's VRRP child, ucarp's scripts).
//
// # Mixed labs
//
// Options.HostImpls runs a different implementation on each host, so
// that vipd shares a group with keepalived or ucarp (test/interop). The
// profile's protocol is what every host speaks: VRRP3 or VRRP2 for vipd
// with keepalived, CARP for vipd with ucarp (keepalived and ucarp share no
// protocol). Group.Password is the group's key: the CARP password (the
// lab's Password by default) or the VRRPv2 PASS password (none by
// default). Options.Sources moves a host's IPv4 adverts to another address,
// which the lab adds to its link; addresses from NetAlt4 (198.51.100.0/24)
// differ from the hosts' own before the last octet, which CARP's
// tie-break by source address needs to tell byte orders apart. Each
// host's log is named after its implementation (h1/vipd.log,
// h2/keepalived.log).
//
// # Concurrency
//
// New starts the lab's goroutines (one locked thread per namespace, two
// per responder, three for the client, one per address watch); Close stops
// them all and waits for them. A Lab's methods are not meant to be called
// from several goroutines at once, except the read-only observations
// (Answering, Timeline, Sweep, VIPEvents, Holders), which are.
package lab
