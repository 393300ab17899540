// Package vrrp encodes and decodes VRRP advertisements: VRRPv2 (RFC 3768,
// IPv4, with RFC 2338's simple password as keepalived's PASS) and VRRPv3
// (RFC 5798 as clarified by RFC 9568, IPv4 and IPv6). It is a pure codec: no
// sockets, no clock. The IP layer is the caller's: it passes the VRRP message
// (the IP payload) with the packet's source and destination, which the VRRPv3
// checksum covers, and checks the TTL or hop limit (255) itself.
//
// VRRPv2, RFC 3768 §5.1, after an IPv4 header with protocol 112:
//
//	 0                   1                   2                   3
//	 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|Version| Type  | Virtual Rtr ID|   Priority    | Count IP Addrs|
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|   Auth Type   |   Adver Int   |          Checksum             |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|                         IP Address (1)                        |
//	|                            ...                                |
//	|                         IP Address (n)                        |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|                     Authentication Data (1)                   |
//	|                     Authentication Data (2)                   |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Version 2, type 1; Adver Int in seconds; 8 + 4n + 8 bytes. The checksum
// covers the message only.
//
// VRRPv3, RFC 5798 §5.1, after an IPv4 or IPv6 header with protocol 112:
//
//	 0                   1                   2                   3
//	 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|Version| Type  | Virtual Rtr ID|   Priority    |Count IPvX Addr|
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|(rsvd) |     Max Adver Int     |          Checksum             |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|                  IPvX Address(es) (4 or 16 bytes each)        |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Version 3, type 1; Max Adver Int in centiseconds (12 bits); 8 + 4n or
// 8 + 16n bytes; no authentication. Over IPv6 the checksum covers the RFC 8200
// §8.1 pseudo-header (source, destination, length, next header 112). Over
// IPv4 implementations differ (see ChecksumVariant): keepalived prepends an
// IPv4 pseudo-header (source, destination, zero, 112, length), Cisco,
// Juniper and RFC 9568 do not. Parse accepts both and records which matched;
// Append sends the one the Advert names, keepalived's by default.
//
// CARP (ucarp, OpenBSD) also uses protocol 112 and also starts with 0x21;
// Parse recognises its 36-byte advert and rejects it with ErrCARP.
//
// An Advert keeps wire units (seconds, centiseconds, the raw checksum and
// reserved bits) so that Parse followed by Append reproduces the message byte
// for byte; Advert.Interval is the one conversion to time.Duration. Every
// rejection wraps a sentinel error and maps to a Reason, a short word for
// metrics. The golden files in testdata/ are adverts captured from
// keepalived 2.2.7 and ucarp 1.5.2 (testdata/capture.sh).
package vrrp
