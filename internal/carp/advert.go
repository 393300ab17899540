package carp

import (
	"encoding/binary"
	"time"
)

// Wire constants of a CARP advertisement as ucarp 1.5.2 and OpenBSD send it.
const (
	// Len is the length in bytes of a CARP advertisement (the IP payload).
	Len = 36
	// IPProtocol is the IP protocol number CARP shares with VRRP.
	IPProtocol = 112
	// TTL is the IPv4 TTL a sender uses and a receiver requires: 255
	// proves the packet did not cross a router.
	TTL = 255
	// ProtoVersion is the only CARP version (high nibble of byte 0).
	ProtoVersion = 2
	// TypeAdvertisement is the only CARP message type (low nibble of byte 0).
	TypeAdvertisement = 1
	// AuthWords is the authlen byte: counter plus HMAC in 32-bit words.
	AuthWords = 7
	// ResignAdv is the advbase and advskew a master sends when it leaves
	// (OpenBSD's bow-out). ucarp never sends it by itself but schedules no
	// further advertisement after one, and a ucarp backup that receives it
	// takes over at once (the advertised 255.996 s exceeds its own
	// advbase × dead ratio unless that is 256 s or more).
	ResignAdv = 255
)

// Byte offsets of the fields, named as in the package doc.
const (
	offVersionType = 0
	offVHID        = 1
	offAdvSkew     = 2
	offAuthLen     = 3
	offDemote      = 4
	offAdvBase     = 5
	offChecksum    = 6
	offCounter     = 8
	offHMAC        = 16
)

// skewUnit is 1/256 s, the unit of advskew; it is exact in nanoseconds.
const skewUnit = time.Second / 256

// Advert is one CARP advertisement with every field in wire units, so that
// Parse followed by Append gives back the same bytes.
type Advert struct {
	Version  uint8    // high nibble of byte 0; ProtoVersion
	Type     uint8    // low nibble of byte 0; TypeAdvertisement
	VHID     uint8    // virtual host id, 1–255
	AdvSkew  uint8    // 1/256 s added to AdvBase; higher = less preferred
	AuthLen  uint8    // AuthWords
	Demote   uint8    // reserved: ucarp sends 0; OpenBSD's demotion counter
	AdvBase  uint8    // seconds between advertisements
	Checksum uint16   // Internet checksum of the 36 bytes, as on the wire
	Counter  uint64   // replay counter, big-endian on the wire
	HMAC     [20]byte // HMAC-SHA1, see Key.Sign
}

// NewAdvert returns an advertisement with the constant fields filled in and
// the given vhid, timing and counter. Sign it, then Append it.
func NewAdvert(vhid, advBase, advSkew uint8, counter uint64) Advert {
	return Advert{
		Version: ProtoVersion,
		Type:    TypeAdvertisement,
		VHID:    vhid,
		AdvSkew: advSkew,
		AuthLen: AuthWords,
		AdvBase: advBase,
		Counter: counter,
	}
}

// Interval is how often the sender advertises: AdvBase seconds plus
// AdvSkew/256 s. It is exact in nanoseconds (1/256 s = 3906250 ns); ucarp
// truncates the skew to microseconds, which orders intervals the same way.
// Advbase 0 with advskew 0 gives 0: ucarp refuses to send it and OpenBSD
// then advertises every 1/256 s. This is the one place where CARP's wire
// units become a time.Duration.
func (a Advert) Interval() time.Duration {
	return time.Duration(a.AdvBase)*time.Second + time.Duration(a.AdvSkew)*skewUnit
}

// Resigning reports whether the advertisement says its sender is leaving
// the master role: advbase 255 and advskew 255 (OpenBSD's and ucarp's
// convention; the sender schedules no further advertisement after it).
func (a Advert) Resigning() bool {
	return a.AdvBase == ResignAdv && a.AdvSkew == ResignAdv
}

// Append appends the 36-byte wire form of a to b and returns the extended
// slice. It computes the checksum; the Checksum field is ignored. Version
// and Type are truncated to 4 bits. Append does not sign: call Key.Sign
// first.
func (a Advert) Append(b []byte) []byte {
	start := len(b)
	b = append(b,
		a.Version<<4|a.Type&0x0f, a.VHID, a.AdvSkew, a.AuthLen,
		a.Demote, a.AdvBase, 0, 0)
	b = binary.BigEndian.AppendUint64(b, a.Counter)
	b = append(b, a.HMAC[:]...)
	p := b[start:]
	binary.BigEndian.PutUint16(p[offChecksum:], checksum(p))
	return b
}

// checksum returns the Internet checksum (RFC 1071) of b, where b's own
// checksum field is zero or is to be verified: over a packet whose
// checksum field is correct, the result is 0. CARP computes it over the 36
// bytes alone, with no pseudo-header.
func checksum(b []byte) uint16 {
	var sum uint32
	for i := 0; i+1 < len(b); i += 2 {
		sum += uint32(b[i])<<8 | uint32(b[i+1])
	}
	if len(b)%2 == 1 {
		sum += uint32(b[len(b)-1]) << 8
	}
	for sum > 0xffff {
		sum = sum>>16 + sum&0xffff
	}
	return ^uint16(sum)
}
