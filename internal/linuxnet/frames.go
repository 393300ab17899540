package linuxnet

import (
	"encoding/binary"
	"net"
	"net/netip"
)

// Frame encoders for the announcements. They build whole Ethernet frames
// (without frame check sequence; the NIC pads short frames to 60 bytes) so
// that announcements go out through one AF_PACKET socket per link and do not
// depend on the state of the address in the kernel.

// ARP operation codes (RFC 826, "ar$op").
const (
	arpRequest = 1
	arpReply   = 2
)

// EtherTypes (IEEE 802 numbers, as RFC 826 and RFC 2464 use them).
const (
	etherTypeIPv4 = 0x0800
	etherTypeARP  = 0x0806
	etherTypeIPv6 = 0x86dd
)

// Lengths of the headers in the frames built here.
const (
	ethHeaderLen  = 14 // destination, source, EtherType
	arpLen        = 28 // RFC 826 packet for Ethernet and IPv4
	ipv6HeaderLen = 40 // RFC 8200 §3
	naLen         = 24 // RFC 4861 §4.4 without options
	tllaOptLen    = 8  // RFC 4861 §4.6.1 for a 6-byte address
)

var (
	broadcastMAC = net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
	// allNodesMAC is 33:33 followed by the low 32 bits of ff02::1
	// (RFC 2464 §7).
	allNodesMAC = net.HardwareAddr{0x33, 0x33, 0x00, 0x00, 0x00, 0x01}
	// allNodes is the link-local all-nodes multicast address (RFC 4291
	// §2.7.1), the destination of unsolicited neighbour advertisements
	// (RFC 4861 §7.2.6).
	allNodes = netip.MustParseAddr("ff02::1")
)

// appendGratuitousARP appends a broadcast Ethernet frame carrying a
// gratuitous ARP for ip (an IPv4 address) from mac (6 bytes). op is
// arpRequest or arpReply.
//
// The request is an ARP Announcement (RFC 5227 §2.3): sender and target
// protocol address both ip, target hardware address zero (RFC 5227 §2.1.1:
// ignored, SHOULD be zero). The reply has the target hardware address set
// to mac as well (RFC 5944 §4.6, gratuitous ARP as a reply). Some stacks
// learn only from one of the two, so vipd sends both.
func appendGratuitousARP(b []byte, op uint16, mac net.HardwareAddr, ip netip.Addr) []byte {
	a4 := ip.As4()
	b = append(b, broadcastMAC...)                      // Ethernet destination: broadcast
	b = append(b, mac...)                               // Ethernet source
	b = binary.BigEndian.AppendUint16(b, etherTypeARP)  // EtherType
	b = binary.BigEndian.AppendUint16(b, 1)             // ar$hrd: Ethernet (RFC 826)
	b = binary.BigEndian.AppendUint16(b, etherTypeIPv4) // ar$pro: IPv4
	b = append(b, 6, 4)                                 // ar$hln, ar$pln
	b = binary.BigEndian.AppendUint16(b, op)            // ar$op
	b = append(b, mac...)                               // ar$sha
	b = append(b, a4[:]...)                             // ar$spa
	if op == arpReply {
		b = append(b, mac...) // ar$tha: RFC 5944 §4.6
	} else {
		b = append(b, 0, 0, 0, 0, 0, 0) // ar$tha: RFC 5227 §2.1.1
	}
	return append(b, a4[:]...) // ar$tpa = ar$spa: gratuitous
}

// appendUnsolicitedNA appends an Ethernet frame carrying an unsolicited
// neighbour advertisement for ip (an IPv6 address) from mac (6 bytes), as
// RFC 4861 §7.2.6 describes: to all-nodes, Solicited clear, Override set,
// with a Target Link-Layer Address option. The source address is ip itself,
// as Linux does for its own addresses (an address of the interface, RFC 4861
// §4.4). router sets the Router flag (RFC 4861 §4.4: set by routers).
func appendUnsolicitedNA(b []byte, mac net.HardwareAddr, ip netip.Addr, router bool) []byte {
	b = append(b, allNodesMAC...)                       // Ethernet destination (RFC 2464 §7)
	b = append(b, mac...)                               // Ethernet source
	b = binary.BigEndian.AppendUint16(b, etherTypeIPv6) // EtherType
	ipStart := len(b)
	b = append(b, 0x60, 0, 0, 0)                           // version 6, traffic class 0, flow label 0
	b = binary.BigEndian.AppendUint16(b, naLen+tllaOptLen) // payload length
	b = append(b, 58, 255)                                 // next header ICMPv6; hop limit 255 (RFC 4861 §7.1.2)
	b = append(b, ip.AsSlice()...)                         // source
	b = append(b, allNodes.AsSlice()...)                   // destination
	icmpStart := len(b)
	b = append(b, 136, 0, 0, 0) // type Neighbor Advertisement, code 0, checksum (below)
	var flags byte = 0x20       // O: override (RFC 4861 §4.4)
	if router {
		flags |= 0x80 // R
	}
	b = append(b, flags, 0, 0, 0)  // R S O flags, reserved
	b = append(b, ip.AsSlice()...) // target address
	b = append(b, 2, 1)            // option: Target Link-Layer Address, length 1 (8 bytes)
	b = append(b, mac...)
	sum := icmpv6Checksum(b[ipStart+8:ipStart+24], b[ipStart+24:ipStart+40], b[icmpStart:])
	binary.BigEndian.PutUint16(b[icmpStart+2:], sum)
	return b
}

// icmpv6Checksum is the Internet checksum (RFC 1071) over the IPv6
// pseudo-header (RFC 8200 §8.1) and the ICMPv6 message (RFC 4443 §2.3),
// whose checksum field is zero.
func icmpv6Checksum(src, dst, msg []byte) uint16 {
	var sum uint32
	add := func(b []byte) {
		for i := 0; i+1 < len(b); i += 2 {
			sum += uint32(binary.BigEndian.Uint16(b[i:]))
		}
		if len(b)%2 == 1 {
			sum += uint32(b[len(b)-1]) << 8
		}
	}
	add(src)
	add(dst)
	var l [8]byte
	binary.BigEndian.PutUint32(l[:], uint32(len(msg))) // upper-layer packet length
	l[7] = 58                                          // next header
	add(l[:])
	add(msg)
	for sum>>16 != 0 {
		sum = sum&0xffff + sum>>16
	}
	return ^uint16(sum)
}
