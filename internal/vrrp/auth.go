package vrrp

import (
	"fmt"
	"strings"
)

// SimplePassword returns the 8 bytes of VRRPv2 authentication data that carry
// the simple text password s (RFC 2338 §5.3.6.1 and §5.3.10; keepalived's
// auth_type PASS): s followed by zero bytes. s must be 1 to 8 bytes without
// a NUL byte; keepalived silently truncates longer passwords to 8 characters,
// which vipd refuses rather than copy.
func SimplePassword(s string) ([8]byte, error) {
	var pw [8]byte
	switch {
	case s == "":
		return pw, fmt.Errorf("%w: empty", ErrPassword)
	case len(s) > len(pw):
		return pw, fmt.Errorf("%w: %d bytes, at most %d fit (keepalived would send only the first %d)",
			ErrPassword, len(s), len(pw), len(pw))
	case strings.IndexByte(s, 0) >= 0:
		return pw, fmt.Errorf("%w: contains a NUL byte", ErrPassword)
	}
	copy(pw[:], s)
	return pw, nil
}

// MatchesPassword reports whether a is a VRRPv2 advert with simple text
// authentication (RFC 2338 §5.3.6.1) carrying the password pw, as made by
// SimplePassword. It compares the authentication data in constant time.
// RFC 3768 §5.3.6 notes that this authentication protects only against
// misconfiguration: the password crosses the link in clear.
func (a Advert) MatchesPassword(pw [8]byte) bool {
	eq := constantTimeEqual(a.AuthData, pw)
	return eq && a.Version == Version2 && a.AuthType == AuthSimple
}

// constantTimeEqual compares x and y in time independent of their contents.
func constantTimeEqual(x, y [8]byte) bool {
	var d byte
	for i := range x {
		d |= x[i] ^ y[i]
	}
	return d == 0
}
