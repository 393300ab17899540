package kaimport

import (
	"cmp"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/vipd/vipd/internal/config"
)

// Interval limits of the two VRRP versions in vipd.
const (
	maxV3Interval = 4095 * 10 * time.Millisecond // 12 bits of centiseconds
	minV3Interval = 10 * time.Millisecond
	maxV2Interval = 255 * time.Second
)

// convert turns one vrrp_instance into a group, or reports why it cannot.
func (r *reader) convert(inst *instance, names map[string]bool) *group {
	g := &group{inst: inst}
	iface := inst.iface
	if iface == "" {
		for _, v := range inst.vips {
			if v.dev != "" {
				iface = v.dev
				r.warn(inst.pos, "vrrp_instance %s has no interface: its group runs on %s, the dev of its first VIP", inst.name, iface)
				break
			}
		}
	}
	switch {
	case iface == "":
		r.warn(inst.pos, "vrrp_instance %s has no interface (and no VIP names a dev); not carried over", inst.name)
		return nil
	case inst.vrid == 0:
		r.warn(inst.pos, "vrrp_instance %s has no valid virtual_router_id; not carried over", inst.name)
		return nil
	case len(inst.vips) == 0:
		r.warn(inst.pos, "vrrp_instance %s has no virtual_ipaddress; vipd groups need at least one VIP; not carried over", inst.name)
		return nil
	}
	desc := "vrrp_instance " + inst.name
	g.add(&field{key: "name", node: strNode(groupName(inst.name, names)), desc: desc, pos: inst.pos, required: true})
	g.add(&field{key: "interface", node: strNode(iface), desc: "interface " + iface, pos: inst.pos, required: true})
	if inst.dontTrack {
		g.add(&field{key: "track_link", node: boolNode(false), desc: "dont_track_primary", pos: inst.dontTrackPos})
	}
	ipv6 := inst.vips[0].prefix.Addr().Is6()
	version := r.version(inst, ipv6)
	g.add(&field{key: "protocol", node: strNode(fmt.Sprintf("vrrp%d", version)), desc: desc, pos: inst.pos, required: true})
	g.add(&field{key: "id", node: intNode(inst.vrid), desc: fmt.Sprintf("virtual_router_id %d", inst.vrid), pos: inst.pos, required: true})
	g.add(&field{key: "priority", node: intNode(r.priority(inst)), desc: "priority", pos: inst.pos})
	g.add(&field{key: "interval", node: durNode(r.interval(inst, version)), desc: "advert_int", pos: inst.advertPos})
	if n := cmp.Or(inst.downAdverts, r.globals.downAdverts); n != 0 {
		g.add(&field{key: "down_adverts", node: intNode(n), desc: "down_timer_adverts", pos: inst.pos})
	}
	vips := g.add(&field{key: "vips", flow: true, desc: "virtual_ipaddress", pos: inst.pos, required: true})
	for _, v := range inst.vips {
		if v.dev != "" && v.dev != iface {
			r.warn(v.pos, "virtual_ipaddress %s dev %s: a vipd group holds its VIPs on its own interface (%s); give %s a group of its own on %s; not carried over", v.prefix, v.dev, iface, v.prefix, v.dev)
			continue
		}
		vips.items = append(vips.items, &item{value: prefixText(v), desc: "virtual_ipaddress " + v.prefix.String(), pos: v.pos})
	}
	if inst.source.IsValid() {
		g.add(&field{key: "source", node: strNode(inst.source.String()), desc: "unicast_src_ip " + inst.source.String(), pos: inst.sourcePos})
	}
	if len(inst.peers) > 0 {
		peers := g.add(&field{key: "peers", flow: true, desc: "unicast_peer", pos: inst.pos})
		for _, p := range inst.peers {
			peers.items = append(peers.items, &item{value: p.prefix.Addr().String(), desc: "unicast_peer " + p.prefix.Addr().String(), pos: p.pos})
		}
	}
	g.add(&field{key: "preempt", node: boolNode(!inst.nopreempt), desc: "nopreempt", pos: cmpPos(inst.nopreemptPos, inst.pos)})
	if inst.nopreempt && inst.state == "MASTER" {
		r.warn(inst.nopreemptPos, "nopreempt with state MASTER: keepalived ignores nopreempt for an instance that starts as MASTER; vipd honours it, since it starts every group as backup")
	}
	switch {
	case inst.preemptDelay > 0 && inst.nopreempt:
		r.warn(inst.nopreemptPos, "preempt_delay with nopreempt: keepalived resets the delay, and so does this import")
	case inst.preemptDelay > 0:
		g.add(&field{key: "preempt_delay", node: durNode(inst.preemptDelay), desc: "preempt_delay", pos: inst.pos})
	}
	r.auth(g, inst, version)
	if inst.oldChecksum {
		if version == 3 && !ipv6 {
			g.add(&field{key: "vrrp3_checksum", node: strNode("group-pseudo-header"), desc: "old_unicast_checksum", pos: inst.oldChecksumAt})
		} else {
			r.warn(inst.oldChecksumAt, "old_unicast_checksum: only VRRPv3 over IPv4 has checksum variants; not carried over")
		}
	}
	if refresh, pos := r.refresh(inst); refresh > 0 {
		g.add(&field{key: "announce.refresh", node: durNode(refresh), desc: "garp_master_refresh", pos: pos})
	}
	if inst.state == "MASTER" {
		r.warn(inst.statePos, "state MASTER: vipd starts every group as backup and lets the election decide; keepalived's state is only where it starts; not carried over")
	}
	g.checks = r.checks(inst, iface)
	r.hooks(g, inst)
	return g
}

