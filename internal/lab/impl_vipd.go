package lab

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"go.yaml.in/yaml/v3"
)

// VipdFile is a vipd configuration file as the lab writes it (the schema
// of docs/config.md). Options.Customize may edit it before it is written.
type VipdFile struct {
	Node          string      `yaml:"node"`
	Log           VipdLog     `yaml:"log"`
	StateFile     string      `yaml:"state_file"`
	ControlSocket string      `yaml:"control_socket"`
	Groups        []VipdGroup `yaml:"groups"`
}

// VipdLog is the log section of a vipd configuration.
type VipdLog struct {
	Format string `yaml:"format,omitempty"`
	Level  string `yaml:"level,omitempty"`
}

// VipdGroup is one group of a vipd configuration. Durations are written as
// Go durations ("1s", "10ms"); empty and nil fields are left out, so vipd's
// defaults apply.
type VipdGroup struct {
	Name               string         `yaml:"name"`
	Interface          string         `yaml:"interface"`
	Protocol           string         `yaml:"protocol"`
	ID                 int            `yaml:"id"`
	Priority           int            `yaml:"priority,omitempty"`
	AdvBase            *int           `yaml:"advbase,omitempty"`
	AdvSkew            *int           `yaml:"advskew,omitempty"`
	Interval           string         `yaml:"interval,omitempty"`
	DownAdverts        int            `yaml:"down_adverts,omitempty"`
	AdvertsPerInterval int            `yaml:"adverts_per_interval,omitempty"`
	VIPs               []string       `yaml:"vips"`
	Source             string         `yaml:"source,omitempty"`
	Peers              []string       `yaml:"peers,omitempty"`
	Preempt            *bool          `yaml:"preempt,omitempty"`
	ResignSkew         string         `yaml:"resign_skew,omitempty"`
	Password           string         `yaml:"password,omitempty"`
	AddressLifetime    string         `yaml:"address_lifetime,omitempty"`
	Hooks              map[string]any `yaml:"hooks,omitempty"`
	// Checks are the group's health checks, each written as its YAML
	// mapping (docs/config.md, "Health checks").
	Checks []map[string]any `yaml:"checks,omitempty"`
}

// Password is the CARP password of every lab group (vipd and ucarp).
const Password = "vipd-lab"

// vipdFile builds host's vipd configuration from the lab's groups and
// profile.
func (l *Lab) vipdFile(h *Host) *VipdFile {
	p := l.opts.Profile
	f := &VipdFile{
		Node:          h.Name,
		Log:           VipdLog{Format: "text", Level: "debug"},
		StateFile:     filepath.Join(h.dir, "state.json"),
		ControlSocket: filepath.Join(h.dir, "vipd.sock"),
	}
	for _, g := range l.opts.Groups {
		r := g.rank(h.Index)
		vg := VipdGroup{
			Name: g.Name, Interface: LinkName, Protocol: p.Protocol.String(), ID: int(g.ID),
			DownAdverts: p.DownAdverts, AdvertsPerInterval: p.AdvertsPerInterval, VIPs: []string{g.VIP.String()},
			ResignSkew: durationText(p.ResignSkew), AddressLifetime: durationText(p.AddressLifetime),
		}
		if p.Protocol == CARP {
			base, skew := carpTiming(p, r)
			vg.AdvBase, vg.AdvSkew, vg.Password = &base, &skew, Password
		} else {
			vg.Priority, vg.Interval = priority(r), durationText(p.Interval)
		}
		if g.NoPreempt {
			vg.Preempt = new(bool)
		}
		if l.opts.Unicast {
			vg.Peers = l.peers(h, g)
			if g.VIP.Addr().Is4() { // IPv6 adverts leave from the link-local address
				vg.Source = h.Addr4.String()
			}
		}
		f.Groups = append(f.Groups, vg)
	}
	return f
}

// carpTiming returns advbase and advskew for the host at rank r: advbase
// is the profile's interval in seconds and advskew 256 − priority, or, for
// intervals under a second, advbase 0 and advskew the interval in 1/256 s
// plus the rank.
func carpTiming(p Profile, r int) (base, skew int) {
	if p.Interval >= time.Second {
		return int(p.Interval / time.Second), advskew(r)
	}
	return 0, max(int(p.Interval*256/time.Second), 1) + r
}

// durationText writes d as a Go duration, or "" for 0.
func durationText(d time.Duration) string {
	if d == 0 {
		return ""
	}
	return d.String()
}

// writeVipd writes host's vipd configuration and returns its path and the
// command that runs it.
func (l *Lab) writeVipd(h *Host) (string, []string, error) {
	bin, err := findVipd(l.opts.VipdBin)
	if err != nil {
		return "", nil, err
	}
	f := l.vipdFile(h)
	l.vipdHostSettings(h, f)
	if l.opts.Customize != nil {
		l.opts.Customize(h, f)
	}
	b, err := yaml.Marshal(f)
	if err != nil {
		return "", nil, fmt.Errorf("lab: vipd configuration of %s: %w", h.Name, err)
	}
	path := filepath.Join(h.dir, "vipd.yaml")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return "", nil, fmt.Errorf("lab: %w", err)
	}
	return path, []string{bin, "run", "-c", path}, nil
}
