package ucarpcli

import (
	"bytes"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// A small builder for the YAML that Build hands to config.Parse: the yaml
// library does the quoting, so passwords and paths with odd characters
// survive as they are.

func mapping() *yaml.Node { return &yaml.Node{Kind: yaml.MappingNode} }

func add(m *yaml.Node, key string, v *yaml.Node) *yaml.Node {
	k := str(key)
	m.Content = append(m.Content, k, v)
	return k
}

func str(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

func num(n int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(n)}
}

func boolean(b bool) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(b)}
}

// dur writes a duration as a person would: 30s, 2m, 1m30s.
func dur(d time.Duration) *yaml.Node {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return str(s)
}

// flow renders a list on one line: [a, b].
func flow(items ...string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
	for _, it := range items {
		n.Content = append(n.Content, str(it))
	}
	return n
}

// encode renders a document with a comment at its head. Encoding a tree of
// strings cannot fail.
func encode(top *yaml.Node, head string) []byte {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	doc := &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{top}, HeadComment: head}
	if err := enc.Encode(doc); err != nil {
		panic("ucarpcli: encoding YAML: " + err.Error())
	}
	_ = enc.Close()
	return b.Bytes()
}
