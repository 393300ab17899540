package config

import (
	"net/netip"
	"time"
)

// Group defaults, for the settings that have one.
const (
	DefaultPriority        = 100                     // VRRP priority (RFC 5798 §5.2.4)
	DefaultAdvBase         = 1                       // CARP advbase, seconds (ucarp -b)
	DefaultAdvSkew         = 0                       // CARP advskew, 1/256 s (ucarp -k)
	DefaultInterval        = time.Second             // VRRP advert interval (RFC 5798 §5.2.7)
	DefaultDownAdverts     = 3                       // adverts missed before takeover (RFC 5798 §6.1)
	DefaultPreempt         = true                    // RFC 5798 §6.1 (ucarp's -P is opt-in)
	DefaultTrackLink       = true                    // carrier loss is a fault (ucarp without -S)
	DefaultAddressLifetime = 10 * time.Second        // ceiling of the default, see Group.AddressLifetime
	DefaultAnnounceRepeats = 3                       // gratuitous ARP / NA after the first
	DefaultAnnounceSpacing = 1100 * time.Millisecond // past the 1 s Linux ARP lock time
	DefaultHookTimeout     = 30 * time.Second
)

// Group is one failover group: a set of VIPs that one host at a time holds,
// elected over one link with one protocol (YAML groups[]). Fields that do
// not apply to the group's protocol hold their zero value.
//
// Reloads: match the old and new configuration's groups by Name and compare
// them with SameAs, or list what differs with Changed; Compare does both for
// a whole Config. (Group has no Equal method, so go-cmp diffs it field by
// field; it needs cmp.Comparer for the netip fields.)
type Group struct {
	// Name identifies the group in logs, metrics, hooks and commands
	// (YAML name, required): 1-63 of a-z, 0-9, '_' and '-', starting
	// with a letter or digit, unique in the file.
	Name string
	// Interface is the link the group advertises on and holds its VIPs on
	// (YAML interface, required). Parse checks it is a valid Linux
	// interface name, not that it exists.
	Interface string
	// TrackLink puts the group in Fault while its interface has no carrier
	// (YAML track_link, default true). False keeps the group in the
	// election as long as the interface exists and is administratively up,
	// for links whose carrier says nothing about reachability or flaps
	// while adverts still get through (ucarp -S, keepalived
	// dont_track_primary). A missing or down interface is a fault either
	// way: the group's sockets and VIPs need it.
	TrackLink bool
	// Protocol is the wire protocol (YAML protocol, default CARP).
	Protocol Protocol
	// ID is the CARP vhid or the VRRP VRID, 1-255 (YAML id, required).
	ID uint8
	// Priority is the VRRP priority, 1-255 with 255 meaning the address
	// owner; higher wins (YAML priority, VRRP only, default 100). 0 for
	// CARP.
	Priority uint8
	// AdvBase is the CARP advert base interval in seconds, 0-254 (YAML
	// advbase, CARP only, default 1; ucarp -b).
	AdvBase uint8
	// AdvSkew is added to AdvBase in 1/256 s steps, 0-254; lower is
	// preferred (YAML advskew, CARP only, default 0; ucarp -k). AdvBase and
	// AdvSkew are not both 0.
	AdvSkew uint8
	// Interval is the VRRP advert interval (YAML interval, VRRP only,
	// default 1s): VRRPv3 10ms-40.95s in 10 ms steps, VRRPv2 1s-255s in
	// whole seconds. 0 for CARP; see AdvertInterval.
	Interval time.Duration
	// DownAdverts is how many advert intervals a backup waits before it
	// takes over, 1-255 (YAML down_adverts, default 3): CARP's dead ratio
	// (ucarp --deadratio), keepalived's down_timer_adverts. More tolerates
	// more lost adverts; fewer detects a dead master sooner.
	DownAdverts int
	// AdvertsPerInterval is how many times the master sends its advert per
	// advertised interval, evenly spaced, 1-10 (YAML adverts_per_interval,
	// default 1). Peers keep timing out by the advertised interval, so a
	// backup takes over only when every copy in its wait is lost: a lossy
	// link then needs many more misses in a row to cause a false takeover,
	// at no cost in detection time.
	AdvertsPerInterval int
	// VIPs are the virtual addresses the master holds, each with the prefix
	// length it is added with (YAML vips, required; a bare address gets /32
	// or /128). All of one family: IPv4 for CARP and VRRPv2.
	VIPs []netip.Prefix
	// Source is the primary address adverts are sent from (YAML source).
	// The zero Addr means the daemon uses the link's own address. For
	// VRRPv3 over IPv6 it must be link-local (RFC 5798 §5.1.2.1).
	Source netip.Addr
	// Preempt lets this host take the VIPs from a lesser master (YAML
	// preempt, default true). CARP preempts as soon as it hears the lesser
	// master (ucarp -P); VRRP after the master-down interval (RFC 5798
	// §6.4.2).
	Preempt bool
	// PreemptDelay holds preemption off for this long after the group
	// starts or leaves Fault (YAML preempt_delay, default 0; keepalived
	// preempt_delay).
	PreemptDelay time.Duration
	// ResignSkew is the base of the wait of a backup that hears its master
	// resign (YAML resign_skew, default 0): 0 keeps the protocol's own
	// wait, so vipd takes over exactly when a keepalived or ucarp peer would
	// (VRRP: Skew_Time; CARP: at once); a few milliseconds hands over sooner
	// while keeping the backups' order. At most 1s (CARP, VRRPv2) or the
	// interval (VRRPv3).
	ResignSkew time.Duration
	// Password is the CARP HMAC key (1-19 bytes, required for CARP) or the
	// VRRPv2 simple password (1-8 bytes, optional); VRRPv3 has none (YAML
	// password, or read from PasswordFile by Load).
	Password Secret
	// PasswordFile is the absolute path the password was read from (YAML
	// password_file), or "". Load reads its first line; Parse leaves
	// Password empty when it is set.
	PasswordFile string
	// Peers, if set, are the unicast addresses adverts go to instead of the
	// multicast group (YAML peers): same family as the VIPs.
	Peers []netip.Addr
	// Checksum is the VRRPv3-over-IPv4 checksum variant sent (YAML
	// vrrp3_checksum, default pseudo-header, as keepalived).
	Checksum Checksum
	// AddressLifetime is the kernel lifetime of the VIPs, renewed while this
	// host is master, so that a daemon killed with SIGKILL does not leave
	// them behind for long; 0 keeps them forever (YAML address_lifetime).
	// The default, (DownAdverts − 1) advert intervals less a second, in
	// whole seconds (at least 1s, at most 10s), lets a killed master's VIPs expire before
	// a backup takes over, so two hosts never hold them.
	AddressLifetime time.Duration
	// Announce schedules gratuitous ARP and IPv6 unsolicited neighbour
	// advertisements after a takeover (YAML announce).
	Announce Announce
	// Hooks are the programs run on state changes (YAML hooks).
	Hooks Hooks
	// Checks are the group's health checks, in file order (YAML checks):
	// each either forces Fault while it fails or moves the priority.
	Checks []Check
}

