package config

import (
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// linuxARPLockTime is how long Linux ignores further updates of a neighbour
// entry after one (locktime, 1 s by default): repeats closer than this are
// lost on Linux neighbours.
const linuxARPLockTime = time.Second

// announce decodes the gratuitous ARP / NA schedule.
func (gd *groupDecoder) announce() {
	a := &gd.g.Announce
	*a = Announce{Repeats: DefaultAnnounceRepeats, Spacing: DefaultAnnounceSpacing}
	v, p, ok := gd.get("announce")
	if !ok {
		return
	}
	f, ok := gd.mapping(v, p, &announceSection)
	if !ok {
		return
	}
	if v, ok := f.vals["repeats"]; ok {
		a.Repeats, _ = gd.integer(v, joinPath(p, "repeats"), 0, 255)
	}
	if v, ok := f.vals["spacing"]; ok {
		sp := joinPath(p, "spacing")
		if d, ok := gd.duration(v, sp); ok {
			a.Spacing = d
			switch {
			case d == 0 && a.Repeats > 0:
				gd.errorf(v.line, sp, "must be positive when repeats is not 0")
			case d <= linuxARPLockTime && a.Repeats > 0:
				gd.warnf(v.line, sp, "%s is within the 1s Linux ARP lock time, so Linux neighbours ignore the repeats (1.1s works)", v.n.Value)
			}
		}
	}
	if v, ok := f.vals["refresh"]; ok {
		rp := joinPath(p, "refresh")
		if d, ok := gd.duration(v, rp); ok {
			if d > 0 && d < time.Second {
				gd.errorf(v.line, rp, "%s is under 1s: use 0 for no refresh, or at least 1s", v.n.Value)
			} else {
				a.Refresh = d
			}
		}
	}
}

// hooks decodes the hook programs and their settings.
func (gd *groupDecoder) hooks() {
	h := &gd.g.Hooks
	h.Timeout = DefaultHookTimeout
	v, p, ok := gd.get("hooks")
	if !ok {
		return
	}
	f, ok := gd.mapping(v, p, &hooksSection)
	if !ok {
		return
	}
	for _, hook := range []struct {
		key  string
		argv *[]string
	}{
		{"on_master", &h.OnMaster}, {"on_backup", &h.OnBackup}, {"on_fault", &h.OnFault},
		{"on_stop", &h.OnStop}, {"on_change", &h.OnChange},
	} {
		if v, ok := f.vals[hook.key]; ok {
			*hook.argv = gd.argv(v, joinPath(p, hook.key), "hooks")
		}
	}
	if v, ok := f.vals["timeout"]; ok {
		tp := joinPath(p, "timeout")
		if d, ok := gd.duration(v, tp); ok {
			if d == 0 {
				gd.errorf(v.line, tp, "must be positive: a hook that may never run to its end needs a timeout")
			} else {
				h.Timeout = d
			}
		}
	}
	if v, ok := f.vals["ucarp_args"]; ok {
		h.UcarpArgs, _ = gd.boolean(v, joinPath(p, "ucarp_args"))
	}
	if v, ok := f.vals["xparam"]; ok {
		xp := joinPath(p, "xparam")
		if s, ok := gd.str(v, xp); ok {
			switch {
			case !h.UcarpArgs:
				gd.errorf(v.line, xp, "is passed to hooks only with ucarp_args: true")
			case strings.IndexByte(s, 0) >= 0:
				gd.errorf(v.line, xp, "contains a NUL byte")
			default:
				h.XParam = s
			}
		}
	}
}

// argv decodes the command line of a hook or a check program (what names
// them in messages): a list whose first element is an absolute path. A
// plain string is refused with the list it probably means.
func (gd *groupDecoder) argv(v value, path, what string) []string {
	if v.n.Kind == yaml.ScalarNode && !v.isNull() {
		gd.errorf(v.line, path, "is a string, but %s are argv lists run without a shell: write %s", what, argvHint(v.n.Value))
		return nil
	}
	items, ok := gd.list(v, path)
	if !ok {
		return nil
	}
	if len(items) == 0 {
		gd.errorf(v.line, path, "is empty: leave it out to run nothing")
		return nil
	}
	argv := make([]string, 0, len(items))
	for i, item := range items {
		ip := indexPath(path, i)
		s, ok := gd.str(item, ip)
		switch {
		case !ok:
			return nil
		case strings.IndexByte(s, 0) >= 0:
			gd.errorf(item.line, ip, "contains a NUL byte")
			return nil
		case i == 0 && !filepath.IsAbs(s):
			gd.errorf(item.line, ip, "%q is not an absolute path: %s run with a clean environment and no PATH search", s, what)
			return nil
		}
		argv = append(argv, s)
	}
	return argv
}

// argvHint turns a command line written as a string into the list to write
// instead: split on spaces, or run by /bin/sh if it uses shell syntax.
func argvHint(s string) string {
	words := strings.Fields(s)
	if len(words) == 0 || strings.ContainsAny(s, "|&;<>()$`\\\"'*?[]#~=%{}") {
		words = []string{"/bin/sh", "-c", s}
	}
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = strconv.Quote(w)
	}
	hint := "[" + strings.Join(quoted, ", ") + "]"
	if !filepath.IsAbs(words[0]) {
		hint += " with the program's absolute path"
	}
	return hint
}
