package vrrp

import (
	"encoding/binary"
	"fmt"
	"net/netip"
)

// CARP's advert as ucarp and OpenBSD send it: 36 bytes whose fourth byte is
// the authentication length, 7 (units of 32 bits: the 8-byte counter and the
// 20-byte HMAC).
const (
	carpLen     = 36
	carpAuthLen = 7
)

// Parse decodes the VRRP message b, the payload of an IP packet from src to
// dst, which the checksum covers (RFC 5798 §5.2.8). See ParseInto for the
// checks. It allocates the address list and nothing else.
func Parse(b []byte, src, dst netip.Addr) (Advert, error) {
	var a Advert
	if err := ParseInto(&a, b, src, dst); err != nil {
		return Advert{}, err
	}
	return a, nil
}

// ParseInto is Parse into *a, reusing the capacity of a.Addrs, so that a
// receive loop decodes without allocating once that capacity suffices: the
// addresses of the previous message are overwritten in place, so a caller
// that keeps them clones a.Addrs first. On error it returns a *ParseError and
// leaves *a unchanged.
//
// It makes the receive checks that need only the message and its addresses
// (RFC 3768 §7.1, RFC 5798 §7.1), in this order: at least 8 bytes; version 2
// or 3; not a CARP advert; type 1; src and dst of one family, IPv4 for
// VRRPv2; a non-zero address count; a length of exactly 8 + count × address
// size (+ 8 bytes of authentication data for VRRPv2); the checksum; then for
// VRRPv2 an authentication type of 0 or 1 and for both a non-zero interval.
// For VRRPv3 over IPv4 it accepts each ChecksumVariant and records the first
// that verifies, trying ChecksumGroupPseudoHeader only when dst is not
// 224.0.0.18. It leaves to the caller what needs configuration or the IP
// header: the TTL, the VRID, the password, the address list's contents.
func ParseInto(a *Advert, b []byte, src, dst netip.Addr) error {
	if len(b) < headerLen {
		return &ParseError{Field: "header", Offset: len(b),
			Err: fmt.Errorf("%w: %d bytes, want at least %d", ErrTooShort, len(b), headerLen)}
	}
	version, typ, count := b[0]>>4, b[0]&0x0f, int(b[3])
	if version != Version2 && version != Version3 {
		return &ParseError{Field: "version", Offset: 0, Err: fmt.Errorf("%w: %d", ErrVersion, version)}
	}
	if version == Version2 && typ == TypeAdvertisement && len(b) == carpLen && count == carpAuthLen {
		// No detail to format: this is the commonest foreign packet on a
		// link shared with ucarp, so its drop costs one allocation.
		return &ParseError{Field: "count", Offset: 3, Err: ErrCARP}
	}
	if typ != TypeAdvertisement {
		return &ParseError{Field: "type", Offset: 0, Err: fmt.Errorf("%w: %d", ErrType, typ)}
	}
	src, dst = src.Unmap(), dst.Unmap()
	alen, perr := addrLen(version, src, dst)
	if perr != nil {
		return perr
	}
	if count == 0 {
		return &ParseError{Field: "count", Offset: 3, Err: fmt.Errorf("%w: no addresses", ErrAddrCount)}
	}
	want := headerLen + count*alen
	if version == Version2 {
		want += authLen
	}
	if len(b) != want {
		if other := 20 - alen; version == Version3 && len(b) == headerLen+count*other {
			return &ParseError{Field: "addresses", Offset: headerLen,
				Err: fmt.Errorf("%w: %d bytes hold %d IPv%d addresses, but the packet is IPv%d",
					ErrFamily, len(b), count, 4+2*(other/16), 4+2*(alen/16))}
		}
		return &ParseError{Field: "count", Offset: 3,
			Err: fmt.Errorf("%w: %d bytes, want %d for %d addresses", ErrLength, len(b), want, count)}
	}

	got := binary.BigEndian.Uint16(b[6:8])
	base := messageSum(b)
	variant := ChecksumPseudoHeader
	if sum := checksum(base, len(b), version, src, dst, variant); !checksumMatches(got, sum) {
		if version == Version2 || alen == 16 {
			return &ParseError{Field: "checksum", Offset: 6,
				Err: fmt.Errorf("%w: got %#04x, want %#04x", ErrChecksum, got, sum)}
		}
		variant = ChecksumNoPseudoHeader
		plain := checksum(base, len(b), version, src, dst, variant)
		if !checksumMatches(got, plain) {
			variant = ChecksumGroupPseudoHeader
			if dst == GroupIPv4() || !checksumMatches(got, checksum(base, len(b), version, src, dst, variant)) {
				return &ParseError{Field: "checksum", Offset: 6,
					Err: fmt.Errorf("%w: got %#04x, want %#04x with the pseudo-header or %#04x without",
						ErrChecksum, got, sum, plain)}
			}
		}
	}

	next := Advert{Version: version, Type: typ, VRID: b[1], Priority: b[2], Checksum: got}
	if version == Version2 {
		next.AuthType, next.AdvertInt = AuthType(b[4]), b[5]
		switch next.AuthType {
		case AuthNone, AuthSimple:
		case AuthAH:
			return &ParseError{Field: "auth type", Offset: 4, Err: ErrAuthAH}
		default:
			return &ParseError{Field: "auth type", Offset: 4,
				Err: fmt.Errorf("%w: %d", ErrAuthType, next.AuthType)}
		}
		if next.AdvertInt == 0 {
			return &ParseError{Field: "advert interval", Offset: 5, Err: fmt.Errorf("%w: 0 seconds", ErrInterval)}
		}
		copy(next.AuthData[:], b[len(b)-authLen:])
	} else {
		field := binary.BigEndian.Uint16(b[4:6])
		next.Reserved, next.MaxAdvertInt = uint8(field>>12), field&MaxMaxAdvertInt
		if next.MaxAdvertInt == 0 {
			return &ParseError{Field: "max advert interval", Offset: 4,
				Err: fmt.Errorf("%w: 0 centiseconds", ErrInterval)}
		}
		if alen == 4 {
			next.ChecksumVariant = variant
		}
	}

	addrs := a.Addrs[:0]
	if cap(addrs) < count {
		addrs = make([]netip.Addr, 0, count)
	}
	for off := headerLen; off < headerLen+count*alen; off += alen {
		if alen == 4 {
			addrs = append(addrs, netip.AddrFrom4([4]byte(b[off:off+4])))
		} else {
			addrs = append(addrs, netip.AddrFrom16([16]byte(b[off:off+16])))
		}
	}
	next.Addrs = addrs
	*a = next
	return nil
}
