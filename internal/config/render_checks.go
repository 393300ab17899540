package config

import "go.yaml.in/yaml/v3"

// renderCheck renders one check with its defaults, in the order of
// docs/config.md, leaving out the settings of other kinds.
func renderCheck(c *Check) *yaml.Node {
	m := mapping()
	add(m, "name", str(c.Name))
	add(m, "kind", str(c.Kind.String()))
	if c.Target.IsValid() {
		add(m, "target", str(c.Target.String()))
	}
	if c.Interface != "" {
		add(m, "interface", str(c.Interface))
	}
	if c.Address != "" {
		add(m, "address", str(c.Address))
	}
	if c.URL != "" {
		add(m, "url", str(c.URL))
		add(m, "method", str(c.Method))
		add(m, "status", renderStatus(c.Status))
		if c.Body != "" {
			add(m, "body", str(c.Body))
		}
	}
	if c.CAFile != "" {
		add(m, "ca_file", str(c.CAFile))
	}
	if c.InsecureSkipVerify {
		add(m, "insecure_skip_verify", boolean(true))
	}
	if c.Argv != nil {
		add(m, "argv", flow(c.Argv))
	}
	add(m, "interval", dur(c.Interval))
	add(m, "timeout", dur(c.Timeout))
	add(m, "rise", num(c.Rise))
	add(m, "fall", num(c.Fall))
	if c.Fault {
		add(m, "fault", boolean(true))
	} else {
		add(m, "weight", num(c.Weight))
	}
	return m
}

// renderStatus writes status codes as numbers and ranges as text:
// [200, 300-399].
func renderStatus(rs []StatusRange) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
	for _, r := range rs {
		if r.Lo == r.Hi {
			n.Content = append(n.Content, num(r.Lo))
		} else {
			n.Content = append(n.Content, str(r.String()))
		}
	}
	return n
}
