// Package ucarpcli turns a ucarp 1.5.2 command line into a vipd
// configuration with one CARP group, so that `vipd ucarp` can replace the
// ucarp binary in an init script or systemd unit unchanged.
//
// # Parsing
//
// Parse reads the options as ucarp's getopt_long does: short options may be
// combined (-zP, -zPv1), an option's argument may follow it in the same word
// (-v1) or be the next word (even one starting with '-'), long options take
// --name=value or --name value and may be abbreviated to any unique prefix
// (--pre is --preempt, --mcast is --mcastip), "--" ends the options, and
// words that are not options are set aside (ucarp ignores them). Options are
// applied in order, so the first bad one is the one reported, as with ucarp.
// Long options of vipd's own start with --vipd- and must be written in full,
// so they never make an abbreviation of ucarp's ambiguous.
//
// # Exit statuses
//
// Error carries the status ucarp exits with for the same mistake: 1 for a
// missing or malformed value ("vhid must be between 1 and 255."), 2 for a
// password longer than 19 bytes (ucarp fails in docarp, which makes it exit
// 2). For an unknown option ucarp prints its usage and exits 0; vipd exits 2
// instead, so that a broken unit file does not look like a clean stop.
//
// # Mapping
//
// Build writes the group as YAML and runs it through config.Parse, so every
// rule of vipd's configuration applies exactly as to a file; see Build for
// the mapping of each option, and docs/migrate-from-ucarp.md for the
// differences an operator sees.
package ucarpcli