// version is the instance's VRRP version: its own, else global_defs
// vrrp_version, else keepalived's default 2; IPv6 is always 3.
func (r *reader) version(inst *instance, ipv6 bool) int {
	v := cmp.Or(inst.version, r.globals.version, 2)
	if ipv6 && v == 2 {
		if inst.version == 2 {
			r.warn(inst.versionPos, "version 2 with IPv6 VIPs: keepalived runs IPv6 instances as VRRPv3, and so does vipd")
		}
		v = 3
	}
	return v
}

// priority is the instance's priority or keepalived's default: 255 (the
// address owner) for state MASTER, else 100.
func (r *reader) priority(inst *instance) int {
	switch {
	case inst.priority != 0:
		return inst.priority
	case inst.state == "MASTER":
		r.warn(inst.statePos, "state MASTER without priority: keepalived then uses priority 255 (the address owner), and so does this group")
		return 255
	}
	return config.DefaultPriority
}

// interval is advert_int within the version's limits: whole seconds for
// VRRPv2 (keepalived rounds too), centiseconds up to 40.95s for VRRPv3.
func (r *reader) interval(inst *instance, version int) time.Duration {
	d := inst.advert
	if d == 0 {
		return config.DefaultInterval
	}
	var got time.Duration
	if version == 2 {
		got = max(time.Second, min(maxV2Interval, time.Duration(math.Round(d.Seconds()))*time.Second))
	} else {
		got = max(minV3Interval, min(maxV3Interval, d.Round(10*time.Millisecond)))
	}
	if got != d {
		r.warn(inst.advertPos, "advert_int %s: VRRPv%d can carry %s, which is used", d, version, got)
	}
	return got
}

// auth carries a VRRPv2 simple password over; vipd has no AH, and VRRPv3
// has no authentication.
func (r *reader) auth(g *group, inst *instance, version int) {
	switch {
	case inst.authType == "" && inst.authPass == "":
	case version == 3:
		r.warn(inst.authPos, "authentication: VRRPv3 has none (RFC 5798), and keepalived ignores it too; not carried over")
	case inst.authType == "AH":
		r.warn(inst.authPos, "authentication AH: vipd has no IPsec AH authentication, so it cannot share this group with keepalived hosts that use it; not carried over")
	case inst.authType != "PASS" && inst.authType != "":
		r.warn(inst.authPos, "auth_type %s: not understood; not carried over", inst.authType)
	case inst.authPass == "":
		r.warn(inst.authPos, "authentication without auth_pass: not carried over")
	default:
		pw := inst.authPass
		if len(pw) > config.MaxVRRP2Password {
			pw = pw[:config.MaxVRRP2Password]
			r.warn(inst.authPos, "auth_pass: keepalived uses only the first %d characters, and so does vipd (which refuses longer passwords): write %q", config.MaxVRRP2Password, pw)
		}
		g.add(&field{key: "password", node: strNode(pw), desc: "auth_pass", pos: inst.authPos})
	}
}

// refresh is garp_master_refresh (or the global default) in whole seconds.
func (r *reader) refresh(inst *instance) (time.Duration, Pos) {
	d, pos := inst.garpRefresh, inst.garpPos
	if d == 0 {
		d, pos = r.globals.garpRefresh, r.globals.garpPos
	}
	if d == 0 {
		return 0, pos
	}
	return max(time.Second, d.Round(time.Second)), pos
}

// prefixText writes a VIP as keepalived had it: bare when it had no
// prefix length.
func prefixText(v vip) string {
	if v.prefix.Bits() == v.prefix.Addr().BitLen() {
		return v.prefix.Addr().String()
	}
	return v.prefix.String()
}

// groupName turns an instance name into a unique vipd group name: lower
// case, characters vipd does not take replaced by '-'.
func groupName(inst string, taken map[string]bool) string {
	var b strings.Builder
	for _, c := range strings.ToLower(inst) {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '_', c == '-':
			b.WriteRune(c)
		default:
			b.WriteByte('-')
		}
	}
	base := strings.TrimLeft(b.String(), "_-")
	if base == "" {
		base = "group"
	}
	base = base[:min(len(base), 56)]
	name := base
	for n := 2; taken[name]; n++ {
		name = fmt.Sprintf("%s-%d", base, n)
	}
	taken[name] = true
	return name
}

func cmpPos(p, otherwise Pos) Pos {
	if p.Line != 0 {
		return p
	}
	return otherwise
}
