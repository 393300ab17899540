package vrrp

import (
	"errors"
	"strconv"
)

// Reason is why a message was rejected, as a short bounded word fit for a
// metric label ("too-short", "bad-checksum", "is-carp", …). Every error that
// Parse, ParseInto and Advert.Validate return maps to exactly one Reason
// through ReasonOf, so a driver can count drops without parsing strings.
type Reason uint8

// The rejection reasons. Each names the RFC 3768 (VRRPv2) or RFC 5798 (VRRPv3)
// receive check it stands for; see the matching Err… sentinel.
const (
	// ReasonNone is ReasonOf(nil): nothing was rejected.
	ReasonNone Reason = iota
	// ReasonTooShort: fewer than the 8 fixed header bytes (RFC 3768 §5.1,
	// RFC 5798 §5.1).
	ReasonTooShort
	// ReasonBadLength: the length does not match the address count
	// (RFC 5798 §7.1 "MUST verify that the received packet contains the
	// complete VRRP packet").
	ReasonBadLength
	// ReasonBadVersion: neither 2 nor 3 (RFC 3768 §7.1, RFC 5798 §7.1).
	ReasonBadVersion
	// ReasonBadType: not 1, the only type defined (RFC 3768 §5.3.2,
	// RFC 5798 §5.2.2).
	ReasonBadType
	// ReasonBadChecksum: the checksum does not verify (RFC 3768 §7.1,
	// RFC 5798 §7.1).
	ReasonBadChecksum
	// ReasonBadAddrCount: a count of zero addresses (RFC 3768 §5.3.5,
	// RFC 5798 §5.2.5).
	ReasonBadAddrCount
	// ReasonBadInterval: an advertisement interval of zero (RFC 3768 §5.3.7,
	// RFC 5798 §5.2.7), or above 4095 centiseconds when encoding.
	ReasonBadInterval
	// ReasonAuthAH: VRRPv2 authentication type 2, IPsec AH (RFC 2338
	// §5.3.6.2), which vipd does not implement.
	ReasonAuthAH
	// ReasonBadAuthType: a VRRPv2 authentication type other than 0, 1 or 2
	// (RFC 3768 §5.3.6).
	ReasonBadAuthType
	// ReasonFamilyMismatch: the source, destination and advertised addresses
	// are not all of one IP family, or VRRPv2 over IPv6 (RFC 3768 §5.1).
	ReasonFamilyMismatch
	// ReasonCARP: a CARP advert, not VRRPv2: both use protocol 112 and first
	// byte 0x21, but CARP is 36 bytes with its authlen of 7 in byte 3.
	ReasonCARP
	// ReasonOther is ReasonOf of an error that is not from this package.
	ReasonOther
)

var reasonWords = [...]string{
	ReasonNone:           "none",
	ReasonTooShort:       "too-short",
	ReasonBadLength:      "bad-length",
	ReasonBadVersion:     "bad-version",
	ReasonBadType:        "bad-type",
	ReasonBadChecksum:    "bad-checksum",
	ReasonBadAddrCount:   "bad-addr-count",
	ReasonBadInterval:    "bad-interval",
	ReasonAuthAH:         "auth-ah",
	ReasonBadAuthType:    "bad-auth-type",
	ReasonFamilyMismatch: "family-mismatch",
	ReasonCARP:           "is-carp",
	ReasonOther:          "other",
}

// String returns the reason's metric word, for example "bad-checksum".
func (r Reason) String() string {
	if int(r) < len(reasonWords) {
		return reasonWords[r]
	}
	return "reason(" + strconv.Itoa(int(r)) + ")"
}

// ReasonOf returns the rejection reason carried by err: ReasonNone for nil,
// the reason of the first sentinel of this package in err's chain, and
// ReasonOther for anything else.
func ReasonOf(err error) Reason {
	if err == nil {
		return ReasonNone
	}
	var s *sentinel
	if errors.As(err, &s) {
		return s.reason
	}
	return ReasonOther
}

// sentinel is the type of the package's sentinel errors: each carries its
// Reason, so that ReasonOf needs no table.
type sentinel struct {
	reason Reason
	msg    string
}

