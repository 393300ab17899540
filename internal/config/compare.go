package config

import "slices"

// Changed lists the settings, by their YAML names, in which g and o differ,
// in the order of docs/config.md; nil when they are the same. A SIGHUP reload
// restarts a group whose settings changed and leaves the others (their state
// and VIPs) alone; a daemon that can apply some changes in place (hooks, for
// example) can tell them apart by name. A password read from a file counts
// by its contents, so a changed file changes the group.
func (g *Group) Changed(o *Group) []string {
	var diff []string
	same := func(name string, eq bool) {
		if !eq {
			diff = append(diff, name)
		}
	}
	same("name", g.Name == o.Name)
	same("interface", g.Interface == o.Interface)
	same("track_link", g.TrackLink == o.TrackLink)
	same("protocol", g.Protocol == o.Protocol)
	same("id", g.ID == o.ID)
	same("priority", g.Priority == o.Priority)
	same("advbase", g.AdvBase == o.AdvBase)
	same("advskew", g.AdvSkew == o.AdvSkew)
	same("interval", g.Interval == o.Interval)
	same("down_adverts", g.DownAdverts == o.DownAdverts)
	same("adverts_per_interval", g.AdvertsPerInterval == o.AdvertsPerInterval)
	same("vips", slices.Equal(g.VIPs, o.VIPs))
	same("source", g.Source == o.Source)
	same("preempt", g.Preempt == o.Preempt)
	same("preempt_delay", g.PreemptDelay == o.PreemptDelay)
	same("resign_skew", g.ResignSkew == o.ResignSkew)
	same("password", g.Password == o.Password)
	same("password_file", g.PasswordFile == o.PasswordFile)
	same("peers", slices.Equal(g.Peers, o.Peers))
	same("vrrp3_checksum", g.Checksum == o.Checksum)
	same("address_lifetime", g.AddressLifetime == o.AddressLifetime)
	same("announce.repeats", g.Announce.Repeats == o.Announce.Repeats)
	same("announce.spacing", g.Announce.Spacing == o.Announce.Spacing)
	same("announce.refresh", g.Announce.Refresh == o.Announce.Refresh)
	same("hooks.on_master", slices.Equal(g.Hooks.OnMaster, o.Hooks.OnMaster))
	same("hooks.on_backup", slices.Equal(g.Hooks.OnBackup, o.Hooks.OnBackup))
	same("hooks.on_fault", slices.Equal(g.Hooks.OnFault, o.Hooks.OnFault))
	same("hooks.on_stop", slices.Equal(g.Hooks.OnStop, o.Hooks.OnStop))
	same("hooks.on_change", slices.Equal(g.Hooks.OnChange, o.Hooks.OnChange))
	same("hooks.timeout", g.Hooks.Timeout == o.Hooks.Timeout)
	same("hooks.ucarp_args", g.Hooks.UcarpArgs == o.Hooks.UcarpArgs)
	same("hooks.xparam", g.Hooks.XParam == o.Hooks.XParam)
	same("checks", slices.EqualFunc(g.Checks, o.Checks, func(a, b Check) bool { return a.equal(&b) }))
	return diff
}

// SameAs reports whether g and o have the same settings, so that a reload
// may keep the group running as it is.
func (g *Group) SameAs(o *Group) bool { return len(g.Changed(o)) == 0 }

// Changes is what a reload from one configuration to another does to the
// groups, each list by group name in the new file's order (Removed in the
// old file's).
type Changes struct {
	// Added are groups only the new configuration has: start them.
	Added []string
	// Removed are groups only the old configuration has: stop them.
	Removed []string
	// Changed are groups in both whose settings differ: restart them.
	Changed []string
	// Unchanged are groups in both with the same settings: keep them
	// running with their state and VIPs.
	Unchanged []string
}

// Compare matches the groups of old and new by name and sorts them into
// Changes. The daemon-wide settings (log, http, state_file, control_socket,
// node) are plain values the caller compares itself.
func Compare(old, new *Config) Changes {
	var c Changes
	for i := range new.Groups {
		ng := &new.Groups[i]
		switch og := old.Group(ng.Name); {
		case og == nil:
			c.Added = append(c.Added, ng.Name)
		case og.SameAs(ng):
			c.Unchanged = append(c.Unchanged, ng.Name)
		default:
			c.Changed = append(c.Changed, ng.Name)
		}
	}
	for i := range old.Groups {
		if new.Group(old.Groups[i].Name) == nil {
			c.Removed = append(c.Removed, old.Groups[i].Name)
		}
	}
	return c
}
