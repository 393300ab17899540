package vrrp

import (
	"net/netip"
	"slices"

	"github.com/google/go-cmp/cmp"
)

// cmpAddr compares netip.Addr values with ==, which go-cmp cannot do on its
// own for a struct with unexported fields.
var cmpAddr = cmp.Comparer(func(x, y netip.Addr) bool { return x == y })

// refChecksum is a slow, readable reference for the checksum of msg (whose
// checksum field it ignores): it lays the pseudo-header out as bytes the way
// the RFCs draw it and sums RFC 1071's 16-bit words one by one.
func refChecksum(msg []byte, src, dst netip.Addr, v ChecksumVariant) uint16 {
	m := slices.Clone(msg)
	m[6], m[7] = 0, 0
	var data []byte
	if m[0]>>4 == 3 {
		n := len(m)
		switch {
		case src.Is6():
			// RFC 8200 §8.1: source, destination, upper-layer length
			// (32 bits), three zero bytes, next header.
			s, d := src.As16(), dst.As16()
			data = append(data, s[:]...)
			data = append(data, d[:]...)
			data = append(data, byte(n>>24), byte(n>>16), byte(n>>8), byte(n), 0, 0, 0, 112)
		case v == ChecksumPseudoHeader || v == ChecksumGroupPseudoHeader:
			// keepalived's ipv4_phdr_t: source, destination, zero,
			// protocol, length (16 bits).
			if v == ChecksumGroupPseudoHeader {
				dst = netip.MustParseAddr("224.0.0.18")
			}
			s, d := src.As4(), dst.As4()
			data = append(data, s[:]...)
			data = append(data, d[:]...)
			data = append(data, 0, 112, byte(n>>8), byte(n))
		}
	}
	data = append(data, m...)
	var s uint32
	for i := 0; i < len(data); i += 2 {
		w := uint32(data[i]) << 8
		if i+1 < len(data) {
			w |= uint32(data[i+1])
		}
		s += w
	}
	for s>>16 != 0 {
		s = s&0xffff + s>>16
	}
	return ^uint16(s)
}

// withChecksum returns a copy of msg with the reference checksum in place, so
// that a test of another check is not stopped by the checksum.
func withChecksum(msg []byte, src, dst netip.Addr, v ChecksumVariant) []byte {
	m := slices.Clone(msg)
	c := refChecksum(m, src, dst, v)
	m[6], m[7] = byte(c>>8), byte(c)
	return m
}
