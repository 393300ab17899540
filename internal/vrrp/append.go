package vrrp

import (
	"encoding/binary"
	"net/netip"
)

// Append appends a encoded for an IP packet from src to dst to b and returns
// the extended slice, computing the checksum (RFC 3768 §5.3.8; RFC 5798
// §5.2.8 with, for IPv4, a.ChecksumVariant). It does not check a: it writes
// Version, Type, Reserved and MaxAdvertInt truncated to their fields, at most
// 255 addresses, and zeros for an address of the wrong family, so call
// Validate on values that did not come from Parse. For any message Parse
// accepts, Append of the result with the same src and dst gives the same
// bytes.
func (a Advert) Append(b []byte, src, dst netip.Addr) []byte {
	src, dst = src.Unmap(), dst.Unmap()
	addrs := a.Addrs
	if len(addrs) > MaxAddrs {
		addrs = addrs[:MaxAddrs]
	}
	start := len(b)
	b = append(b, a.Version<<4|a.Type&0x0f, a.VRID, a.Priority, uint8(len(addrs)))
	if a.Version == Version2 {
		b = append(b, uint8(a.AuthType), a.AdvertInt)
	} else {
		b = binary.BigEndian.AppendUint16(b, uint16(a.Reserved)<<12|a.MaxAdvertInt&MaxMaxAdvertInt)
	}
	b = append(b, 0, 0) // checksum, filled in below
	wide := a.Version != Version2 && src.Is6()
	for _, addr := range addrs {
		if wide {
			a16 := addr.As16()
			b = append(b, a16[:]...)
		} else {
			a4 := as4(addr.Unmap())
			b = append(b, a4[:]...)
		}
	}
	if a.Version == Version2 {
		b = append(b, a.AuthData[:]...)
	}
	msg := b[start:]
	sum := checksum(messageSum(msg), len(msg), a.Version, src, dst, a.ChecksumVariant)
	if sum == 0 && a.Checksum == 0xffff {
		sum = 0xffff // the other zero, kept so that a parsed message re-encodes as received
	}
	binary.BigEndian.PutUint16(msg[6:8], sum)
	return b
}
