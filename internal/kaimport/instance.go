package kaimport

import (
	"net/netip"
	"strings"
)

// instanceWhy explains vrrp_instance keywords vipd does not carry over.
var instanceWhy = map[string]string{
	"use_vmac":                   "vipd uses the interface's own MAC address, not a virtual MAC (RFC 5798 §7.3); peers and switches learn the new master from its gratuitous ARPs",
	"use_vmac_addr":              "vipd has no virtual MAC interfaces",
	"vmac_xmit_base":             "vipd has no virtual MAC interfaces",
	"use_ipvlan":                 "vipd has no ipvlan interfaces",
	"virtual_ipaddress_excluded": "vipd advertises all of a group's VIPs; put these in another group or add them in a hook",
	"virtual_routes":             "vipd adds no routes: add them in the on_master hook and remove them in on_backup",
	"virtual_rules":              "vipd adds no routing rules: add them in the on_master hook and remove them in on_backup",
	"track_file":                 "vipd has no file tracking; an exec check reading the file does the same",
	"track_process":              "vipd has no process tracking; an exec check (pgrep) does the same",
	"track_bfd":                  "vipd has no BFD",
	"smtp_alert":                 "vipd sends no e-mail; an on_change hook can",
	"strict_mode":                "vipd does not enforce keepalived's strict mode",
	"no_accept":                  "vipd always adds the VIPs as local addresses, so the master answers on them (accept mode)",
	"accept":                     "vipd always adds the VIPs as local addresses (accept mode): nothing to carry over",
	"promote_secondaries":        "vipd turns promote_secondaries on by itself before it removes an address that has secondaries",
	"garp_master_delay":          "vipd announces once at takeover and then announce.repeats more times announce.spacing apart (default 3 × 1.1s)",
	"garp_master_repeat":         "vipd announces once at takeover and then announce.repeats more times announce.spacing apart (default 3 × 1.1s)",
	"garp_lower_prio_delay":      "vipd has no such setting",
	"garp_lower_prio_repeat":     "vipd has no such setting",
	"garp_master_refresh_repeat": "vipd sends one announcement per refresh",
	"garp_extra_if":              "vipd announces on the group's interface only",
	"mcast_dst_ip":               "vipd uses the standard groups 224.0.0.18 and ff02::12 only",
	"check_unicast_src":          "vipd accepts adverts from any source with TTL 255 and the right id and authentication",
	"unicast_ttl":                "vipd sends with TTL 255 and accepts nothing else, as RFC 5798 requires",
	"unicast_fault_no_peer":      "vipd requires peers in unicast mode anyway",
	"lower_prio_no_advert":       "vipd has no such setting",
	"higher_prio_send_advert":    "vipd has no such setting",
	"skip_check_adv_addr":        "vipd has no such setting",
	"notify_master_rx_lower_pri": "vipd has no such hook",
	"notify_deleted":             "vipd runs on_stop when a group is removed on reload",
	"notify_priority_changes":    "vipd has no priority-change notifications",
	"native_ipv6":                "the VIPs' family decides (as in keepalived, where this keyword is deprecated)",
	"track_src_ip":               "vipd takes the interface's address when source is not set, and waits for it to appear",
	"kernel_rx_buf_size":         "vipd has no such setting",
	"linkbeat_use_polling":       "vipd follows links by netlink events",
	"debug":                      "use log.level: debug",
	"vrf":                        "vipd has no VRF support",
}

// instance reads a vrrp_instance.
func (r *reader) instance(s *stmt) {
	inst := &instance{name: s.arg(0), pos: s.pos}
	if inst.name == "" {
		r.warn(s.pos, "vrrp_instance without a name is not carried over")
		return
	}
	if r.instanceNamed(inst.name) != nil {
		r.warn(s.pos, "vrrp_instance %s is defined twice; the second is not carried over", inst.name)
		return
	}
	for _, d := range s.block {
		r.instanceKeyword(inst, d)
	}
	r.instances = append(r.instances, inst)
}

