package kaimport

import (
	"fmt"
	"strings"
)

// reader collects the parts of the configuration that Import carries over
// and a warning for each one it does not.
type reader struct {
	globals    globals
	scripts    map[string]*script
	instances  []*instance
	syncGroups []*syncGroup
	warns      []Warning
}

func (r *reader) warn(pos Pos, format string, args ...any) {
	r.warns = append(r.warns, Warning{Pos: pos, Text: fmt.Sprintf(format, args...)})
}

// notVRRP are top-level blocks of keepalived's other subsystems, with what
// to say about them.
var notVRRP = map[string]string{
	"virtual_server":       "LVS virtual servers are not part of vipd; keep keepalived's checker (keepalived --check) or ipvsadm for them",
	"virtual_server_group": "LVS virtual servers are not part of vipd",
	"real_server":          "LVS real servers are not part of vipd",
	"static_ipaddress":     "vipd adds no static addresses: configure them with the system's network configuration",
	"static_routes":        "vipd adds no routes: configure them with the system's network configuration, or in a hook",
	"static_rules":         "vipd adds no routing rules: configure them with the system's network configuration, or in a hook",
	"vrrp_track_process":   "vipd has no process tracking: an exec check (pgrep) does the same; not carried over",
	"vrrp_track_file":      "vipd has no file tracking: an exec check reading the file does the same; not carried over",
	"track_file":           "vipd has no file tracking: an exec check reading the file does the same; not carried over",
	"bfd_instance":         "vipd has no BFD; not carried over",
	"garp_group":           "vipd has no GARP rate groups; its announce settings are per group",
	"linkbeat_interfaces":  "vipd follows links by netlink events; nothing to carry over",
	"net_namespace":        "run vipd itself in the namespace (ip netns exec NAME vipd run)",
	"instance":             "keepalived instance names have no vipd equivalent",
}

// top reads the top-level statements: global_defs first, as keepalived
// applies its defaults after reading the whole file.
func (r *reader) top(stmts []*stmt) {
	r.scripts = map[string]*script{}
	for _, s := range stmts {
		if s.key == "global_defs" {
			r.globalDefs(s)
		}
	}
	for _, s := range stmts {
		switch s.key {
		case "global_defs":
		case "vrrp_script":
			r.script(s)
		case "vrrp_instance":
			r.instance(s)
		case "vrrp_sync_group":
			r.syncGroup(s)
		default:
			if why, ok := notVRRP[s.key]; ok {
				r.warn(s.pos, "%s: %s", s.key, why)
			} else {
				r.warn(s.pos, "%s: unknown keyword, not carried over", s.key)
			}
		}
	}
	r.applySyncGroups()
}

func reason(err error, otherwise string) string {
	if err != nil {
		return err.Error()
	}
	return otherwise
}

// tracks reads the entries of a track_script or track_interface block:
// NAME [weight N [reverse|noreverse]].
func (r *reader) tracks(d *stmt) []track {
	var ts []track
	for _, e := range d.block {
		t := track{name: e.key, pos: e.pos}
		if len(e.args) >= 2 && e.args[0] == "weight" {
			if w, err := number(e.args[1], -254, 254); err != nil {
				r.warn(e.pos, "%s %s: weight %v; tracked without weight", d.key, t.name, err)
			} else {
				t.weight, t.hasWeight = w, true
			}
			if len(e.args) > 2 && e.args[2] == "reverse" {
				r.warn(e.pos, "%s %s: vipd has no reversed tracking; the weight is carried over unreversed", d.key, t.name)
			}
		} else if len(e.args) > 0 {
			r.warn(e.pos, "%s %s: %s not understood; tracked without weight", d.key, t.name, strings.Join(e.args, " "))
		}
		ts = append(ts, t)
	}
	return ts
}

func (r *reader) instanceNamed(name string) *instance {
	for _, inst := range r.instances {
		if inst.name == name {
			return inst
		}
	}
	return nil
}
