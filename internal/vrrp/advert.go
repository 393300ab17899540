package vrrp

import (
	"fmt"
	"net/netip"
	"strconv"
	"time"
)

// Protocol is VRRP's IP protocol number, carried in the IPv4 protocol field
// and the IPv6 next header (RFC 3768 §5.2.4, RFC 5798 §5.1.1.4, §5.1.2.4).
const Protocol = 112

// TTL is the IPv4 TTL and IPv6 hop limit adverts are sent with; a receiver
// drops any other value (RFC 3768 §5.2.3, §7.1; RFC 5798 §5.1.1.3, §5.1.2.3,
// §7.1).
const TTL = 255

// Versions and the one message type (RFC 3768 §5.3.1–2, RFC 5798 §5.2.1–2).
const (
	Version2          uint8 = 2 // VRRPv2, RFC 3768
	Version3          uint8 = 3 // VRRPv3, RFC 5798
	TypeAdvertisement uint8 = 1 // the only VRRP message type
)

// Priorities with a meaning of their own (RFC 3768 §5.3.4, RFC 5798 §5.2.4).
const (
	PriorityResign uint8 = 0   // the master is leaving: backups take over after Skew_Time
	PriorityOwner  uint8 = 255 // the router owns the virtual addresses
)

// Field limits (RFC 3768 §5.3.5; RFC 5798 §5.2.5, §5.2.7).
const (
	MaxAddrs        = 255  // the count field is one byte
	MaxMaxAdvertInt = 4095 // VRRPv3's interval is 12 bits of centiseconds
)

const (
	headerLen = 8 // version/type, VRID, priority, count, two bytes, checksum
	authLen   = 8 // VRRPv2's authentication data
)

// GroupIPv4 returns 224.0.0.18, the IPv4 multicast group of VRRP adverts
// (RFC 3768 §5.2.2, RFC 5798 §5.1.1.2).
func GroupIPv4() netip.Addr { return netip.AddrFrom4([4]byte{224, 0, 0, 18}) }

// GroupIPv6 returns ff02::12, the IPv6 multicast group of VRRP adverts
// (RFC 5798 §5.1.2.2).
func GroupIPv6() netip.Addr {
	return netip.AddrFrom16([16]byte{0xff, 0x02, 15: 0x12})
}

// AuthType is VRRPv2's authentication type (RFC 3768 §5.3.6). RFC 3768
// removed authentication but keeps the values for compatibility with
// RFC 2338; keepalived still offers PASS and AH.
type AuthType uint8

// The VRRPv2 authentication types.
const (
	AuthNone   AuthType = 0 // no authentication (RFC 3768 §5.3.6)
	AuthSimple AuthType = 1 // simple text password, keepalived PASS (RFC 2338 §5.3.6.1)
	AuthAH     AuthType = 2 // IPsec AH, keepalived AH (RFC 2338 §5.3.6.2): rejected
)

// String returns "none", "simple", "ah" or the number.
func (t AuthType) String() string {
	switch t {
	case AuthNone:
		return "none"
	case AuthSimple:
		return "simple"
	case AuthAH:
		return "ah"
	}
	return strconv.Itoa(int(t))
}

// ChecksumVariant says what a VRRPv3 checksum over IPv4 covers. RFC 5798
// §5.2.8 says the checksum includes a pseudo-header "as defined in RFC 2460"
// (an IPv6 one), and implementations read that differently for IPv4; RFC 9568
// §5.2.8 settles it without a pseudo-header. VRRPv2 (no pseudo-header) and
// VRRPv3 over IPv6 (always the RFC 8200 §8.1 pseudo-header) have one variant
// only and ignore this value.
type ChecksumVariant uint8

