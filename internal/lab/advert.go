package lab

import "encoding/binary"

// protoAdvert is the IP protocol number of VRRP (RFC 5798 §5.1.1.3, RFC
// 3768 §5.2.4), which CARP took as well: every advert the lab's
// implementations send travels as protocol 112.
const protoAdvert = 112

// The first payload byte of an advert: version in the high nibble, type 1
// (ADVERTISEMENT) in the low one. VRRPv2 and CARP are both version 2
// (RFC 3768 §5.3.1), VRRPv3 is version 3 (RFC 5798 §5.2.1).
const (
	advertV2 = 0x21
	advertV3 = 0x31
)

// isAdvert reports whether frame, an Ethernet frame, is a VRRP or CARP
// advert for group id: IPv4 protocol 112 or IPv6 next header 112, any
// destination (multicast, or a peer's address in unicast labs), and a
// payload that starts as an advert does (version 2 or 3, type 1, then
// VRRP's VRID or CARP's vhid). The Ethernet source says nothing of the
// sender: keepalived sends from its interface's address, ucarp from CARP's
// virtual one (00:00:5e:00:00:vhid). It reads only the headers and the
// first two payload bytes, and never fails on a short frame.
func isAdvert(frame []byte, id uint8) bool {
	if len(frame) < 14 {
		return false
	}
	var p []byte
	switch binary.BigEndian.Uint16(frame[12:14]) {
	case etherTypeIPv4:
		p = ipv4Payload(frame[14:], protoAdvert)
	case etherTypeIPv6:
		p = ipv6Payload(frame[14:], protoAdvert)
	}
	return len(p) >= 2 && (p[0] == advertV2 || p[0] == advertV3) && p[1] == id
}

// ipv4Payload returns the payload of the IPv4 packet ip if it carries
// protocol proto and is not a later fragment, or nil.
func ipv4Payload(ip []byte, proto byte) []byte {
	if len(ip) < 20 || ip[0]>>4 != 4 {
		return nil
	}
	ihl := int(ip[0]&0x0f) * 4
	total := int(binary.BigEndian.Uint16(ip[2:4]))
	if ihl < 20 || total < ihl || len(ip) < ihl || ip[9] != proto {
		return nil
	}
	if binary.BigEndian.Uint16(ip[6:8])&0x1fff != 0 { // fragment offset
		return nil
	}
	// Ethernet pads short frames: the packet ends at its total length.
	return ip[ihl:min(total, len(ip))]
}

// ipv6Payload returns the payload of the IPv6 packet ip if its last header
// is proto, or nil. It steps over hop-by-hop, routing and destination
// options headers (RFC 8200 §4), which may come before an advert.
func ipv6Payload(ip []byte, proto byte) []byte {
	if len(ip) < 40 || ip[0]>>4 != 6 {
		return nil
	}
	next, off := ip[6], 40
	end := min(40+int(binary.BigEndian.Uint16(ip[4:6])), len(ip))
	for next == 0 || next == 43 || next == 60 {
		if off+2 > end {
			return nil
		}
		next, off = ip[off], off+(int(ip[off+1])+1)*8
	}
	if next != proto || off > end {
		return nil
	}
	return ip[off:end]
}
