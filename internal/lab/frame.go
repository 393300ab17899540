package lab

import (
	"encoding/binary"
	"net"
	"net/netip"
)

// Sweep probes bypass the client's neighbour table: each is an Ethernet
// frame addressed to one host's MAC with the VIP as IP destination, so that
// every host that holds the VIP answers, whichever host the client's ARP
// entry points at. That is how the lab sees two hosts answering for one VIP.

// EtherTypes of the frames built here.
const (
	etherTypeIPv4 = 0x0800
	etherTypeIPv6 = 0x86dd
)

// appendUDPFrame appends an Ethernet frame carrying a UDP datagram from
// src:sport to dst:dport with payload. src and dst are of one family.
func appendUDPFrame(b []byte, dstMAC, srcMAC net.HardwareAddr, src, dst netip.Addr, sport, dport uint16, payload []byte) []byte {
	b = append(b, dstMAC...)
	b = append(b, srcMAC...)
	udpLen := 8 + len(payload)
	if src.Is4() {
		b = binary.BigEndian.AppendUint16(b, etherTypeIPv4)
		ip := len(b)
		b = append(b,
			0x45, 0, // version 4, IHL 5; TOS
			byte((20+udpLen)>>8), byte(20+udpLen), // total length
			0, 0, 0x40, 0, // id; DF
			64, 17, 0, 0) // TTL, protocol UDP, checksum (below)
		s4, d4 := src.As4(), dst.As4()
		b = append(b, s4[:]...)
		b = append(b, d4[:]...)
		binary.BigEndian.PutUint16(b[ip+10:], ^onesSum(0, b[ip:ip+20]))
		// UDP checksum 0: none, allowed over IPv4 (RFC 768).
		b = appendUDP(b, sport, dport, payload)
		return b
	}
	b = binary.BigEndian.AppendUint16(b, etherTypeIPv6)
	b = append(b, 0x60, 0, 0, 0, byte(udpLen>>8), byte(udpLen), 17, 64)
	s16, d16 := src.As16(), dst.As16()
	b = append(b, s16[:]...)
	b = append(b, d16[:]...)
	u := len(b)
	b = appendUDP(b, sport, dport, payload)
	// RFC 8200 §8.1: the UDP checksum is mandatory over IPv6 and covers
	// the pseudo-header (source, destination, length, next header).
	sum := onesSum(0, s16[:])
	sum = onesSum(sum, d16[:])
	sum = onesSum(sum, []byte{0, 0, byte(udpLen >> 8), byte(udpLen), 0, 0, 0, 17})
	sum = onesSum(sum, b[u:])
	c := ^sum
	if c == 0 {
		c = 0xffff
	}
	binary.BigEndian.PutUint16(b[u+6:], c)
	return b
}

// appendUDP appends a UDP header with a zero checksum, then payload.
func appendUDP(b []byte, sport, dport uint16, payload []byte) []byte {
	b = binary.BigEndian.AppendUint16(b, sport)
	b = binary.BigEndian.AppendUint16(b, dport)
	b = binary.BigEndian.AppendUint16(b, uint16(8+len(payload)))
	b = append(b, 0, 0)
	return append(b, payload...)
}

// onesSum adds b to the one's complement sum sum (RFC 1071), folded to 16
// bits.
func onesSum(sum uint16, b []byte) uint16 {
	s := uint32(sum)
	for i := 0; i+1 < len(b); i += 2 {
		s += uint32(b[i])<<8 | uint32(b[i+1])
	}
	if len(b)%2 == 1 {
		s += uint32(b[len(b)-1]) << 8
	}
	for s > 0xffff {
		s = s>>16 + s&0xffff
	}
	return uint16(s)
}
