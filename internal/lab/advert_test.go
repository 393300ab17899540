package lab

import (
	"encoding/binary"
	"net"
	"net/netip"
	"testing"
)

// Advert payloads as the implementations send them: only the first two
// bytes matter to isAdvert; the rest is filler of a realistic length.
var (
	// VRRPv3 (RFC 5798 §5.2): version 3, type 1; VRID 10; priority 250;
	// count 1; max advert interval 100 cs; checksum; one IPv4 address.
	vrrp3Payload = []byte{
		0x31,       // version 3, type 1 (ADVERTISEMENT)
		10,         // VRID
		250,        // priority
		1,          // count IPvX addresses
		0x00, 0x64, // reserved, max advert interval 100 cs
		0x00, 0x00, // checksum (not checked)
		192, 0, 2, 100, // VIP
	}
	// CARP as ucarp 1.5.2 sends it: version 2, type 1; vhid 10; advskew 6;
	// auth length 7; demote 0; advbase 1; checksum; counter; HMAC.
	carpPayload = append([]byte{
		0x21, // version 2, type 1 (ADVERTISEMENT)
		10,   // vhid
		6,    // advskew
		7,    // auth length
		0,    // demote
		1,    // advbase
		0, 0, // checksum (not checked)
		0, 0, 0, 0, 0, 0, 0, 1, // counter
	}, make([]byte, 20)...) // HMAC-SHA1
)

// advertFrame builds an Ethernet frame from src to dst carrying payload as
// IP protocol proto, with IPv4 options or IPv6 extension headers ext (a
// multiple of 4 bytes, resp. whole headers, their next-header fields set
// here).
func advertFrame(srcMAC net.HardwareAddr, src, dst netip.Addr, proto byte, ext []byte, payload []byte) []byte {
	dstMAC := net.HardwareAddr{0x01, 0x00, 0x5e, 0x00, 0x00, 0x12}
	b := append([]byte{}, dstMAC...)
	b = append(b, srcMAC...)
	if src.Is4() {
		ihl := (20 + len(ext)) / 4
		b = binary.BigEndian.AppendUint16(b, etherTypeIPv4)
		b = append(b,
			0x40|byte(ihl), 0xc0, // version 4, IHL; TOS
			0, byte(ihl*4+len(payload)), // total length
			0, 0, 0, 0, // id; flags and fragment offset
			255, proto, 0, 0) // TTL, protocol, checksum (not checked)
		s, d := src.As4(), dst.As4()
		b = append(b, s[:]...)
		b = append(b, d[:]...)
		b = append(b, ext...)
		return append(b, payload...)
	}
	b = binary.BigEndian.AppendUint16(b, etherTypeIPv6)
	next := proto
	if len(ext) > 0 {
		next = 0 // hop-by-hop options
		ext = append([]byte{}, ext...)
		ext[0] = proto
	}
	b = append(b,
		0x60, 0, 0, 0, // version 6, traffic class, flow label
		0, byte(len(ext)+len(payload)), // payload length
		next, 255) // next header, hop limit
	s, d := src.As16(), dst.As16()
	b = append(b, s[:]...)
	b = append(b, d[:]...)
	b = append(b, ext...)
	return append(b, payload...)
}

var (
	v4, v4Peer, v4Group = netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("192.0.2.2"), netip.MustParseAddr("224.0.0.18")
	v6, v6Peer, v6Group = netip.MustParseAddr("fe80::1"), netip.MustParseAddr("2001:db8::2"), netip.MustParseAddr("ff02::12")
	// hopByHop is an 8-byte hop-by-hop options header: next header (set
	// by advertFrame), length 0, a Router Alert option, padding.
	hopByHop = []byte{0, 0, 5, 2, 0, 0, 1, 0}
)

func TestIsAdvert(t *testing.T) {
	laterFragment := advertFrame(macA, v4, v4Group, protoAdvert, nil, vrrp3Payload)
	laterFragment[14+7] = 1 // fragment offset 8 bytes
	// One payload byte, then Ethernet padding that is no part of it.
	padded := append(advertFrame(macA, v4, v4Group, protoAdvert, nil, []byte{0x31}), 10, 0, 0)
	tests := []struct {
		name  string
		frame []byte
		want  bool
	}{
		{"VRRPv3 IPv4 multicast", advertFrame(macA, v4, v4Group, protoAdvert, nil, vrrp3Payload), true},
		{"VRRPv3 IPv4 unicast", advertFrame(macA, v4, v4Peer, protoAdvert, nil, vrrp3Payload), true},
		{"CARP IPv4 multicast", advertFrame(macA, v4, v4Group, protoAdvert, nil, carpPayload), true},
		{"VRRPv3 IPv4 with options", advertFrame(macA, v4, v4Group, protoAdvert, []byte{1, 1, 1, 0}, vrrp3Payload), true},
		{"VRRPv3 IPv6 multicast", advertFrame(macA, v6, v6Group, protoAdvert, nil, vrrp3Payload), true},
		{"VRRPv3 IPv6 unicast", advertFrame(macA, v6, v6Peer, protoAdvert, nil, vrrp3Payload), true},
		{"VRRPv3 IPv6 after hop-by-hop options", advertFrame(macA, v6, v6Group, protoAdvert, hopByHop, vrrp3Payload), true},
		{"CARP from ucarp's virtual MAC", advertFrame(net.HardwareAddr{0, 0, 0x5e, 0, 0, 10}, v4, v4Group, protoAdvert, nil, carpPayload), true},

		{"another group's advert", advertFrame(macA, v4, v4Group, protoAdvert, nil, append([]byte{0x31, 11}, vrrp3Payload[2:]...)), false},
		{"VRRPv3 type 2", advertFrame(macA, v4, v4Group, protoAdvert, nil, append([]byte{0x32}, vrrp3Payload[1:]...)), false},
		{"version 1", advertFrame(macA, v4, v4Group, protoAdvert, nil, append([]byte{0x11}, vrrp3Payload[1:]...)), false},
		{"IPv4 UDP", appendUDPFrame(nil, macB, macA, v4, v4Peer, 112, 112, vrrp3Payload), false},
		{"IPv6 UDP", appendUDPFrame(nil, macB, macA, netip.MustParseAddr("2001:db8::1"), v6Peer, 112, 112, vrrp3Payload), false},
		{"IPv6 ICMPv6 after hop-by-hop options (MLD)", advertFrame(macA, v6, v6Group, 58, hopByHop, vrrp3Payload), false},
		{"later IPv4 fragment", laterFragment, false},
		{"one payload byte, then padding", padded, false},
		{"ARP", append(append(append([]byte{}, macB...), macA...), 0x08, 0x06, 0, 1, 0x08, 0, 6, 4, 0, 1), false},
		{"empty", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := isAdvert(tt.frame, 10); got != tt.want {
				t.Errorf("isAdvert(% x) = %v, want %v", tt.frame, got, tt.want)
			}
		})
	}
}

// TestIsAdvertTruncated checks that no cut of an advert reads as one (the
// group id is its last byte isAdvert needs) and that none panics.
func TestIsAdvertTruncated(t *testing.T) {
	for _, f := range [][]byte{
		advertFrame(macA, v4, v4Group, protoAdvert, nil, vrrp3Payload[:2]),
		advertFrame(macA, v6, v6Group, protoAdvert, hopByHop, vrrp3Payload[:2]),
	} {
		if !isAdvert(f, 10) {
			t.Fatalf("the whole frame % x is no advert", f)
		}
		for n := range len(f) {
			if isAdvert(f[:n], 10) {
				t.Errorf("the first %d bytes of % x read as an advert", n, f)
			}
		}
	}
}