func (e *sentinel) Error() string { return e.msg }

func newSentinel(r Reason, msg string) error { return &sentinel{reason: r, msg: msg} }

// Sentinel errors, for errors.Is. Parse and ParseInto wrap them in a
// *ParseError; Advert.Validate wraps them with detail.
var (
	// ErrTooShort: fewer than 8 bytes (RFC 3768 §5.1, RFC 5798 §5.1).
	ErrTooShort = newSentinel(ReasonTooShort, "vrrp: message too short")
	// ErrLength: the message length does not match its address count
	// (RFC 5798 §7.1).
	ErrLength = newSentinel(ReasonBadLength, "vrrp: length does not match address count")
	// ErrVersion: the version is neither 2 (RFC 3768 §5.3.1) nor 3
	// (RFC 5798 §5.2.1).
	ErrVersion = newSentinel(ReasonBadVersion, "vrrp: unsupported version")
	// ErrType: the type is not 1, Advertisement (RFC 3768 §5.3.2,
	// RFC 5798 §5.2.2).
	ErrType = newSentinel(ReasonBadType, "vrrp: unknown message type")
	// ErrChecksum: the checksum does not verify (RFC 3768 §5.3.8,
	// RFC 5798 §5.2.8).
	ErrChecksum = newSentinel(ReasonBadChecksum, "vrrp: bad checksum")
	// ErrAddrCount: the advert lists no address (RFC 3768 §5.3.5,
	// RFC 5798 §5.2.5), or more than 255 when encoding.
	ErrAddrCount = newSentinel(ReasonBadAddrCount, "vrrp: bad address count")
	// ErrInterval: the advertisement interval is zero (RFC 3768 §5.3.7,
	// RFC 5798 §5.2.7) or does not fit its field.
	ErrInterval = newSentinel(ReasonBadInterval, "vrrp: bad advertisement interval")
	// ErrAuthAH: VRRPv2 authentication type 2, IP Authentication Header
	// (RFC 2338 §5.3.6.2), is not supported.
	ErrAuthAH = newSentinel(ReasonAuthAH, "vrrp: unsupported authentication type 2 (IPsec AH)")
	// ErrAuthType: a VRRPv2 authentication type other than 0, 1 or 2
	// (RFC 3768 §5.3.6).
	ErrAuthType = newSentinel(ReasonBadAuthType, "vrrp: unknown authentication type")
	// ErrFamily: the source, destination and advertised addresses are not all
	// IPv4 or all IPv6; VRRPv2 is IPv4 only (RFC 3768 §5.1).
	ErrFamily = newSentinel(ReasonFamilyMismatch, "vrrp: address family mismatch")
	// ErrCARP: the message is a CARP advert, not VRRPv2. Both use protocol
	// 112 and start with 0x21; CARP is exactly 36 bytes with 7 (its authlen)
	// in byte 3, where VRRPv2 is 8+4×count+8 bytes with the count in byte 3.
	// keepalived drops such packets as "vrrp packet too short".
	ErrCARP = newSentinel(ReasonCARP, "vrrp: a CARP advert, not VRRPv2")
	// ErrPassword: a simple password that keepalived's PASS cannot carry
	// (RFC 2338 §5.3.6.1: at most 8 bytes; vipd also refuses empty ones and
	// NUL bytes, which zero padding would make ambiguous).
	ErrPassword = errors.New("vrrp: invalid simple password")
)

// ParseError reports why Parse or ParseInto rejected a message: the field at
// fault, its byte offset in the message (-1 when the fault lies in the source
// or destination address given by the caller) and the cause, which wraps one
// of the Err… sentinels so that errors.Is and ReasonOf work.
type ParseError struct {
	Field  string // wire name of the field, for example "checksum"
	Offset int    // byte offset of the field in the message, or -1
	Err    error  // the cause, wrapping a sentinel
}

// Error returns the cause followed by the field and offset.
func (e *ParseError) Error() string {
	return e.Err.Error() + " (field " + e.Field + ", offset " + strconv.Itoa(e.Offset) + ")"
}

// Unwrap returns the cause.
func (e *ParseError) Unwrap() error { return e.Err }
