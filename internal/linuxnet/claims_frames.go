package linuxnet

import (
	"encoding/binary"
	"net/netip"

	"golang.org/x/net/bpf"

	"github.com/vipd/vipd/internal/netif"
)

// Frames that claim an address: what the claim watch reads and how. An
// ARP packet (RFC 826) claims its sender protocol address for its sender
// hardware address, whatever its operation: a reply answers for it, a
// request announces it (RFC 5227 §2.3) or at least uses it. A neighbour
// advertisement (RFC 4861 §4.4) claims its target address for its target
// link-layer address option, or for the frame's source when it has none.

// Offsets in an Ethernet frame without VLAN tag (the kernel strips it
// before AF_PACKET sockets see the frame).
const (
	offEtherType  = 12
	offIPv6Next   = ethHeaderLen + 6             // next header
	offIPv6Hop    = ethHeaderLen + 7             // hop limit
	offICMPv6     = ethHeaderLen + ipv6HeaderLen // type, code, checksum
	icmpTypeNA    = 136
	ndOptTargetLL = 2 // RFC 4861 §4.6.1
)

// claimFilter is the socket filter of the claim watch: it passes ARP frames
// and ICMPv6 neighbour advertisements (without extension headers, as
// neighbour discovery sends them) and drops everything else in the kernel,
// so the watch costs nothing per probe or advert on a busy link.
var claimFilter = mustAssemble([]bpf.Instruction{
	bpf.LoadAbsolute{Off: offEtherType, Size: 2},
	bpf.JumpIf{Cond: bpf.JumpEqual, Val: etherTypeARP, SkipTrue: 5},
	bpf.JumpIf{Cond: bpf.JumpNotEqual, Val: etherTypeIPv6, SkipTrue: 5},
	bpf.LoadAbsolute{Off: offIPv6Next, Size: 1},
	bpf.JumpIf{Cond: bpf.JumpNotEqual, Val: 58, SkipTrue: 3}, // ICMPv6
	bpf.LoadAbsolute{Off: offICMPv6, Size: 1},
	bpf.JumpIf{Cond: bpf.JumpNotEqual, Val: icmpTypeNA, SkipTrue: 1},
	bpf.RetConstant{Val: 1 << 16}, // the whole frame
	bpf.RetConstant{Val: 0},
})

func mustAssemble(prog []bpf.Instruction) []bpf.RawInstruction {
	raw, err := bpf.Assemble(prog)
	if err != nil {
		panic(err)
	}
	return raw
}

// parseClaim reads one frame: the address it claims, for which hardware
// address, and how. ok is false for anything else, malformed frames
// included.
func parseClaim(f []byte) (addr netip.Addr, mac netif.MAC, kind netif.ClaimKind, ok bool) {
	if len(f) < ethHeaderLen {
		return addr, mac, 0, false
	}
	switch binary.BigEndian.Uint16(f[offEtherType:]) {
	case etherTypeARP:
		return parseARPClaim(f[ethHeaderLen:])
	case etherTypeIPv6:
		return parseNAClaim(f)
	}
	return addr, mac, 0, false
}

// parseARPClaim reads an ARP packet for IPv4 over Ethernet (RFC 826).
func parseARPClaim(p []byte) (addr netip.Addr, mac netif.MAC, kind netif.ClaimKind, ok bool) {
	if len(p) < arpLen ||
		binary.BigEndian.Uint16(p[0:]) != 1 || // ar$hrd: Ethernet
		binary.BigEndian.Uint16(p[2:]) != etherTypeIPv4 || // ar$pro
		p[4] != 6 || p[5] != 4 { // ar$hln, ar$pln
		return addr, mac, 0, false
	}
	switch binary.BigEndian.Uint16(p[6:]) { // ar$op
	case arpRequest:
		kind = netif.ClaimARPRequest
	case arpReply:
		kind = netif.ClaimARPReply
	default:
		return addr, mac, 0, false
	}
	copy(mac[:], p[8:14])                     // ar$sha
	addr = netip.AddrFrom4([4]byte(p[14:18])) // ar$spa
	// A sender address of 0.0.0.0 is an ARP probe (RFC 5227 §2.1.1): it
	// asks whether the address is taken and claims nothing.
	if addr.IsUnspecified() {
		return addr, mac, 0, false
	}
	return addr, mac, kind, true
}

// parseNAClaim reads a neighbour advertisement in an Ethernet frame,
// validated as RFC 4861 §7.1.2 asks of a receiver where it matters here:
// hop limit 255 (it was sent on the link), code 0, a correct checksum, at
// least 24 bytes, a target that is not multicast, well-formed options.
func parseNAClaim(f []byte) (addr netip.Addr, mac netif.MAC, kind netif.ClaimKind, ok bool) {
	if len(f) < offICMPv6+naLen || f[ethHeaderLen]>>4 != 6 || f[offIPv6Next] != 58 || f[offIPv6Hop] != 255 {
		return addr, mac, 0, false
	}
	plen := int(binary.BigEndian.Uint16(f[ethHeaderLen+4:]))
	if offICMPv6+plen > len(f) || plen < naLen {
		return addr, mac, 0, false
	}
	icmp := f[offICMPv6 : offICMPv6+plen]
	src, dst := f[ethHeaderLen+8:ethHeaderLen+24], f[ethHeaderLen+24:ethHeaderLen+40]
	// Over a message with its checksum in place, the sum comes out zero.
	if icmp[0] != icmpTypeNA || icmp[1] != 0 || icmpv6Checksum(src, dst, icmp) != 0 {
		return addr, mac, 0, false
	}
	addr = netip.AddrFrom16([16]byte(icmp[8:24]))
	if addr.IsMulticast() {
		return addr, mac, 0, false
	}
	copy(mac[:], f[6:12]) // the frame's source, unless the option says otherwise
	for opts := icmp[naLen:]; len(opts) > 0; {
		if len(opts) < 2 || opts[1] == 0 || int(opts[1])*8 > len(opts) {
			return addr, mac, 0, false // RFC 4861 §4.6: length 0 is invalid
		}
		n := int(opts[1]) * 8
		if opts[0] == ndOptTargetLL && n >= 8 {
			copy(mac[:], opts[2:8])
		}
		opts = opts[n:]
	}
	return addr, mac, netif.ClaimNeighborAdvert, true
}
