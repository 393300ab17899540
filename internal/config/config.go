package config

import (
	"log/slog"
	"time"
)

// Defaults for the daemon-wide settings.
const (
	// DefaultPath is where vipd looks for its configuration file.
	DefaultPath = "/etc/vipd/vipd.yaml"
	// DefaultStateFile is where the daemon keeps admin state (maintenance)
	// across restarts.
	DefaultStateFile = "/var/lib/vipd/state.json"
	// DefaultControlSocket is the owner-only Unix socket of vipd status,
	// vipd ctl and friends.
	DefaultControlSocket = "/run/vipd/vipd.sock"
)

// Config is a validated vipd configuration with every default filled in.
// Load and Parse are the only ways to make one that holds these promises:
// every group is complete and consistent, ids, names and VIPs do not clash,
// and nothing needs checking again before the daemon touches an interface.
type Config struct {
	// Path is the file the configuration came from.
	Path string
	// Node is this host's name in status output, events and switchover
	// commands (YAML node). Empty means the host name, which the daemon
	// looks up: Parse stays pure and leaves it empty.
	Node string
	// Log configures the daemon's log (YAML log).
	Log Log
	// StateFile is where admin state is kept across restarts (YAML
	// state_file, default DefaultStateFile).
	StateFile string
	// ControlSocket is the path of the control socket (YAML control_socket,
	// default DefaultControlSocket).
	ControlSocket string
	// HTTP configures the opt-in metrics and status listener (YAML http).
	HTTP HTTP
	// Groups are the failover groups, in file order; at least one.
	Groups []Group
	// Warnings are valid settings that are probably mistakes, in file
	// order. The daemon logs them; vipd check prints them.
	Warnings []Warning
}

// Group returns the group called name, or nil.
func (c *Config) Group(name string) *Group {
	for i := range c.Groups {
		if c.Groups[i].Name == name {
			return &c.Groups[i]
		}
	}
	return nil
}

// Log configures logging (YAML log).
type Log struct {
	// Format is the log line format (YAML log.format: text or json,
	// default text).
	Format LogFormat
	// Level is the least severe level logged (YAML log.level: debug, info,
	// warn or error, default info).
	Level slog.Level
}

// HTTP configures the metrics (/metrics) and status (/status) listener.
type HTTP struct {
	// Listen is the host:port to serve on (YAML http.listen). Empty, the
	// default, serves nothing. The host may be empty (all addresses), an IP
	// address ("[::1]:9650" for IPv6) or a name the daemon resolves.
	Listen string
}

// defaultLogLevel is info.
const defaultLogLevel = slog.LevelInfo

// durationMax bounds the delays that have no natural limit (preempt_delay,
// hook timeouts, announce spacing and refresh, address lifetimes), so that a
// typo such as 10000h is caught rather than obeyed.
const durationMax = 24 * time.Hour
