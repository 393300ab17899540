package health

import (
	"encoding/binary"
	"errors"
	"net"
	"net/netip"
)

// An ARP packet for IPv4 over Ethernet (RFC 826), as an AF_PACKET datagram
// socket sends and receives it, without the Ethernet header:
//
//	 0                   1                   2                   3
//	 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|    hardware type (1)          |    protocol type (0x0800)     |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	| hw len (6)    | proto len (4) |    operation (1 req, 2 reply) |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|    sender hardware address (6 bytes) ...                      |
//	|    sender protocol address (4 bytes) ...                      |
//	|    target hardware address (6 bytes) ...                      |
//	|    target protocol address (4 bytes)                          |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
const arpLen = 28

// ARP operation codes (RFC 826).
const (
	arpRequest = 1
	arpReply   = 2
)

// arpPacket is the fields of an Ethernet/IPv4 ARP packet that vary.
type arpPacket struct {
	op                     uint16
	senderMAC, targetMAC   net.HardwareAddr
	senderAddr, targetAddr netip.Addr
}

var errNotARP = errors.New("not an Ethernet/IPv4 ARP packet")

// appendARP appends the packet's 28 bytes to b. MACs are 6 bytes and
// addresses IPv4.
func appendARP(b []byte, p arpPacket) []byte {
	b = binary.BigEndian.AppendUint16(b, 1)      // hardware type: Ethernet
	b = binary.BigEndian.AppendUint16(b, 0x0800) // protocol type: IPv4
	b = append(b, 6, 4)                          // address lengths
	b = binary.BigEndian.AppendUint16(b, p.op)
	b = append(b, p.senderMAC[:6]...)
	b = append(b, p.senderAddr.AsSlice()...)
	b = append(b, p.targetMAC[:6]...)
	b = append(b, p.targetAddr.AsSlice()...)
	return b
}

// parseARP decodes an Ethernet/IPv4 ARP packet; bytes after the 28 (the
// Ethernet padding) are ignored.
func parseARP(b []byte) (arpPacket, error) {
	if len(b) < arpLen || binary.BigEndian.Uint16(b[0:2]) != 1 || binary.BigEndian.Uint16(b[2:4]) != 0x0800 || b[4] != 6 || b[5] != 4 {
		return arpPacket{}, errNotARP
	}
	return arpPacket{
		op:         binary.BigEndian.Uint16(b[6:8]),
		senderMAC:  net.HardwareAddr(b[8:14]),
		senderAddr: netip.AddrFrom4([4]byte(b[14:18])),
		targetMAC:  net.HardwareAddr(b[18:24]),
		targetAddr: netip.AddrFrom4([4]byte(b[24:28])),
	}, nil
}