// The VRRPv3-over-IPv4 checksum variants. The zero value is keepalived's
// default, which vipd sends unless told otherwise.
const (
	// ChecksumPseudoHeader covers an IPv4 pseudo-header of source,
	// destination, a zero byte, protocol 112 and the VRRP length, then the
	// message: what keepalived (all versions to date, by default) and FRR
	// (by default) send. Checked against keepalived 2.2.7.
	ChecksumPseudoHeader ChecksumVariant = iota
	// ChecksumNoPseudoHeader covers the message only, as for VRRPv2: what
	// RFC 9568 specifies and Cisco and Juniper send (keepalived 2.2.8 and
	// later: v3_checksum_as_v2; FRR: no checksum-with-ipv4-pseudoheader).
	ChecksumNoPseudoHeader
	// ChecksumGroupPseudoHeader is ChecksumPseudoHeader with 224.0.0.18 as
	// the pseudo-header's destination even when the packet is unicast: what
	// keepalived before 1.3.6 sent, and keepalived 2.2.7 with
	// old_unicast_checksum. Checked against keepalived 2.2.7. Parse only
	// reports it for a unicast destination.
	ChecksumGroupPseudoHeader
)

// String returns "pseudo-header", "no-pseudo-header", "group-pseudo-header"
// or the number.
func (v ChecksumVariant) String() string {
	switch v {
	case ChecksumPseudoHeader:
		return "pseudo-header"
	case ChecksumNoPseudoHeader:
		return "no-pseudo-header"
	case ChecksumGroupPseudoHeader:
		return "group-pseudo-header"
	}
	return strconv.Itoa(int(v))
}

// Advert is a VRRP advertisement, VRRPv2 (RFC 3768 §5.3) or VRRPv3
// (RFC 5798 §5.2), in wire units, so that Parse followed by Append gives back
// the same bytes. Fields marked v2 or v3 are ignored by the other version.
type Advert struct {
	Version  uint8 // Version2 or Version3 (RFC 3768 §5.3.1, RFC 5798 §5.2.1)
	Type     uint8 // TypeAdvertisement (RFC 3768 §5.3.2, RFC 5798 §5.2.2)
	VRID     uint8 // virtual router identifier, 1–255 (RFC 3768 §5.3.3, RFC 5798 §5.2.3)
	Priority uint8 // 0 resign, 1–254 backup, 255 owner (RFC 3768 §5.3.4, RFC 5798 §5.2.4)

	AuthType  AuthType // v2: authentication type (RFC 3768 §5.3.6)
	AdvertInt uint8    // v2: advertisement interval in seconds (RFC 3768 §5.3.7)
	AuthData  [8]byte  // v2: authentication data, the zero-padded password for AuthSimple (RFC 2338 §5.3.10)

	Reserved     uint8  // v3: the 4 reserved bits, zero on send, kept on receive (RFC 5798 §5.2.6)
	MaxAdvertInt uint16 // v3: 12-bit maximum advertisement interval in centiseconds (RFC 5798 §5.2.7)

	// Checksum is the checksum as received (RFC 3768 §5.3.8, RFC 5798
	// §5.2.8). Append computes its own and ignores this field, except that
	// it keeps 0xffff where it computes the equivalent 0x0000.
	Checksum uint16
	// ChecksumVariant is, for VRRPv3 over IPv4, what the checksum covered on
	// receive and what it will cover on send.
	ChecksumVariant ChecksumVariant

	// Addrs are the virtual router's addresses, all of the family of the IP
	// packet; VRRPv2 carries IPv4 only (RFC 3768 §5.3.9, RFC 5798 §5.2.9).
	Addrs []netip.Addr
}

// Interval returns the advertisement interval as a duration: VRRPv2's
// Advertisement Interval in seconds (RFC 3768 §5.3.7) or VRRPv3's Max Advert
// Interval in centiseconds (RFC 5798 §5.2.7). It is the one place where wire
// units become a time.Duration. It returns 0 for any other version.
func (a Advert) Interval() time.Duration {
	switch a.Version {
	case Version2:
		return time.Duration(a.AdvertInt) * time.Second
	case Version3:
		return time.Duration(a.MaxAdvertInt) * 10 * time.Millisecond
	}
	return 0
}

