package kaimport

import (
	"os"
	"slices"

	"github.com/vipd/vipd/internal/config"
)

// Options configures Import.
type Options struct {
	// ConfigID is keepalived's configuration id (its -i option), which
	// decides the lines that start with @ID or @^ID. Empty means the host
	// name, as in keepalived.
	ConfigID string
}

// Result is a keepalived configuration turned into vipd's.
type Result struct {
	// YAML is the vipd configuration. It passes config.Parse.
	YAML []byte
	// Config is YAML, parsed.
	Config *config.Config
	// Warnings are the settings not carried over, or carried over with a
	// difference, in the order of the files (as included) and lines.
	Warnings []Warning
}

// Import reads the keepalived configuration at path, with its includes,
// and converts it:
//
//	global_defs router_id            node
//	global_defs vrrp_version         the default version (keepalived: 2)
//	vrrp_instance NAME               a group named NAME in lower case
//	  interface                      interface (else the first VIP's dev)
//	  virtual_router_id              id
//	  version, IPv6 VIPs             protocol: vrrp2 or vrrp3 (IPv6 is always 3)
//	  priority                       priority (default 100; 255 with state MASTER)
//	  advert_int                     interval (whole seconds for vrrp2)
//	  down_timer_adverts             down_adverts
//	  virtual_ipaddress              vips (a VIP on another dev is left out)
//	  unicast_src_ip, mcast_src_ip   source
//	  unicast_peer                   peers
//	  nopreempt, preempt_delay       preempt: false, preempt_delay
//	  authentication PASS            password (the first 8 characters, as keepalived)
//	  old_unicast_checksum           vrrp3_checksum: group-pseudo-header
//	  garp_master_refresh            announce.refresh
//	  notify_master/backup/fault/stop hooks.on_master/on_backup/on_fault/on_stop
//	  notify                         hooks.on_change, called with keepalived's
//	                                 four arguments through a /bin/sh filter
//	  track_script                   checks of kind exec from the vrrp_script
//	  dont_track_primary             track_link: false
//	  track_interface                the group's own link: nothing (vipd follows
//	                                 it) unless dont_track_primary; another link
//	                                 (or that one): an exec check of its carrier
//	vrrp_sync_group                  its tracking goes to each member; the
//	                                 group itself has no vipd equivalent
//
// state, use_vmac, virtual_routes, LVS and the rest are reported as
// warnings. A configuration that cannot be read (missing file, unbalanced
// braces, unterminated quote) is an error; so is one with no instance that
// can be carried over, in which case the Result still holds the YAML.
func Import(path string, opts Options) (*Result, error) {
	id := opts.ConfigID
	if id == "" {
		id, _ = os.Hostname()
	}
	lx := &lexer{configID: id}
	if err := lx.file(path, Pos{File: path}); err != nil {
		return nil, err
	}
	stmts, err := (&tree{toks: lx.toks}).parse()
	if err != nil {
		return nil, err
	}
	r := &reader{warns: lx.warns}
	r.top(stmts)

	o := &output{source: path}
	if r.globals.routerID != "" {
		o.node = &field{key: "node", node: strNode(r.globals.routerID), desc: "router_id " + r.globals.routerID, pos: r.globals.routerIDPos}
	}
	names := map[string]bool{}
	for _, inst := range r.instances {
		if g := r.convert(inst, names); g != nil {
			o.groups = append(o.groups, g)
		}
	}
	data, cfg, err := r.validate(o)
	if o.commentChecks {
		r.warn(Pos{File: path}, "vrrp_script and track_script: vipd's configuration does not take health checks (%s); "+
			"they are written under each group as a commented checks: block to enable once it does", o.checksWhy)
	}
	res := &Result{YAML: data, Config: cfg, Warnings: sortWarnings(r.warns, lx.order)}
	return res, err
}

// sortWarnings orders warnings by file (in the order the files were read)
// and line, keeping the order of those on one line.
func sortWarnings(ws []Warning, order []string) []Warning {
	rank := func(f string) int {
		if i := slices.Index(order, f); i >= 0 {
			return i
		}
		return len(order)
	}
	slices.SortStableFunc(ws, func(a, b Warning) int {
		if ra, rb := rank(a.Pos.File), rank(b.Pos.File); ra != rb {
			return ra - rb
		}
		return a.Pos.Line - b.Pos.Line
	})
	return ws
}
