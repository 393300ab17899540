package config

import (
	"math"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// scalar checks that v is a single, non-empty value.
func (d *decoder) scalar(v value, path string) bool {
	switch {
	case v.n.Kind != yaml.ScalarNode:
		d.errorf(v.line, path, "must be a single value, not %s", kindName(v.n))
		return false
	case v.isNull():
		d.errorf(v.line, path, "has no value (remove the line for the default)")
		return false
	}
	return true
}

// str reads v as text: any single value, as written.
func (d *decoder) str(v value, path string) (string, bool) {
	if !d.scalar(v, path) {
		return "", false
	}
	return v.n.Value, true
}

// integer reads v as a whole number within lo-hi.
func (d *decoder) integer(v value, path string, lo, hi int) (int, bool) {
	if !d.scalar(v, path) {
		return 0, false
	}
	var n int64
	switch v.n.ShortTag() {
	case "!!int":
		if err := v.n.Decode(&n); err != nil {
			d.errorf(v.line, path, "%s is out of range %s", v.n.Value, rangeText(lo, hi))
			return 0, false
		}
	case "!!float":
		f, err := strconv.ParseFloat(strings.ReplaceAll(v.n.Value, "_", ""), 64)
		if err != nil || f != math.Trunc(f) || math.IsInf(f, 0) {
			d.errorf(v.line, path, "%s is not a whole number", v.n.Value)
		} else {
			d.errorf(v.line, path, "%s is out of range %s", v.n.Value, rangeText(lo, hi))
		}
		return 0, false
	default:
		if _, err := strconv.Atoi(v.n.Value); err == nil {
			d.errorf(v.line, path, "%q is text, not a number: remove the quotes", v.n.Value)
		} else {
			d.errorf(v.line, path, "%q is not a whole number", v.n.Value)
		}
		return 0, false
	}
	if n < int64(lo) || n > int64(hi) {
		d.errorf(v.line, path, "%s is out of range %s", v.n.Value, rangeText(lo, hi))
		return 0, false
	}
	return int(n), true
}

// rangeText writes lo-hi, or "lo to hi" when lo is negative.
func rangeText(lo, hi int) string {
	if lo < 0 {
		return strconv.Itoa(lo) + " to " + strconv.Itoa(hi)
	}
	return strconv.Itoa(lo) + "-" + strconv.Itoa(hi)
}

// boolean reads v as true or false. YAML 1.1's yes, no, on and off are text
// in YAML 1.2 and are refused rather than guessed at.
func (d *decoder) boolean(v value, path string) (bool, bool) {
	if !d.scalar(v, path) {
		return false, false
	}
	var b bool
	if v.n.ShortTag() != "!!bool" || v.n.Decode(&b) != nil {
		if v.n.Value == "true" || v.n.Value == "false" {
			d.errorf(v.line, path, "%q is text, not a boolean: remove the quotes", v.n.Value)
		} else {
			d.errorf(v.line, path, "%q is not a boolean: write true or false", v.n.Value)
		}
		return false, false
	}
	return b, true
}

// duration reads v as a Go duration ("1s", "1.1s", "10ms"), 0 to
// durationMax. A bare 0 is accepted; other bare numbers need a unit.
func (d *decoder) duration(v value, path string) (time.Duration, bool) {
	if !d.scalar(v, path) {
		return 0, false
	}
	s := v.n.Value
	switch v.n.ShortTag() {
	case "!!int", "!!float":
		if s == "0" {
			return 0, true
		}
		d.errorf(v.line, path, "%s has no unit: write %ss, %sms or another Go duration", s, s, s)
		return 0, false
	}
	dur, err := time.ParseDuration(s)
	switch {
	case err != nil:
		d.errorf(v.line, path, "%q is not a duration: write it as 1s, 500ms or 1m30s", s)
		return 0, false
	case dur < 0:
		d.errorf(v.line, path, "%s must not be negative", s)
		return 0, false
	case dur > durationMax:
		d.errorf(v.line, path, "%s is longer than the %s allowed", s, shortDuration(durationMax))
		return 0, false
	}
	return dur, true
}

// nonEmptyList reads v as a list with at least one item; whyEmpty is
// the error's reason when it has none.
func (d *decoder) nonEmptyList(v value, path, whyEmpty string) ([]value, bool) {
	items, ok := d.list(v, path)
	if ok && len(items) == 0 {
		d.errorf(v.line, path, "is empty: %s", whyEmpty)
		return nil, false
	}
	return items, ok
}

// list reads v as a list.
func (d *decoder) list(v value, path string) ([]value, bool) {
	if v.n.Kind != yaml.SequenceNode {
		if v.isNull() {
			d.errorf(v.line, path, "has no value (remove the line for the default)")
		} else {
			d.errorf(v.line, path, "must be a list, not %s", kindName(v.n))
		}
		return nil, false
	}
	out := make([]value, 0, len(v.n.Content))
	for _, e := range v.n.Content {
		if !d.step() {
			return nil, false
		}
		out = append(out, valueOf(e))
	}
	return out, true
}

// enum reads v as one of names (indexed by the enum's value; empty entries
// are skipped) and returns its index.
func (d *decoder) enum(v value, path, what string, names []string) (int, bool) {
	s, ok := d.str(v, path)
	if !ok {
		return 0, false
	}
	var want []string
	for i, n := range names {
		if n == "" {
			continue
		}
		if n == s {
			return i, true
		}
		want = append(want, n)
	}
	d.errorf(v.line, path, "%q is not a %s: want %s%s", s, what, orList(want), didYouMean(s, want, nil))
	return 0, false
}

// orList writes "a, b or c".
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// shortDuration formats d without trailing zero units: 24h rather than
// 24h0m0s.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}
