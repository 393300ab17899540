package vrrp

import (
	"encoding/binary"
	"net/netip"
)

// sum adds b to acc as big-endian 16-bit words, the first step of the Internet
// checksum (RFC 1071); an odd last byte is padded with zero. The result is not
// folded: 64 bits cannot overflow for any message VRRP can carry.
func sum(acc uint64, b []byte) uint64 {
	for len(b) >= 8 {
		v := binary.BigEndian.Uint64(b)
		acc += v>>48 + v>>32&0xffff + v>>16&0xffff + v&0xffff
		b = b[8:]
	}
	for len(b) >= 2 {
		acc += uint64(binary.BigEndian.Uint16(b))
		b = b[2:]
	}
	if len(b) == 1 {
		acc += uint64(b[0]) << 8
	}
	return acc
}

// fold folds acc into 16 bits with end-around carry and complements it,
// giving the Internet checksum (RFC 1071 §1).
func fold(acc uint64) uint16 {
	for acc > 0xffff {
		acc = acc>>16 + acc&0xffff
	}
	return ^uint16(acc)
}

// messageSum returns the unfolded sum of msg with its checksum field (bytes 6
// and 7) counted as zero. msg is at least headerLen bytes.
func messageSum(msg []byte) uint64 {
	return sum(0, msg) - uint64(binary.BigEndian.Uint16(msg[6:8]))
}

// pseudoSum returns the unfolded sum of the pseudo-header for a VRRPv3
// message of n bytes from src to dst. For IPv6 it is the RFC 8200 §8.1 one
// (source, destination, 32-bit upper-layer length, three zero bytes, next
// header 112); for IPv4 keepalived's (source, destination, a zero byte,
// protocol 112, 16-bit length). Both come to the same words apart from the
// addresses. An address of the wrong family counts as zeros.
func pseudoSum(src, dst netip.Addr, n int) uint64 {
	var acc uint64
	if src.Is4() {
		s, d := as4(src), as4(dst)
		acc = sum(sum(0, s[:]), d[:])
	} else {
		s, d := src.As16(), dst.As16()
		acc = sum(sum(0, s[:]), d[:])
	}
	return acc + uint64(n)>>16 + uint64(n)&0xffff + Protocol
}

// as4 is Addr.As4 without its panic: zeros for anything but IPv4.
func as4(a netip.Addr) [4]byte {
	if a.Is4() {
		return a.As4()
	}
	return [4]byte{}
}

// checksum returns the checksum of a message of n bytes whose messageSum is
// base, for the given version and, for VRRPv3 over IPv4, variant: the message
// alone for VRRPv2 (RFC 3768 §5.3.8) and ChecksumNoPseudoHeader (RFC 9568
// §5.2.8), with a pseudo-header otherwise (RFC 5798 §5.2.8). src and dst are
// unmapped.
func checksum(base uint64, n int, version uint8, src, dst netip.Addr, v ChecksumVariant) uint16 {
	if version == Version3 {
		switch {
		case src.Is6(), v == ChecksumPseudoHeader:
			base += pseudoSum(src, dst, n)
		case v == ChecksumGroupPseudoHeader:
			base += pseudoSum(src, GroupIPv4(), n)
		}
	}
	return fold(base)
}

// checksumMatches reports whether the received checksum got equals the
// computed want. The Internet checksum has two zeros: when the computed value
// is 0x0000, 0xffff verifies too (RFC 1071 §1), as it would for a receiver
// that sums the whole message and compares with 0xffff.
func checksumMatches(got, want uint16) bool {
	return got == want || (want == 0 && got == 0xffff)
}
