package config

import "fmt"

// Protocol is a group's wire protocol (YAML protocol).
type Protocol uint8

// The wire protocols. The zero Protocol is not valid; a group without a
// protocol key gets CARP.
const (
	// CARP is the Common Address Redundancy Protocol as ucarp 1.5.2 and
	// OpenBSD speak it (YAML carp, the default): IPv4, HMAC-SHA1 signed,
	// ranked by advbase and advskew.
	CARP Protocol = iota + 1
	// VRRP3 is VRRP version 3 (RFC 5798, YAML vrrp3): IPv4 or IPv6,
	// unauthenticated, ranked by priority, centisecond intervals.
	VRRP3
	// VRRP2 is VRRP version 2 (RFC 3768, YAML vrrp2): IPv4, optional simple
	// password, whole-second intervals; for old keepalived peers.
	VRRP2
)

var protocolNames = []string{CARP: "carp", VRRP3: "vrrp3", VRRP2: "vrrp2"}

// String returns the YAML name: "carp", "vrrp3" or "vrrp2".
func (p Protocol) String() string {
	if p >= CARP && p <= VRRP2 {
		return protocolNames[p]
	}
	return fmt.Sprintf("protocol(%d)", uint8(p))
}

// MarshalText returns the YAML name, so that JSON status output shows it.
func (p Protocol) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// IsVRRP reports whether p is VRRPv2 or VRRPv3.
func (p Protocol) IsVRRP() bool { return p == VRRP3 || p == VRRP2 }

// Checksum is the VRRPv3-over-IPv4 checksum variant a group sends (YAML
// vrrp3_checksum). Receiving accepts every variant whatever this says.
// Groups of other protocols, and VRRPv3 over IPv6, have one variant only and
// keep the zero value.
type Checksum uint8

// The VRRPv3-over-IPv4 checksum variants. The zero value is the default.
const (
	// ChecksumPseudoHeader includes an IPv4 pseudo-header, as keepalived
	// and FRR send by default (YAML pseudo-header).
	ChecksumPseudoHeader Checksum = iota
	// ChecksumNoPseudoHeader covers the VRRP message only, as RFC 9568
	// specifies and Cisco and Juniper send (YAML no-pseudo-header;
	// keepalived's v3_checksum_as_v2).
	ChecksumNoPseudoHeader
	// ChecksumGroupPseudoHeader puts the multicast group 224.0.0.18 in the
	// pseudo-header even for unicast peers, as keepalived before 1.3.6 did
	// (YAML group-pseudo-header; keepalived's old_unicast_checksum).
	ChecksumGroupPseudoHeader
)

var checksumNames = []string{
	ChecksumPseudoHeader:      "pseudo-header",
	ChecksumNoPseudoHeader:    "no-pseudo-header",
	ChecksumGroupPseudoHeader: "group-pseudo-header",
}

// String returns the YAML name, for example "pseudo-header".
func (c Checksum) String() string {
	if int(c) < len(checksumNames) {
		return checksumNames[c]
	}
	return fmt.Sprintf("checksum(%d)", uint8(c))
}

// MarshalText returns the YAML name.
func (c Checksum) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// LogFormat is the log line format (YAML log.format).
type LogFormat uint8

// The log formats. The zero LogFormat is not valid; Parse fills in LogText.
const (
	// LogText is log/slog's key=value text (YAML text, the default).
	LogText LogFormat = iota + 1
	// LogJSON is one JSON object a line (YAML json).
	LogJSON
)

var logFormatNames = []string{LogText: "text", LogJSON: "json"}

// String returns the YAML name: "text" or "json".
func (f LogFormat) String() string {
	if f >= LogText && f <= LogJSON {
		return logFormatNames[f]
	}
	return fmt.Sprintf("logformat(%d)", uint8(f))
}

// MarshalText returns the YAML name.
func (f LogFormat) MarshalText() ([]byte, error) { return []byte(f.String()), nil }
