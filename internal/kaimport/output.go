package kaimport

import (
	"bytes"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// The output: vipd settings, each remembering the keepalived line it came
// from, so that a setting config.Parse refuses can be dropped with a
// warning about that line (see repair).

// item is one element of a list setting.
type item struct {
	value   string
	desc    string // the keepalived setting, for warnings: "unicast_peer 10.0.0.2"
	pos     Pos
	dropped bool
}

// field is one setting of the output. Keys with a dot are nested:
// "hooks.on_master" is on_master in the hooks mapping.
type field struct {
	key      string
	node     *yaml.Node // a scalar; nil for a list of items
	items    []*item    // for lists
	flow     bool       // render the list on one line
	whole    bool       // an argv: a bad item drops the whole list
	desc     string
	pos      Pos
	required bool // dropping it drops the whole group
	comment  string
	dropped  bool
}

// group is one output group: a vrrp_instance.
type group struct {
	inst    *instance
	fields  []*field
	checks  []*check
	dropped bool
}

func (g *group) add(f *field) *field {
	g.fields = append(g.fields, f)
	return f
}

// liveItems are the items of a list not dropped.
func (f *field) liveItems() []*item {
	var out []*item
	for _, it := range f.items {
		if !it.dropped {
			out = append(out, it)
		}
	}
	return out
}

func scalar(tag, v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: v} }
func strNode(s string) *yaml.Node     { return scalar("!!str", s) }
func intNode(n int) *yaml.Node        { return scalar("!!int", strconv.Itoa(n)) }
func boolNode(b bool) *yaml.Node      { return scalar("!!bool", strconv.FormatBool(b)) }

// durNode writes a duration as vipd reads it: 1s, 1.5s, 300ms, 5m.
func durNode(d time.Duration) *yaml.Node {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return strNode(s)
}

// render writes the value of f: a scalar or a list.
func (f *field) render() *yaml.Node {
	if f.node != nil {
		n := *f.node
		n.LineComment = f.comment
		return &n
	}
	seq := &yaml.Node{Kind: yaml.SequenceNode, LineComment: f.comment}
	if f.flow {
		seq.Style = yaml.FlowStyle
	}
	for _, it := range f.liveItems() {
		seq.Content = append(seq.Content, strNode(it.value))
	}
	return seq
}

// put adds key: v to m, creating the mappings of a dotted key, and returns
// the key node.
func put(m *yaml.Node, key string, v *yaml.Node) *yaml.Node {
	parent, rest, nested := strings.Cut(key, ".")
	if !nested {
		k := strNode(key)
		m.Content = append(m.Content, k, v)
		return k
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == parent && m.Content[i+1].Kind == yaml.MappingNode {
			return put(m.Content[i+1], rest, v)
		}
	}
	sub := &yaml.Node{Kind: yaml.MappingNode}
	m.Content = append(m.Content, strNode(parent), sub)
	return put(sub, rest, v)
}

// encode renders a document with a head comment.
func encode(top *yaml.Node, head string) []byte {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	doc := &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{top}, HeadComment: head}
	if err := enc.Encode(doc); err != nil {
		panic("kaimport: encoding YAML: " + err.Error()) // a tree of strings always encodes
	}
	_ = enc.Close()
	return b.Bytes()
}
