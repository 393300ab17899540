package carp

import (
	"errors"
	"strconv"
)

// Sentinel errors. Callers branch on them with [errors.Is]; [ReasonOf] maps
// them to short metric words. Parse wraps the parse-time ones in a
// [*ParseError].
var (
	// ErrTooShort: fewer bytes than a CARP advertisement (36) and not a
	// VRRPv2 advertisement either.
	ErrTooShort = errors.New("carp: advertisement too short")
	// ErrLength: more bytes than a CARP advertisement. CARP has no
	// variable part, so trailing bytes mean the packet is something else.
	ErrLength = errors.New("carp: wrong advertisement length")
	// ErrVersion: the version nibble is not 2 (VRRPv3 adverts, version 3,
	// land here).
	ErrVersion = errors.New("carp: unsupported version")
	// ErrType: the type nibble is not 1 (advertisement).
	ErrType = errors.New("carp: unsupported type")
	// ErrAuthLen: a 36-byte packet whose authlen byte is not 7.
	ErrAuthLen = errors.New("carp: wrong authentication length")
	// ErrChecksum: the Internet checksum over the 36 bytes does not match.
	ErrChecksum = errors.New("carp: bad checksum")
	// ErrNotCARP: a VRRPv2 advertisement (RFC 3768). CARP and VRRPv2 share
	// IP protocol 112 and the first byte 0x21; the packet's length is
	// 16 + 4 × byte 3 (VRRPv2's address count), which a CARP advertisement
	// (36 bytes, byte 3 = 7) never satisfies.
	ErrNotCARP = errors.New("carp: VRRPv2 advertisement, not CARP")
	// ErrBadHMAC: the HMAC-SHA1 does not match the key, vhid, virtual
	// addresses and counter (wrong password, vhid or VIPs, or a forgery).
	ErrBadHMAC = errors.New("carp: HMAC mismatch")
	// ErrReplay: the counter is not above the highest vipd counter already
	// accepted or sent in the group (see [ReplayGuard]).
	ErrReplay = errors.New("carp: replayed counter")
	// ErrStale: the send time carried by a vipd counter is further than
	// [ReplayGuard.MaxAge] from the local clock.
	ErrStale = errors.New("carp: counter time outside max age")
	// ErrUntagged: a counter vipd did not make (ucarp's) in a group whose
	// guard has [ReplayGuard.RequireTagged] set.
	ErrUntagged = errors.New("carp: counter not made by vipd")
	// ErrBadPassword: [NewKey] was given a password ucarp cannot use.
	ErrBadPassword = errors.New("carp: unusable password")
)

// ParseError is the error [Parse] returns. It names the field that failed
// and its byte offset in the advertisement, and keeps the cause (one of the
// sentinel errors, possibly wrapped with detail) for [errors.Is].
type ParseError struct {
	Field  string // field name as in the package doc, e.g. "checksum"
	Offset int    // byte offset of the field in the packet
	Err    error  // cause, wrapping a sentinel error
}

// Error describes the failure, its field and offset.
func (e *ParseError) Error() string {
	return e.Err.Error() + " (" + e.Field + " at offset " + strconv.Itoa(e.Offset) + ")"
}

// Unwrap returns the cause.
func (e *ParseError) Unwrap() error { return e.Err }

// reasons pairs each sentinel with its metric word, in a fixed order.
var reasons = []struct {
	err  error
	word string
}{
	{ErrTooShort, "too-short"},
	{ErrLength, "bad-length"},
	{ErrVersion, "bad-version"},
	{ErrType, "bad-type"},
	{ErrAuthLen, "bad-authlen"},
	{ErrChecksum, "bad-checksum"},
	{ErrNotCARP, "not-carp"},
	{ErrBadHMAC, "bad-hmac"},
	{ErrReplay, "replay"},
	{ErrStale, "stale"},
	{ErrUntagged, "untagged"},
	{ErrBadPassword, "bad-password"},
}

// reasonOther is the word for an error this package did not make.
const reasonOther = "other"

// ReasonOf returns a short, fixed word for why an advertisement was
// rejected, for use as a bounded metric label ("too-short", "bad-checksum",
// "not-carp", "bad-hmac", "replay", …). It returns "" for a nil error and
// "other" for an error that wraps none of this package's sentinels.
func ReasonOf(err error) string {
	if err == nil {
		return ""
	}
	for _, r := range reasons {
		if errors.Is(err, r.err) {
			return r.word
		}
	}
	return reasonOther
}

// Reasons returns every word [ReasonOf] can return for a non-nil error, so
// that a metrics collector can export zero counts for all of them.
func Reasons() []string {
	words := make([]string, 0, len(reasons)+1)
	for _, r := range reasons {
		words = append(words, r.word)
	}
	return append(words, reasonOther)
}
