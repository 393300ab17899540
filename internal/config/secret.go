package config

import "log/slog"

// redacted is what a Secret prints as.
const redacted = "(redacted)"

// Secret is a password. It prints, logs and marshals as "(redacted)" so that
// logging a Config or a Group cannot leak it; Reveal returns the bytes for
// the protocol code that needs them.
type Secret string

// Reveal returns the password itself.
func (s Secret) Reveal() []byte { return []byte(s) }

// String returns "(redacted)", or "" for no password.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return redacted
}

// GoString hides the password from %#v.
func (s Secret) GoString() string { return `config.Secret("` + s.String() + `")` }

// MarshalText hides the password from encoders (JSON, YAML).
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// LogValue hides the password from log/slog.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }
