package kaimport

import (
	"fmt"
	"time"

	"go.yaml.in/yaml/v3"
)

// check is one vipd health check made from a track_script or a
// track_interface entry. Should vipd's configuration not take checks, they
// are written as a commented block (see repair).
type check struct {
	name     string
	desc     string // "track_script chk_haproxy"
	argv     []string
	interval time.Duration
	timeout  time.Duration
	rise     int
	fall     int
	weight   int // 0: fault
	pos      Pos
	dropped  bool
}

// timeoutFor is the timeout of a check made from a vrrp_script: its own if
// shorter than the interval, as vipd requires, else nine tenths of the
// interval (keepalived lets a script without a timeout run for a whole
// interval).
func (r *reader) timeoutFor(sc *script) time.Duration {
	if sc.timeout > 0 && sc.timeout < sc.interval {
		return sc.timeout
	}
	t := (sc.interval * 9 / 10).Round(time.Millisecond)
	if sc.timeout > 0 {
		r.warn(sc.pos, "vrrp_script %s: timeout %s is not shorter than the interval %s, as vipd requires; %s is used", sc.name, sc.timeout, sc.interval, t)
	}
	return t
}

// linkCheckInterval is how often a tracked interface other than the
// group's own is polled.
const linkCheckInterval = time.Second

// checks turns the instance's tracking into checks of kind exec: each
// track_script its vrrp_script, each track_interface a poll of that link's
// carrier, except the group's own interface when the group follows its
// carrier anyway (no dont_track_primary). In a sync group
// (without sync_group_tracking_weight) keepalived ignores tracked scripts
// that have a weight and sets tracked interfaces' weights to 0 (fault), as
// its dump of such a configuration shows; so does this.
func (r *reader) checks(inst *instance, iface string) []*check {
	var cs []*check
	seen := map[string]bool{}  // tracked scripts and links
	names := map[string]bool{} // check names
	for _, t := range inst.trackScripts {
		sc, ok := r.scripts[t.name]
		if !ok {
			r.warn(t.pos, "track_script %s: no vrrp_script of that name; not carried over", t.name)
			continue
		}
		if seen["script "+t.name] {
			continue
		}
		seen["script "+t.name] = true
		c := &check{name: checkName(t.name, names), desc: "track_script " + t.name, argv: absArgv(sc.argv),
			interval: sc.interval, timeout: r.timeoutFor(sc), rise: min(sc.rise, 255), fall: min(sc.fall, 255),
			weight: sc.weight, pos: t.pos}
		if t.hasWeight {
			c.weight = t.weight
		}
		if inst.syncGroup != "" && !inst.syncWeights && c.weight != 0 {
			r.warn(t.pos, "track_script %s: keepalived ignores a tracked script with a weight (%d) in vrrp_sync_group %s, and so does this import", t.name, c.weight, inst.syncGroup)
			continue
		}
		cs = append(cs, c)
	}
	for _, t := range inst.trackIfaces {
		if t.name == iface && !inst.dontTrack {
			if t.hasWeight {
				r.warn(t.pos, "track_interface %s weight %d: vipd puts a group in fault when its own link goes down; the weight is not carried over", t.name, t.weight)
			}
			continue
		}
		if seen["link "+t.name] {
			continue
		}
		seen["link "+t.name] = true
		c := &check{name: checkName("link-"+t.name, names), desc: "track_interface " + t.name,
			argv:     []string{"/bin/grep", "-qx", "1", "/sys/class/net/" + t.name + "/carrier"},
			interval: linkCheckInterval, timeout: linkCheckInterval / 2, rise: 1, fall: 1, weight: t.weight, pos: t.pos}
		if t.name == iface {
			// With dont_track_primary keepalived tracks its own
			// interface only as listed here, weight included.
			r.warn(t.pos, "track_interface %s with dont_track_primary: %s is polled by an exec check of its carrier every %s", t.name, t.name, linkCheckInterval)
		} else {
			r.warn(t.pos, "track_interface %s: vipd follows only the group's own link; %s is polled by an exec check of its carrier every %s", t.name, t.name, linkCheckInterval)
		}
		if inst.syncGroup != "" && !inst.syncWeights && c.weight != 0 {
			r.warn(t.pos, "track_interface %s: in vrrp_sync_group %s keepalived sets the weight %d to 0, so a failure is a fault; so does this import", t.name, inst.syncGroup, c.weight)
			c.weight = 0
		}
		cs = append(cs, c)
	}
	return cs
}

// node renders a check as vipd's checks: entry.
func (c *check) node() *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode}
	put(m, "name", strNode(c.name))
	put(m, "kind", strNode("exec"))
	cmd := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
	for _, a := range c.argv {
		cmd.Content = append(cmd.Content, strNode(a))
	}
	put(m, "argv", cmd)
	put(m, "interval", durNode(c.interval))
	put(m, "timeout", durNode(c.timeout))
	put(m, "rise", intNode(c.rise))
	put(m, "fall", intNode(c.fall))
	if c.weight == 0 {
		put(m, "fault", boolNode(true))
	} else {
		put(m, "weight", intNode(c.weight))
	}
	return m
}

// checksNode renders a group's checks.
func checksNode(cs []*check) *yaml.Node {
	seq := &yaml.Node{Kind: yaml.SequenceNode}
	for _, c := range cs {
		if !c.dropped {
			seq.Content = append(seq.Content, c.node())
		}
	}
	return seq
}

// liveChecks are the checks not dropped.
func liveChecks(cs []*check) []*check {
	var out []*check
	for _, c := range cs {
		if !c.dropped {
			out = append(out, c)
		}
	}
	return out
}

// checkName makes a unique vipd check name (the same rules as group
// names) and records it in seen.
func checkName(name string, seen map[string]bool) string {
	return groupName(name, seen)
}

// commented renders a group's checks as comment text.
func commented(cs []*check) string {
	top := &yaml.Node{Kind: yaml.MappingNode}
	put(top, "checks", checksNode(cs))
	return fmt.Sprintf("Health checks from keepalived's tracking, for when vipd's configuration takes them:\n%s", encode(top, ""))
}
