package kaimport

import (
	"strings"

	"go.yaml.in/yaml/v3"
)

// output is the whole vipd configuration being made.
type output struct {
	source string
	node   *field // from router_id; nil if none
	groups []*group
	// commentChecks writes every group's checks as comments: vipd's
	// configuration does not take them (checksWhy says why).
	commentChecks bool
	checksWhy     string
}

// live are the groups not dropped, in order: groups[i] of the rendered
// YAML is live()[i].
func (o *output) live() []*group {
	var out []*group
	for _, g := range o.groups {
		if !g.dropped {
			out = append(out, g)
		}
	}
	return out
}

// render writes the configuration.
func (o *output) render() []byte {
	top := &yaml.Node{Kind: yaml.MappingNode}
	if o.node != nil && !o.node.dropped {
		put(top, "node", o.node.render())
	}
	seq := &yaml.Node{Kind: yaml.SequenceNode}
	for _, g := range o.live() {
		seq.Content = append(seq.Content, o.renderGroup(g))
	}
	put(top, "groups", seq)
	return encode(top, "vipd configuration imported from "+o.source+" by vipd import keepalived.\n"+
		"Read the warnings printed with it, check it with vipd check, and install it\n"+
		"as /etc/vipd/vipd.yaml.")
}

func (o *output) renderGroup(g *group) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode}
	var last *yaml.Node
	for _, f := range g.fields {
		if f.dropped {
			continue
		}
		last = put(m, f.key, f.render())
		if i := strings.IndexByte(f.key, '.'); i >= 0 {
			last = keyOf(m, f.key[:i])
		}
	}
	if len(liveChecks(g.checks)) > 0 {
		if text := o.addChecks(m, g); text != "" {
			last.FootComment = text
		}
	}
	m.HeadComment = "vrrp_instance " + g.inst.name + " (" + g.inst.pos.String() + ")"
	return m
}

// addChecks adds the group's checks to m, or returns them as comment text
// for the caller to place.
func (o *output) addChecks(m *yaml.Node, g *group) string {
	if o.commentChecks {
		return strings.TrimRight(commented(g.checks), "\n")
	}
	put(m, "checks", checksNode(g.checks))
	return ""
}

// keyOf finds the key node of a top-level key of m.
func keyOf(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i]
		}
	}
	return nil
}
