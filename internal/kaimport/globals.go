package kaimport

// globalDefs reads global_defs.
func (r *reader) globalDefs(s *stmt) {
	g := &r.globals
	for _, d := range s.block {
		switch d.key {
		case "router_id":
			g.routerID, g.routerIDPos = d.arg(0), d.pos
		case "vrrp_version":
			if v, err := number(d.arg(0), 2, 3); err != nil {
				r.warn(d.pos, "vrrp_version: %v; not carried over", err)
			} else {
				g.version, g.versionPos = v, d.pos
			}
		case "vrrp_down_timer_adverts":
			if v, err := number(d.arg(0), 1, 100); err != nil {
				r.warn(d.pos, "vrrp_down_timer_adverts: %v; not carried over", err)
			} else {
				g.downAdverts = v
			}
		case "vrrp_garp_master_refresh":
			if v, err := seconds(d.arg(0), 86400); err != nil {
				r.warn(d.pos, "vrrp_garp_master_refresh: %v; not carried over", err)
			} else {
				g.garpRefresh, g.garpPos = v, d.pos
			}
		default:
			r.warn(d.pos, "global_defs %s: %s", d.key, globalWhy(d))
		}
	}
}

// globalWhy explains a global_defs keyword vipd does not carry over.
func globalWhy(d *stmt) string {
	switch d.key {
	case "notification_email", "notification_email_from", "smtp_server", "smtp_connect_timeout",
		"smtp_helo_name", "smtp_alert", "smtp_alert_vrrp", "smtp_alert_checker", "no_email_faults":
		return "vipd sends no e-mail: an on_change hook can; not carried over"
	case "script_user":
		return "vipd runs hooks as its own user (root under systemd) with a clean environment; not carried over"
	case "enable_script_security":
		return "vipd does not check who can write the scripts it runs: keep them owned by root and not writable by others"
	case "vrrp_strict":
		return "vipd always checks TTL 255 and refuses unauthenticated-looking mistakes itself; strict mode's other rules (no unicast, no authentication) are not enforced"
	case "vrrp_mcast_group4", "vrrp_mcast_group6":
		return "vipd uses the standard groups 224.0.0.18 and ff02::12 only; not carried over"
	case "vrrp_garp_master_delay", "vrrp_garp_master_repeat", "vrrp_garp_interval", "vrrp_gna_interval",
		"vrrp_min_garp", "vrrp_garp_lower_prio_delay", "vrrp_garp_lower_prio_repeat", "vrrp_garp_master_refresh_repeat":
		return "vipd announces once at takeover and then announce.repeats more times announce.spacing apart (default 3 × 1.1s, past the Linux ARP lock time); not carried over"
	case "vrrp_check_unicast_src":
		return "vipd accepts adverts from any source with the right TTL, id and authentication; not carried over"
	case "vrrp_skip_check_adv_addr", "vrrp_lower_prio_no_advert", "vrrp_higher_prio_send_advert", "vrrp_priority", "vrrp_no_swap", "vrrp_rt_priority", "vrrp_cpu_affinity":
		return "vipd has no such setting; not carried over"
	case "default_interface":
		return "vipd groups name their interface; not carried over"
	case "dynamic_interfaces":
		return "vipd always allows interfaces that appear later; nothing to carry over"
	}
	return "not carried over (vipd has no equivalent)"
}
