// Package config decodes vipd's YAML configuration file into typed,
// validated values, and renders it back with its defaults filled in.
//
// Load reads a file (and the password files it names); Parse does the same
// for bytes already read and touches nothing else. Either returns a *Config
// in which every group is complete and consistent, or every problem found as
// Errors, each naming the file, the line, the field and the reason:
//
//	/etc/vipd/vipd.yaml:14: groups[1].id: 300 is out of range 1-255
//	/etc/vipd/vipd.yaml:17: groups[1].prio: unknown field (did you mean priority?)
//
// so that the daemon can refuse a bad file, and exit 2, before it touches any
// interface. Values leave this package typed: protocols, checksum variants
// and log formats are enums, times are time.Duration, addresses are netip
// values, passwords are a Secret that never prints.
//
// What is checked, beyond types and ranges:
//   - per protocol: CARP has advbase and advskew and needs a password of at
//     most 19 bytes (ucarp's limit); VRRP has priority and an interval in
//     centiseconds (v3) or seconds (v2); VRRPv3 has no authentication, VRRPv2
//     a simple password of at most 8 bytes. Settings of another protocol are
//     errors, not silently ignored.
//   - per group: VIPs of one family (IPv4 only for CARP and VRRPv2), source
//     and peers of that family and not VIPs, an address lifetime long enough
//     for the master to renew it, hooks written as argv lists.
//   - per health check (Group.Checks): a unique name, the keys of its kind
//     and no others (target for ping and arp, address for tcp, url and its
//     options for http and https, argv for exec), a timeout shorter than
//     its interval, and exactly one effect, fault or a weight.
//   - across groups: unique names; no VIP in two groups; no two groups that
//     peers on one link could not tell apart — the same id in two groups of
//     one protocol and family, or in a CARP and a VRRPv2 group, whose adverts
//     both start with 0x21 on IP protocol 112.
//
// Valid but doubtful settings (gratuitous ARP repeats within the Linux ARP
// lock time, for example) are Config.Warnings, which the daemon logs.
//
// (*Config).Effective renders the configuration for vipd check. For a SIGHUP
// reload, Compare sorts the groups of the old and new configurations into
// added, removed, changed and unchanged, and (*Group).Changed names the
// settings that differ.
//
// docs/config.md is the operator's reference to every setting.
package config
