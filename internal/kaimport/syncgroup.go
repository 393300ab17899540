package kaimport

import "strings"

// syncGroup reads a vrrp_sync_group.
func (r *reader) syncGroup(s *stmt) {
	sg := &syncGroup{name: s.arg(0), pos: s.pos}
	for _, d := range s.block {
		switch d.key {
		case "group":
			for _, m := range d.block {
				sg.members = append(sg.members, m.key)
				sg.members = append(sg.members, m.args...)
			}
		case "track_interface":
			sg.trackIfaces = r.tracks(d)
		case "track_script":
			sg.trackScripts = r.tracks(d)
		case "sync_group_tracking_weight":
			sg.keepWeights = true
		case "notify_master", "notify_backup", "notify_fault", "notify_stop", "notify":
			r.warn(d.pos, "vrrp_sync_group %s %s: vipd has no sync groups, so no group-wide notify; put the script on the member groups' hooks", sg.name, d.key)
		default:
			r.warn(d.pos, "vrrp_sync_group %s %s: not carried over", sg.name, d.key)
		}
	}
	r.warn(s.pos, "vrrp_sync_group %s: vipd has no sync groups: each member (%s) is elected on its own. "+
		"Give the members the same priorities and the same checks on each host, as this import does with the group's tracking, "+
		"so that they fail over together; a fault of one member no longer moves the others",
		sg.name, strings.Join(sg.members, ", "))
	r.syncGroups = append(r.syncGroups, sg)
}

// applySyncGroups marks the members of sync groups and gives them the
// group's tracking, as keepalived applies it to every member.
func (r *reader) applySyncGroups() {
	for _, sg := range r.syncGroups {
		for _, name := range sg.members {
			inst := r.instanceNamed(name)
			if inst == nil {
				r.warn(sg.pos, "vrrp_sync_group %s names %s, which is no vrrp_instance", sg.name, name)
				continue
			}
			if inst.syncGroup != "" {
				r.warn(sg.pos, "vrrp_sync_group %s: %s is already in vrrp_sync_group %s", sg.name, name, inst.syncGroup)
				continue
			}
			inst.syncGroup, inst.syncWeights = sg.name, sg.keepWeights
			inst.trackIfaces = append(inst.trackIfaces, sg.trackIfaces...)
			inst.trackScripts = append(inst.trackScripts, sg.trackScripts...)
		}
	}
}
