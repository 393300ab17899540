package config

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// maxSteps bounds the work of walking one document, so that aliases that
// refer to aliases cannot make a small file expensive (the "billion laughs").
const maxSteps = 100_000

// maxMergeDepth bounds merge keys (<<) that merge mappings that merge.
const maxMergeDepth = 8

// decoder walks a parsed YAML document and collects every problem it finds,
// each with the file, the line and the field path.
type decoder struct {
	file  string
	data  []byte
	errs  Errors
	warns []Warning
	steps int
}

func newDecoder(file string) *decoder { return &decoder{file: file, steps: maxSteps} }

// errorf records a problem with the field at path, on line.
func (d *decoder) errorf(line int, path, format string, args ...any) {
	d.errs = append(d.errs, &Error{File: d.file, Line: line, Path: path, Reason: fmt.Sprintf(format, args...)})
}

// warnf records a warning about the field at path, on line.
func (d *decoder) warnf(line int, path, format string, args ...any) {
	d.warns = append(d.warns, Warning{File: d.file, Line: line, Path: path, Reason: fmt.Sprintf(format, args...)})
}

// step spends one unit of the work budget, reporting once when it runs out.
func (d *decoder) step() bool {
	d.steps--
	if d.steps == 0 {
		d.errorf(0, "", "the document is too large once its aliases are expanded (more than %d nodes)", maxSteps)
	}
	return d.steps > 0
}

// value is a YAML value: the node with aliases followed, and the line where
// it is written (for an alias, where the alias is, not the anchor).
type value struct {
	n    *yaml.Node
	line int
}

// valueOf follows n if it is an alias.
func valueOf(n *yaml.Node) value {
	v := value{n: n, line: n.Line}
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		v.n = n.Alias
	}
	return v
}

func (v value) isNull() bool { return v.n.Kind == yaml.ScalarNode && v.n.ShortTag() == "!!null" }

// kindName says what a node is, with an article, for messages.
func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.ShortTag() == "!!null" {
			return "an empty value"
		}
		return "a single value"
	}
	return "a document"
}

// section describes the keys a mapping may have.
type section struct {
	// keys are the known keys, in the order of the reference.
	keys []string
	// hints maps names other programs (keepalived, ucarp) or common slips
	// use to what vipd calls them.
	hints map[string]string
	// extensions allows keys starting with "x-", which Parse ignores, as a
	// place to define YAML anchors.
	extensions bool
}

func (s *section) known(name string) bool { return slices.Contains(s.keys, name) }

// fields are a mapping's values by key, with merge keys applied.
type fields struct {
	line int // the mapping's line, for missing keys
	vals map[string]value
}

// mapping reads v as a mapping with the keys of sec, reporting anything else.
func (d *decoder) mapping(v value, path string, sec *section) (fields, bool) {
	f := fields{line: v.line, vals: map[string]value{}}
	if v.n.Kind != yaml.MappingNode {
		d.errorf(v.line, path, "must be a mapping of settings, not %s", kindName(v.n))
		return f, false
	}
	d.collect(v.n, path, sec, f.vals, 0)
	return f, true
}

// collect adds m's pairs to vals: m's own keys first, then those of the
// mappings it merges with <<, where the first one merged wins (the YAML
// merge key rule). Keys already in vals are kept: they belong to a mapping
// that merged m and so override it.
func (d *decoder) collect(m *yaml.Node, path string, sec *section, vals map[string]value, depth int) {
	var merges []*yaml.Node
	seen := map[string]int{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if !d.step() {
			return
		}
		k, v := valueOf(m.Content[i]), m.Content[i+1]
		if k.n.Kind != yaml.ScalarNode || k.isNull() {
			d.errorf(k.line, path, "keys must be names, not %s", kindName(k.n))
			continue
		}
		if k.n.ShortTag() == "!!merge" {
			merges = append(merges, v)
			continue
		}
		name := k.n.Value
		at := joinPath(path, name)
		if first, dup := seen[name]; dup {
			d.errorf(k.line, at, "is set twice (first on line %d)", first)
			continue
		}
		seen[name] = k.line
		if _, set := vals[name]; set {
			continue
		}
		if sec.extensions && strings.HasPrefix(name, "x-") {
			continue
		}
		if !sec.known(name) {
			d.errorf(k.line, at, "unknown field%s", didYouMean(name, sec.keys, sec.hints))
			continue
		}
		vals[name] = valueOf(v)
	}
	for _, mn := range merges {
		src := valueOf(mn)
		if depth >= maxMergeDepth {
			d.errorf(src.line, path, "merge keys (<<) nested more than %d deep", maxMergeDepth)
			return
		}
		switch src.n.Kind {
		case yaml.MappingNode:
			d.collect(src.n, path, sec, vals, depth+1)
		case yaml.SequenceNode:
			for _, e := range src.n.Content {
				ev := valueOf(e)
				if ev.n.Kind != yaml.MappingNode {
					d.errorf(ev.line, path, "<< must merge mappings, not %s", kindName(ev.n))
					continue
				}
				d.collect(ev.n, path, sec, vals, depth+1)
			}
		default:
			d.errorf(src.line, path, "<< must merge a mapping or a list of mappings, not %s", kindName(src.n))
		}
	}
}

func joinPath(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "." + key
}

func indexPath(parent string, i int) string { return parent + "[" + strconv.Itoa(i) + "]" }