// AdvertInterval is how often the master advertises: Interval for VRRP,
// AdvBase + AdvSkew/256 s for CARP.
func (g *Group) AdvertInterval() time.Duration {
	if g.Protocol == CARP {
		return time.Duration(g.AdvBase)*time.Second + time.Duration(g.AdvSkew)*time.Second/256
	}
	return g.Interval
}

// IPv6 reports whether the group's VIPs (and so its adverts) are IPv6.
func (g *Group) IPv6() bool { return len(g.VIPs) > 0 && g.VIPs[0].Addr().Is6() }

// Announce is when a new master announces its VIPs with gratuitous ARP
// (request and reply forms) and IPv6 unsolicited neighbour advertisements:
// once at the takeover, Repeats more times Spacing apart, then every Refresh
// if it is set (YAML announce).
type Announce struct {
	// Repeats is the number of announcements after the first, 0-255 (YAML
	// announce.repeats, default 3).
	Repeats int
	// Spacing is the time between them (YAML announce.spacing, default
	// 1.1s). Linux ignores a second update of a neighbour entry within its
	// 1 s lock time, so a spacing of 1s or less draws a warning.
	Spacing time.Duration
	// Refresh, if set, re-announces every Refresh while master, for switches
	// that age their tables faster than routers age ARP (YAML
	// announce.refresh, default 0 = off, else at least 1s).
	Refresh time.Duration
}

// Hooks are the programs a group runs on state changes, off the protocol
// loop and after VIPs are released (YAML hooks). Each is an argv list: the
// first element is an absolute path and no shell is involved unless the list
// names one (["/bin/sh", "-c", "..."]). A nil list runs nothing.
type Hooks struct {
	// OnMaster runs on becoming master (YAML hooks.on_master).
	OnMaster []string
	// OnBackup runs on becoming backup (YAML hooks.on_backup).
	OnBackup []string
	// OnFault runs on entering fault (YAML hooks.on_fault).
	OnFault []string
	// OnStop runs when the daemon stops the group (YAML hooks.on_stop).
	OnStop []string
	// OnChange runs on every transition (YAML hooks.on_change).
	OnChange []string
	// Timeout is how long a hook may run before it is killed (YAML
	// hooks.timeout, default 30s).
	Timeout time.Duration
	// UcarpArgs calls each hook as ucarp calls its scripts, with the
	// interface, the VIP and XParam appended (YAML hooks.ucarp_args,
	// default false).
	UcarpArgs bool
	// XParam is ucarp's extra script parameter (YAML hooks.xparam; needs
	// ucarp_args).
	XParam string
}
