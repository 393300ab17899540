// Package kaimport turns a keepalived.conf into a vipd configuration: the
// VRRP parts (vrrp_instance, vrrp_script, vrrp_sync_group and the relevant
// global_defs) become vipd groups, and everything that cannot be carried
// over is reported as a Warning with the file and line it came from.
//
// # Reading keepalived.conf
//
// The syntax is keepalived 2.2's: blocks delimited by '{' and '}', comments
// from an unquoted '#' or '!' to the end of the line, strings quoted with
// '"' or '\” (quoted and unquoted parts of a word join), lines starting
// with @ID or @^ID kept or dropped by the configuration id (keepalived's
// -i, by default the host name), and include (and its includer, includem,
// includew, includeb and includea variants) with glob patterns taken
// relative to the directory of the file that includes. Script command
// strings are split into words as keepalived splits them: on blanks, with
// quotes grouping and backslash escapes; only the first word of a script
// line is the command, as in keepalived, so an unquoted "script killall -0
// haproxy" runs killall alone.
//
// # What becomes what
//
// See Import for the mapping of each keyword. The result always passes
// config.Parse: a setting vipd refuses is dropped with a warning that names
// the keepalived line it came from, and an instance that cannot become a
// group (no interface, no VRID, no usable VIP, a clash with another group)
// is left out with a warning.
package kaimport
