package kaimport

import (
	"strings"
	"time"
)

// script reads a vrrp_script.
func (r *reader) script(s *stmt) {
	sc := &script{name: s.arg(0), pos: s.pos, interval: defaultScriptInterval, rise: 1, fall: 1}
	if sc.name == "" {
		r.warn(s.pos, "vrrp_script without a name is ignored")
		return
	}
	for _, d := range s.block {
		switch d.key {
		case "script":
			sc.argv, sc.argvPos = r.commandLine(d, "script")
			if len(d.args) > 1 {
				r.warn(d.pos, "script: only %q runs, as in keepalived: quote the whole command line to pass %s", d.arg(0), strings.Join(d.args[1:], " "))
			}
		case "interval":
			if v, err := seconds(d.arg(0), 86400); err != nil || v == 0 {
				r.warn(d.pos, "interval: %s; keeping %s", reason(err, "0 is not an interval"), sc.interval)
			} else {
				sc.interval = v
			}
		case "timeout":
			if v, err := seconds(d.arg(0), 86400); err != nil {
				r.warn(d.pos, "timeout: %v; not carried over", err)
			} else {
				sc.timeout = v
			}
		case "weight":
			if v, err := number(d.arg(0), -253, 253); err != nil {
				r.warn(d.pos, "weight: %v; not carried over", err)
			} else {
				sc.weight = v
			}
			if d.arg(1) == "reverse" {
				r.warn(d.pos, "weight ... reverse: vipd has no reversed checks; the weight is carried over unreversed")
			}
		case "rise":
			if v, err := number(d.arg(0), 1, 1000); err != nil {
				r.warn(d.pos, "rise: %v; keeping 1", err)
			} else {
				sc.rise = v
			}
		case "fall":
			if v, err := number(d.arg(0), 1, 1000); err != nil {
				r.warn(d.pos, "fall: %v; keeping 1", err)
			} else {
				sc.fall = v
			}
		case "user":
			r.warn(d.pos, "user: vipd runs checks as its own user; not carried over")
		case "init_fail":
			r.warn(d.pos, "init_fail: vipd counts a check as neither passing nor failing until its first result; not carried over")
		default:
			r.warn(d.pos, "vrrp_script %s: unknown keyword, not carried over", d.key)
		}
	}
	if sc.argv == nil {
		r.warn(s.pos, "vrrp_script %s has no script; it is not carried over", sc.name)
		return
	}
	if _, dup := r.scripts[sc.name]; dup {
		r.warn(s.pos, "vrrp_script %s is defined again; the last definition counts, as in keepalived", sc.name)
	}
	r.scripts[sc.name] = sc
}

// defaultScriptInterval is keepalived's vrrp_script interval.
const defaultScriptInterval = time.Second

// commandLine reads a script or notify command: the first argument, split
// into words as keepalived splits it. Further arguments are keepalived's
// user and group for notify scripts, which the caller handles.
func (r *reader) commandLine(d *stmt, what string) ([]string, Pos) {
	if len(d.args) == 0 {
		r.warn(d.pos, "%s without a command is ignored", what)
		return nil, d.pos
	}
	words, ok := scriptWords(d.args[0])
	if !ok || len(words) == 0 {
		r.warn(d.pos, "%s: cannot split %q into words; not carried over", what, d.args[0])
		return nil, d.pos
	}
	return words, d.pos
}
