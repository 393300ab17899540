// Package carp encodes, decodes, signs and verifies CARP advertisements as
// ucarp 1.5.2 speaks them, and guards against replayed ones. It is a pure
// codec: no I/O, no clock (time is an argument), standard library only.
//
// # Wire format
//
// An advertisement is the 36-byte payload of an IPv4 packet with protocol
// 112, sent to 224.0.0.18 with TTL 255 (ucarp also sets TOS 0x10 and DF):
//
//	 0                   1                   2                   3
//	 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//	+-------+-------+---------------+---------------+---------------+
//	|Version| Type  |     VHID      |    AdvSkew    |  AuthLen = 7  |  0
//	|  = 2  |  = 1  |               |  (1/256 s)    |               |
//	+-------+-------+---------------+---------------+---------------+
//	| Demote (rsvd) |  AdvBase (s)  |           Checksum            |  4
//	+---------------+---------------+-------------------------------+
//	|                     Counter (64 bits, big-endian)             |  8
//	|                                                               |
//	+---------------------------------------------------------------+
//	|                  HMAC-SHA1 (20 bytes)                         | 16
//	|                          …                                    |
//	+---------------------------------------------------------------+ 36
//
// The checksum is the Internet checksum (RFC 1071) over the 36 bytes, with
// no pseudo-header. The interval between advertisements is AdvBase seconds
// plus AdvSkew/256 s; the shorter interval wins the election. AdvBase 255
// with AdvSkew 255 means the master is leaving. ucarp sends 0 in the
// reserved byte, OpenBSD its demotion counter; neither is signed.
//
// CARP and VRRPv2 share protocol 112 and the first byte 0x21. A CARP
// advertisement is exactly 36 bytes with byte 3 (authlen) equal to 7; a
// VRRPv2 one is 16 + 4 × byte 3 bytes (byte 3 counts its addresses). The
// two never coincide, so Parse reports a VRRPv2 packet as ErrNotCARP.
//
// # Authentication
//
// ucarp's key is the password itself, 1 to 19 bytes. The HMAC-SHA1 covers
// the version byte 2, the type byte 1, the vhid, the virtual IPv4 address
// and the counter as it is on the wire; advbase, advskew, the demote byte
// and the source address are not covered. With several virtual addresses
// vipd signs them as OpenBSD does: all IPv4 addresses in ascending order,
// then the IPv6 ones (ucarp has one address only, for which both agree).
// The goldens in testdata, captured from ucarp, verify with this rule.
//
// # Replay protection
//
// ucarp does not check counters at all. It draws a random 64-bit counter for
// every advertisement until it has received a valid advertisement from a
// peer; from then on it copies each counter it receives and adds one per
// advertisement it sends (seen in the captures: a lone ucarp master sends a
// fresh random counter every time). Since a counter that goes down is
// normal for ucarp, a receiver can hold ucarp to no order at all.
//
// vipd therefore makes its own counters recognisable and ordered:
// NextCounter tags them (top 20 bits 0x76697) and puts the send time in
// Unix milliseconds in the other 44 bits, never below the highest counter
// the host has seen in the group plus one. A ReplayGuard accepts a tagged
// counter only if it is above every tagged counter it has accepted and not
// below the last one it sent, regardless of the source address (which the
// HMAC does not cover, so a per-source rule would fall to a spoofed source).
// Equality with its own last counter is allowed because two hosts that take
// over in the same millisecond compute the same counter. A ucarp backup that
// copies a vipd counter and later becomes master continues from it, and is
// accepted. A ucarp host whose link returns copies whatever advertisement
// it processes first, possibly one queued while it was away, so for groups
// with ucarp peers the guard has a Grace: a counter below the mark whose
// send time is within Grace of now is accepted too (the driver uses two
// advert intervals, at least 3 s). What holds:
//
//   - Between vipd hosts: a captured advertisement replayed later than
//     Grace after its sending is rejected by every host that has accepted or
//     sent a later one, from any source address. It can neither keep a backup from taking over (the
//     backup accepted the master's later adverts before the master went
//     quiet) nor demote a master (the master's own counters are newer). With
//     RequireTagged, counters vipd did not make, such as replays of old
//     ucarp adverts sent with the same password, are rejected too.
//   - A guard starts empty: after a restart it accepts captured
//     advertisements as long as each is newer than the last one accepted,
//     until the host hears or sends a genuinely newer one. Persist
//     HighWater and give it back with Restore, or set MaxAge if the hosts'
//     clocks are synchronised, to close that window.
//   - A vipd host whose clock is behind its peers' still sends counters
//     above the group's (Next continues from the high-water mark). One that
//     restarts without its high-water mark and becomes master before
//     hearing a peer may have its adverts rejected as replays, and a backup
//     may take over, until it hears a peer and continues above that peer's
//     counter.
//   - With ucarp peers: their random counters cannot be checked, so their
//     advertisements can be replayed exactly as against ucarp itself, from
//     any source address. vipd's own advertisements stay protected at vipd
//     receivers (ucarp receivers check nothing). One in about a million
//     random ucarp counters carries vipd's tag by chance; if it is above
//     the high-water mark it is accepted and raises it, and the group's vipd
//     counters continue above it (they stop tracking the time, so leave
//     MaxAge off in mixed groups).
//   - Counters guard against replays of old advertisements only. advbase,
//     advskew and the demote byte are not signed (ucarp compatibility), so
//     an attacker who can inject packets on the link in real time can
//     rewrite a fresh advertisement's timing, for example into a resign,
//     and have it accepted if it arrives before the genuine one.
//
// # Errors
//
// Parse returns a *ParseError naming the field and offset and wrapping a
// sentinel error; Verify and the ReplayGuard return sentinels. ReasonOf maps
// any of them to a short word for a drop counter.
package carp
