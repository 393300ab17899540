package carp

import (
	"encoding/binary"
	"fmt"
)

// vrrp2Fixed is the length of a VRRPv2 advertisement without its addresses:
// an 8-byte header and 8 bytes of authentication data (RFC 3768 §5.1).
const vrrp2Fixed = 16

// Parse decodes a CARP advertisement from b, the IPv4 payload of a protocol
// 112 packet. It checks what the wire format alone can prove: exact length,
// version 2, type 1, authlen 7 and the checksum. It does not check the HMAC
// (Key.Verify), the counter (ReplayGuard) or IP-level facts such as the TTL.
// A VRRPv2 advertisement, which shares protocol and first byte with CARP, is
// reported as ErrNotCARP. Every error is a *ParseError. Parse does not
// allocate when it succeeds and keeps no reference to b.
func Parse(b []byte) (Advert, error) {
	if len(b) == 0 {
		return Advert{}, &ParseError{Field: "version", Offset: offVersionType, Err: ErrTooShort}
	}
	if v := b[offVersionType] >> 4; v != ProtoVersion {
		return Advert{}, &ParseError{Field: "version", Offset: offVersionType,
			Err: fmt.Errorf("%w: %d", ErrVersion, v)}
	}
	if t := b[offVersionType] & 0x0f; t != TypeAdvertisement {
		return Advert{}, &ParseError{Field: "type", Offset: offVersionType,
			Err: fmt.Errorf("%w: %d", ErrType, t)}
	}
	if len(b) != Len || b[offAuthLen] != AuthWords {
		return Advert{}, shapeError(b)
	}

	var p [Len]byte
	copy(p[:], b)
	got := binary.BigEndian.Uint16(p[offChecksum:])
	p[offChecksum], p[offChecksum+1] = 0, 0
	// Comparing with the recomputed value, rather than summing to zero,
	// also rejects 0xffff in place of 0x0000 (both sum to zero), which no
	// RFC 1071 sender emits; it keeps Parse and Append exact inverses.
	if want := checksum(p[:]); got != want {
		return Advert{}, &ParseError{Field: "checksum", Offset: offChecksum,
			Err: fmt.Errorf("%w: got %#04x, want %#04x", ErrChecksum, got, want)}
	}

	a := Advert{
		Version:  b[offVersionType] >> 4,
		Type:     b[offVersionType] & 0x0f,
		VHID:     b[offVHID],
		AdvSkew:  b[offAdvSkew],
		AuthLen:  b[offAuthLen],
		Demote:   b[offDemote],
		AdvBase:  b[offAdvBase],
		Checksum: got,
		Counter:  binary.BigEndian.Uint64(b[offCounter:]),
	}
	copy(a.HMAC[:], b[offHMAC:])
	return a, nil
}

// shapeError explains a packet of version 2, type 1 whose length or authlen
// is not CARP's: a VRRPv2 advertisement, or a truncated or malformed packet.
func shapeError(b []byte) error {
	if len(b) > offAuthLen && len(b) == vrrp2Fixed+4*int(b[offAuthLen]) {
		return &ParseError{Field: "authlen", Offset: offAuthLen,
			Err: fmt.Errorf("%w: %d bytes with %d addresses", ErrNotCARP, len(b), b[offAuthLen])}
	}
	switch {
	case len(b) < Len:
		return &ParseError{Field: "length", Offset: len(b),
			Err: fmt.Errorf("%w: %d bytes, want %d", ErrTooShort, len(b), Len)}
	case len(b) > Len:
		return &ParseError{Field: "length", Offset: Len,
			Err: fmt.Errorf("%w: %d bytes, want %d", ErrLength, len(b), Len)}
	}
	return &ParseError{Field: "authlen", Offset: offAuthLen,
		Err: fmt.Errorf("%w: %d, want %d", ErrAuthLen, b[offAuthLen], AuthWords)}
}