// String returns a one-line summary in the manner of tcpdump, for logs and
// test failures, for example "VRRPv3 vrid 53 prio 200 intvl 100cs
// addrs 192.0.2.100,192.0.2.101".
func (a Advert) String() string {
	b := make([]byte, 0, 64+16*len(a.Addrs))
	b = append(b, "VRRPv"...)
	b = strconv.AppendUint(b, uint64(a.Version), 10)
	if a.Type != TypeAdvertisement {
		b = append(b, " type "...)
		b = strconv.AppendUint(b, uint64(a.Type), 10)
	}
	b = append(b, " vrid "...)
	b = strconv.AppendUint(b, uint64(a.VRID), 10)
	b = append(b, " prio "...)
	b = strconv.AppendUint(b, uint64(a.Priority), 10)
	b = append(b, " intvl "...)
	if a.Version == Version2 {
		b = strconv.AppendUint(b, uint64(a.AdvertInt), 10)
		b = append(b, "s auth "...)
		b = append(b, a.AuthType.String()...)
	} else {
		b = strconv.AppendUint(b, uint64(a.MaxAdvertInt), 10)
		b = append(b, "cs"...)
	}
	b = append(b, " addrs "...)
	for i, addr := range a.Addrs {
		if i > 0 {
			b = append(b, ',')
		}
		b = addr.AppendTo(b)
	}
	return string(b)
}

// Validate reports whether Append can encode a for a packet from src to dst
// such that Parse accepts it, with the same checks and sentinels as Parse:
// version, type, 1–255 addresses all of the family of src and dst (IPv4 only
// for VRRPv2), a non-zero interval that fits its field, an authentication
// type other than AH and a known checksum variant. Values from Parse always
// validate.
func (a Advert) Validate(src, dst netip.Addr) error {
	if a.Version != Version2 && a.Version != Version3 {
		return fmt.Errorf("%w: version %d", ErrVersion, a.Version)
	}
	if a.Type != TypeAdvertisement {
		return fmt.Errorf("%w: type %d", ErrType, a.Type)
	}
	n := len(a.Addrs)
	if n == 0 || n > MaxAddrs {
		return fmt.Errorf("%w: %d addresses, want 1 to %d", ErrAddrCount, n, MaxAddrs)
	}
	alen, err := addrLen(a.Version, src.Unmap(), dst.Unmap())
	if err != nil {
		return err.Err
	}
	for i, addr := range a.Addrs {
		if (alen == 4 && !addr.Is4()) || (alen == 16 && !addr.Is6()) {
			return fmt.Errorf("%w: address %d (%v) in an IPv%d advert", ErrFamily, i, addr, 4+2*(alen/16))
		}
	}
	if a.Version == Version2 {
		if a.AdvertInt == 0 {
			return fmt.Errorf("%w: 0 seconds", ErrInterval)
		}
		switch a.AuthType {
		case AuthNone, AuthSimple:
		case AuthAH:
			return ErrAuthAH
		default:
			return fmt.Errorf("%w: %d", ErrAuthType, a.AuthType)
		}
		return nil
	}
	if a.MaxAdvertInt == 0 || a.MaxAdvertInt > MaxMaxAdvertInt {
		return fmt.Errorf("%w: %d centiseconds, want 1 to %d", ErrInterval, a.MaxAdvertInt, MaxMaxAdvertInt)
	}
	if a.Reserved > 0x0f {
		return fmt.Errorf("%w: reserved field %#x does not fit 4 bits", ErrInterval, a.Reserved)
	}
	if alen == 4 && a.ChecksumVariant > ChecksumGroupPseudoHeader {
		return fmt.Errorf("%w: unknown variant %d", ErrChecksum, a.ChecksumVariant)
	}
	return nil
}

// addrLen returns the size of one advertised address in a message of the
// given version from src to dst (both already unmapped): 4 for IPv4, 16 for
// IPv6, or a *ParseError wrapping ErrFamily.
func addrLen(version uint8, src, dst netip.Addr) (int, *ParseError) {
	switch {
	case src.Is4() && dst.Is4():
		return 4, nil
	case src.Is6() && dst.Is6() && version == Version3:
		return 16, nil
	case src.Is6() && dst.Is6():
		return 0, &ParseError{Field: "src", Offset: -1,
			Err: fmt.Errorf("%w: VRRPv2 is IPv4 only, got source %v", ErrFamily, src)}
	case !src.Is4() && !src.Is6():
		return 0, &ParseError{Field: "src", Offset: -1,
			Err: fmt.Errorf("%w: source address %v", ErrFamily, src)}
	}
	return 0, &ParseError{Field: "dst", Offset: -1,
		Err: fmt.Errorf("%w: source %v, destination %v", ErrFamily, src, dst)}
}