func (r *reader) instanceKeyword(inst *instance, d *stmt) {
	switch d.key {
	case "state":
		inst.state, inst.statePos = strings.ToUpper(d.arg(0)), d.pos
	case "interface":
		inst.iface = d.arg(0)
	case "virtual_router_id":
		if v, err := number(d.arg(0), 1, 255); err != nil {
			r.warn(d.pos, "virtual_router_id: %v", err)
		} else {
			inst.vrid = v
		}
	case "priority":
		if v, err := number(d.arg(0), 1, 255); err != nil {
			r.warn(d.pos, "priority: %v; keepalived's default is used", err)
		} else {
			inst.priority = v
		}
	case "advert_int":
		if v, err := seconds(d.arg(0), 255); err != nil || v == 0 {
			r.warn(d.pos, "advert_int: %s; the default 1s is used", reason(err, "0 is not an interval"))
		} else {
			inst.advert, inst.advertPos = v, d.pos
		}
	case "version", "vrrp_version":
		if v, err := number(d.arg(0), 2, 3); err != nil {
			r.warn(d.pos, "%s: %v; the default is used", d.key, err)
		} else {
			inst.version, inst.versionPos = v, d.pos
		}
	case "nopreempt", "no_preempt":
		inst.nopreempt, inst.nopreemptPos = true, d.pos
	case "preempt":
		inst.nopreempt = false
	case "preempt_delay":
		if v, err := seconds(d.arg(0), 1000); err != nil {
			r.warn(d.pos, "preempt_delay: %v; not carried over", err)
		} else {
			inst.preemptDelay = v
		}
	case "authentication":
		r.authentication(inst, d)
	case "virtual_ipaddress":
		for _, l := range d.block {
			if v, ok := r.vipLine(l); ok {
				inst.vips = append(inst.vips, v)
			}
		}
	case "unicast_src_ip", "mcast_src_ip":
		if a, err := netip.ParseAddr(d.arg(0)); err != nil || a.Zone() != "" {
			r.warn(d.pos, "%s: %q is not an IP address; not carried over", d.key, d.arg(0))
		} else {
			inst.source, inst.sourcePos = a, d.pos
		}
	case "unicast_peer":
		for _, l := range d.block {
			if p, ok := r.peerLine(l); ok {
				inst.peers = append(inst.peers, p)
			}
		}
	case "dont_track_primary":
		inst.dontTrack, inst.dontTrackPos = true, d.pos
	case "track_interface":
		inst.trackIfaces = append(inst.trackIfaces, r.tracks(d)...)
	case "track_script":
		inst.trackScripts = append(inst.trackScripts, r.tracks(d)...)
	case "notify_master", "notify_backup", "notify_fault", "notify_stop", "notify":
		r.notify(inst, d)
	case "down_timer_adverts":
		if v, err := number(d.arg(0), 1, 100); err != nil {
			r.warn(d.pos, "down_timer_adverts: %v; not carried over", err)
		} else {
			inst.downAdverts = v
		}
	case "garp_master_refresh":
		if v, err := seconds(d.arg(0), 86400); err != nil {
			r.warn(d.pos, "garp_master_refresh: %v; not carried over", err)
		} else {
			inst.garpRefresh, inst.garpPos = v, d.pos
		}
	case "old_unicast_checksum":
		inst.oldChecksum, inst.oldChecksumAt = d.arg(0) != "never", d.pos
	default:
		if why, ok := instanceWhy[d.key]; ok {
			r.warn(d.pos, "%s: %s; not carried over", d.key, why)
		} else {
			r.warn(d.pos, "%s: unknown vrrp_instance keyword, not carried over", d.key)
		}
	}
}

// authentication reads the authentication block.
func (r *reader) authentication(inst *instance, d *stmt) {
	inst.authPos = d.pos
	for _, a := range d.block {
		switch a.key {
		case "auth_type":
			inst.authType = strings.ToUpper(a.arg(0))
		case "auth_pass":
			inst.authPass = a.arg(0)
		default:
			r.warn(a.pos, "authentication %s: not carried over", a.key)
		}
	}
}

// notify reads a notify script with keepalived's optional user and group.
func (r *reader) notify(inst *instance, d *stmt) {
	k := notifyKind(0)
	for i, kw := range notifyKeywords {
		if kw == d.key {
			k = notifyKind(i)
		}
	}
	argv, pos := r.commandLine(d, d.key)
	if argv == nil {
		return
	}
	if len(d.args) > 1 {
		r.warn(d.pos, "%s: vipd runs hooks as its own user, not as %s; not carried over", d.key, strings.Join(d.args[1:], ":"))
	}
	if inst.notify[k] != nil {
		r.warn(d.pos, "%s is set twice; the last one counts, as in keepalived", d.key)
	}
	inst.notify[k] = &command{argv: argv, pos: pos}
}

// vipOptions are the words of a virtual_ipaddress line that take a value.
var vipOptions = map[string]bool{"brd": true, "broadcast": true, "dev": true, "scope": true, "label": true, "peer": true, "preferred_lft": true, "track_group": true}

// vipLine reads "ADDRESS[/PREFIX] [dev IF] [label L] ...".
func (r *reader) vipLine(l *stmt) (vip, bool) {
	v := vip{pos: l.pos}
	p, ok := parsePrefix(l.key)
	if !ok {
		r.warn(l.pos, "virtual_ipaddress %s: not an address; not carried over", l.key)
		return v, false
	}
	v.prefix = p
	for i := 0; i < len(l.args); i++ {
		w := l.args[i]
		if vipOptions[w] && i+1 < len(l.args) {
			val := l.args[i+1]
			i++
			switch w {
			case "dev":
				v.dev = val
			case "label":
				r.warn(l.pos, "virtual_ipaddress %s label %s: vipd adds addresses without labels, so ifconfig-style %s does not appear; not carried over", l.key, val, val)
			default:
				r.warn(l.pos, "virtual_ipaddress %s %s %s: not carried over", l.key, w, val)
			}
			continue
		}
		r.warn(l.pos, "virtual_ipaddress %s %s: not carried over", l.key, w)
	}
	return v, true
}

// peerLine reads "ADDRESS [min_ttl N] [max_ttl N]".
func (r *reader) peerLine(l *stmt) (vip, bool) {
	a, err := netip.ParseAddr(l.key)
	if err != nil || a.Zone() != "" {
		r.warn(l.pos, "unicast_peer %s: not an IP address; not carried over", l.key)
		return vip{}, false
	}
	if len(l.args) > 0 {
		r.warn(l.pos, "unicast_peer %s %s: the TTL limits are not carried over: vipd accepts any TTL from a listed peer and 255 from anyone else", l.key, strings.Join(l.args, " "))
	}
	return vip{prefix: netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()), pos: l.pos}, true
}

// parsePrefix reads an address or address/prefix; a bare address gets the
// full length, as keepalived does.
func parsePrefix(s string) (netip.Prefix, bool) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		return p, err == nil && p.Addr().Zone() == ""
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Prefix{}, false
	}
	return netip.PrefixFrom(a, a.BitLen()), true
}
