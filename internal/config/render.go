package config

import (
	"bytes"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"go.yaml.in/yaml/v3"
)

// Effective renders the configuration as YAML with every default filled in,
// for vipd check: what the daemon will do, in the file's own terms. Settings
// that do not apply to a group's protocol are left out, and so are settings
// the daemon decides at start (node, source) when the file leaves them to
// it. Passwords are shown as "(redacted)", which Parse refuses, so the
// output cannot be mistaken for a usable configuration; a password read from
// a file shows as its password_file.
func (c *Config) Effective() []byte {
	top := mapping()
	if c.Node != "" {
		add(top, "node", str(c.Node))
	}
	lg := mapping()
	add(lg, "format", str(c.Log.Format.String()))
	add(lg, "level", str(levelName(c.Log.Level)))
	add(top, "log", lg)
	add(top, "state_file", str(c.StateFile))
	add(top, "control_socket", str(c.ControlSocket))
	h := mapping()
	listen := str(c.HTTP.Listen)
	if c.HTTP.Listen == "" {
		listen.LineComment = "off"
	}
	add(h, "listen", listen)
	add(top, "http", h)
	groups := &yaml.Node{Kind: yaml.SequenceNode}
	for i := range c.Groups {
		groups.Content = append(groups.Content, renderGroup(&c.Groups[i]))
	}
	add(top, "groups", groups)
	doc := &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{top}}
	doc.HeadComment = "effective configuration of " + c.Path + ": defaults filled in, passwords redacted"

	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		// Encoding a tree of plain strings cannot fail; say so if it does.
		return []byte("# cannot render the configuration: " + err.Error() + "\n")
	}
	_ = enc.Close()
	return b.Bytes()
}

func renderGroup(g *Group) *yaml.Node {
	m := mapping()
	add(m, "name", str(g.Name))
	add(m, "interface", str(g.Interface))
	add(m, "track_link", boolean(g.TrackLink))
	add(m, "protocol", str(g.Protocol.String()))
	add(m, "id", num(int(g.ID)))
	if g.Protocol == CARP {
		add(m, "advbase", num(int(g.AdvBase)))
		add(m, "advskew", num(int(g.AdvSkew)))
	} else {
		add(m, "priority", num(int(g.Priority)))
		add(m, "interval", dur(g.Interval))
	}
	add(m, "down_adverts", num(g.DownAdverts))
	add(m, "adverts_per_interval", num(g.AdvertsPerInterval))
	add(m, "vips", flow(texts(g.VIPs)))
	if g.Source.IsValid() {
		add(m, "source", str(g.Source.String()))
	}
	add(m, "preempt", boolean(g.Preempt))
	add(m, "preempt_delay", dur(g.PreemptDelay))
	skew := dur(g.ResignSkew)
	if g.ResignSkew == 0 {
		skew.LineComment = "the protocol's own wait"
	}
	add(m, "resign_skew", skew)
	switch {
	case g.PasswordFile != "":
		add(m, "password_file", str(g.PasswordFile))
	case g.Password != "":
		add(m, "password", str(redacted))
	}
	if len(g.Peers) > 0 {
		add(m, "peers", flow(texts(g.Peers)))
	}
	if g.Protocol == VRRP3 && !g.IPv6() {
		add(m, "vrrp3_checksum", str(g.Checksum.String()))
	}
	life := dur(g.AddressLifetime)
	if g.AddressLifetime == 0 {
		life.LineComment = "forever"
	}
	add(m, "address_lifetime", life)
	an := mapping()
	add(an, "repeats", num(g.Announce.Repeats))
	add(an, "spacing", dur(g.Announce.Spacing))
	refresh := dur(g.Announce.Refresh)
	if g.Announce.Refresh == 0 {
		refresh.LineComment = "off"
	}
	add(an, "refresh", refresh)
	add(m, "announce", an)
	add(m, "hooks", renderHooks(&g.Hooks))
	if len(g.Checks) > 0 {
		checks := &yaml.Node{Kind: yaml.SequenceNode}
		for i := range g.Checks {
			checks.Content = append(checks.Content, renderCheck(&g.Checks[i]))
		}
		add(m, "checks", checks)
	}
	return m
}

func renderHooks(h *Hooks) *yaml.Node {
	m := mapping()
	for _, hook := range []struct {
		key  string
		argv []string
	}{
		{"on_master", h.OnMaster}, {"on_backup", h.OnBackup}, {"on_fault", h.OnFault},
		{"on_stop", h.OnStop}, {"on_change", h.OnChange},
	} {
		if hook.argv != nil {
			add(m, hook.key, flow(hook.argv))
		}
	}
	add(m, "timeout", dur(h.Timeout))
	add(m, "ucarp_args", boolean(h.UcarpArgs))
	if h.UcarpArgs && h.XParam != "" {
		add(m, "xparam", str(h.XParam))
	}
	return m
}

// levelName is the log.level name of l.
func levelName(l slog.Level) string {
	for name, lvl := range logLevels {
		if lvl == l {
			return name
		}
	}
	return l.String()
}

func mapping() *yaml.Node { return &yaml.Node{Kind: yaml.MappingNode} }

func add(m *yaml.Node, key string, v *yaml.Node) {
	m.Content = append(m.Content, str(key), v)
}

func str(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

func num(n int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(n)}
}

func boolean(b bool) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(b)}
}

func dur(d time.Duration) *yaml.Node { return str(shortDuration(d)) }

// flow renders a list on one line: [a, b].
func flow(items []string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
	for _, it := range items {
		n.Content = append(n.Content, str(it))
	}
	return n
}

// texts formats addresses or prefixes for flow.
func texts[T fmt.Stringer](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = x.String()
	}
	return out
}
