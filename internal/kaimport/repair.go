package kaimport

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/vipd/vipd/internal/config"
)

// validate renders the output and runs it through config.Parse until it
// passes, dropping each setting Parse refuses (with a warning about the
// keepalived line it came from) and, when vipd's configuration does not
// take checks, commenting them out. It fails only when nothing is left or
// Parse refuses something that came from no single setting.
func (r *reader) validate(o *output) ([]byte, *config.Config, error) {
	for round := 0; ; round++ {
		data := o.render()
		cfg, err := config.Parse(o.source, data)
		if err == nil {
			r.configWarnings(o, cfg)
			return data, cfg, nil
		}
		var es config.Errors
		if !errors.As(err, &es) || round > 1000 {
			return data, nil, fmt.Errorf("kaimport: the converted configuration does not pass vipd check: %w", err)
		}
		live := o.live()
		progress := false
		for _, e := range es {
			if r.repair(o, live, e) {
				progress = true
			}
		}
		if !progress {
			if len(live) == 0 {
				return data, nil, errors.New("kaimport: no vrrp_instance could be carried over")
			}
			return data, nil, fmt.Errorf("kaimport: the converted configuration does not pass vipd check: %w", err)
		}
	}
}

var groupPath = regexp.MustCompile(`^groups\[(\d+)\](?:\.(.+))?$`)

// repair drops what e is about; it reports whether it changed anything.
func (r *reader) repair(o *output, live []*group, e *config.Error) bool {
	if e.Path == "node" && o.node != nil && !o.node.dropped {
		o.node.dropped = true
		r.warn(o.node.pos, "%s: not carried over as node: %s", o.node.desc, e.Reason)
		return true
	}
	m := groupPath.FindStringSubmatch(e.Path)
	if m == nil {
		return false
	}
	i, _ := strconv.Atoi(m[1])
	if i >= len(live) || live[i].dropped {
		return false
	}
	g, rest := live[i], m[2]
	reason := readable(e.Reason, live)
	if strings.HasPrefix(rest, "checks") {
		return r.repairChecks(o, g, rest, reason)
	}
	f, idx := fieldAt(g, rest)
	switch {
	case f == nil || f.required && (idx < 0 || f.items == nil):
		g.dropped = true
		r.warn(g.inst.pos, "vrrp_instance %s: not carried over: %s", g.inst.name, pathReason(rest, reason))
	case idx >= 0 && f.items != nil && !f.whole:
		items := f.liveItems()
		if idx >= len(items) {
			return false
		}
		items[idx].dropped = true
		r.warn(items[idx].pos, "%s: not carried over: %s", items[idx].desc, reason)
	default:
		f.dropped = true
		r.warn(f.pos, "%s: not carried over: %s", f.desc, reason)
	}
	return true
}

var checkPath = regexp.MustCompile(`^checks\[(\d+)\]`)

// repairChecks drops the check an error is about, or, when vipd's
// configuration refuses checks: as such, writes all checks as comments.
func (r *reader) repairChecks(o *output, g *group, rest, reason string) bool {
	live := liveChecks(g.checks)
	if m := checkPath.FindStringSubmatch(rest); m != nil {
		i, _ := strconv.Atoi(m[1])
		if i < len(live) {
			live[i].dropped = true
			r.warn(live[i].pos, "%s: not carried over: %s", live[i].desc, pathReason(strings.TrimPrefix(rest, m[0]+"."), reason))
			return true
		}
	}
	if o.commentChecks {
		return false
	}
	o.commentChecks, o.checksWhy = true, reason
	return true
}

// fieldAt finds the field a path inside a group names ("vips[1]",
// "hooks.on_master[0]", "announce.refresh") and the list index, or -1.
func fieldAt(g *group, rest string) (*field, int) {
	var best *field
	for _, f := range g.fields {
		if f.dropped {
			continue
		}
		if rest == f.key || strings.HasPrefix(rest, f.key+"[") || strings.HasPrefix(rest, f.key+".") {
			if best == nil || len(f.key) > len(best.key) {
				best = f
			}
		}
	}
	if best == nil {
		return nil, -1
	}
	after := rest[len(best.key):]
	if strings.HasPrefix(after, "[") {
		if end := strings.IndexByte(after, ']'); end > 0 {
			if n, err := strconv.Atoi(after[1:end]); err == nil {
				return best, n
			}
		}
	}
	return best, -1
}

var groupRef = regexp.MustCompile(`groups\[(\d+)\]`)

// readable replaces "groups[N]" in a reason with the instance's name.
func readable(reason string, live []*group) string {
	return groupRef.ReplaceAllStringFunc(reason, func(s string) string {
		n, _ := strconv.Atoi(groupRef.FindStringSubmatch(s)[1])
		if n < len(live) {
			return "vrrp_instance " + live[n].inst.name
		}
		return s
	})
}

func pathReason(path, reason string) string {
	if path == "" {
		return reason
	}
	return path + ": " + reason
}

// configWarnings passes on what vipd check would warn about, at the
// keepalived line the setting came from.
func (r *reader) configWarnings(o *output, cfg *config.Config) {
	live := o.live()
	for _, w := range cfg.Warnings {
		m := groupPath.FindStringSubmatch(w.Path)
		if m == nil {
			r.warn(Pos{File: o.source}, "vipd check: %s", w.Reason)
			continue
		}
		i, _ := strconv.Atoi(m[1])
		if i >= len(live) {
			continue
		}
		pos := live[i].inst.pos
		if f, _ := fieldAt(live[i], m[2]); f != nil {
			pos = f.pos
		}
		r.warn(pos, "vipd check: %s: %s", m[2], readable(w.Reason, live))
	}
}
