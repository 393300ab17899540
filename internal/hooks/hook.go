package hooks

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"
)

// DefaultTimeout is how long a hook may run when its Timeout is zero.
const DefaultTimeout = 30 * time.Second

// Kind names one of a group's hooks.
type Kind uint8

// The hooks of a group.
const (
	// OnMaster runs when the group becomes master.
	OnMaster Kind = iota
	// OnBackup runs when the group becomes backup or enters maintenance.
	OnBackup
	// OnFault runs when the group enters fault.
	OnFault
	// OnStop runs when the group stops (daemon shutdown or group removed).
	OnStop
	// OnChange runs on every transition, after the state's own hook.
	OnChange
)

var kindNames = [...]string{"on_master", "on_backup", "on_fault", "on_stop", "on_change"}

// String returns the hook's configuration name, such as "on_master".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// Mode says how a hook's argv is completed before it runs.
type Mode uint8

// The ways to call a hook program.
const (
	// ModeArgv runs the argv as configured.
	ModeArgv Mode = iota
	// ModeUcarp runs "argv... <interface> <vip> [xparam]" once per VIP, the
	// address without prefix length, as ucarp calls its scripts.
	ModeUcarp
	// ModeKeepalived runs "argv... INSTANCE <group> <STATE> <priority>", as
	// keepalived calls its notify script.
	ModeKeepalived
)

var modeNames = [...]string{"argv", "ucarp_args", "keepalived_notify"}

// String returns the mode's configuration name.
func (m Mode) String() string {
	if int(m) < len(modeNames) {
		return modeNames[m]
	}
	return "unknown"
}

// ParseMode returns the Mode with configuration name s ("argv", "ucarp_args"
// or "keepalived_notify"); the empty string is ModeArgv.
func ParseMode(s string) (Mode, error) {
	if s == "" {
		return ModeArgv, nil
	}
	for i, n := range modeNames {
		if n == s {
			return Mode(i), nil
		}
	}
	return 0, fmt.Errorf("hooks: unknown mode %q (want %s)", s, strings.Join(modeNames[:], ", "))
}

// Hook is one configured hook program. The zero Hook (no Argv) is not
// configured and runs nothing.
type Hook struct {
	// Argv is the program and its arguments. Argv[0] is an absolute path or
	// a name looked up in the hooks' clean PATH.
	Argv []string
	// Mode says which arguments are appended to Argv.
	Mode Mode
	// XParam is ucarp's extra parameter (-x), appended in ModeUcarp when not
	// empty.
	XParam string
	// Timeout bounds one run; zero means DefaultTimeout.
	Timeout time.Duration
}

// Configured reports whether the hook has a program to run.
func (h Hook) Configured() bool { return len(h.Argv) > 0 }

// Validate checks a configured hook: a program name that is absolute or a
// bare name, a known mode, a non-negative timeout.
func (h Hook) Validate() error {
	if err := h.check(); err != nil {
		return fmt.Errorf("hooks: %w", err)
	}
	return nil
}

func (h Hook) check() error {
	if !h.Configured() {
		return nil
	}
	switch p := h.Argv[0]; {
	case p == "":
		return errors.New("empty program name")
	case strings.ContainsRune(p, '/') && !filepath.IsAbs(p):
		return fmt.Errorf("program %q: relative path (use an absolute path or a name on PATH)", p)
	}
	if int(h.Mode) >= len(modeNames) {
		return fmt.Errorf("unknown mode %d", h.Mode)
	}
	if h.Timeout < 0 {
		return fmt.Errorf("negative timeout %s", h.Timeout)
	}
	return nil
}

func (h Hook) timeout() time.Duration {
	if h.Timeout > 0 {
		return h.Timeout
	}
	return DefaultTimeout
}

// Set is the hooks of one group.
type Set struct {
	OnMaster, OnBackup, OnFault, OnStop, OnChange Hook
}

// Hook returns the hook of kind k.
func (s Set) Hook(k Kind) Hook {
	switch k {
	case OnMaster:
		return s.OnMaster
	case OnBackup:
		return s.OnBackup
	case OnFault:
		return s.OnFault
	case OnStop:
		return s.OnStop
	case OnChange:
		return s.OnChange
	}
	return Hook{}
}

// Validate checks every configured hook of the set.
func (s Set) Validate() error {
	for k := range Kind(len(kindNames)) {
		if err := s.Hook(k).check(); err != nil {
			return fmt.Errorf("hooks: %s: %w", k, err)
		}
	}
	return nil
}
