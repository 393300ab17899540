package linuxnet

import (
	"bytes"
	"net"
	"net/netip"
	"slices"
	"testing"

	"github.com/mdlayher/ndp"
)

var (
	testMAC = net.HardwareAddr{0x02, 0x00, 0x5e, 0x10, 0x20, 0x30}
	testV4  = netip.MustParseAddr("192.0.2.10")
	testV6  = netip.MustParseAddr("2001:db8::10")
)

func cat(parts ...[]byte) []byte { return slices.Concat(parts...) }

func TestGratuitousARPRequest(t *testing.T) {
	want := cat(
		[]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, // Ethernet destination: broadcast (RFC 5227 §2.3: broadcast)
		testMAC,                  // Ethernet source: the NIC's MAC
		[]byte{0x08, 0x06},       // EtherType ARP (RFC 826)
		[]byte{0x00, 0x01},       // ar$hrd: Ethernet (RFC 826)
		[]byte{0x08, 0x00},       // ar$pro: IPv4 (RFC 826)
		[]byte{6},                // ar$hln (RFC 826)
		[]byte{4},                // ar$pln (RFC 826)
		[]byte{0x00, 0x01},       // ar$op: request (RFC 826; RFC 5227 §2.3 ARP Announcement)
		testMAC,                  // ar$sha: the NIC's MAC (RFC 5227 §2.3)
		[]byte{192, 0, 2, 10},    // ar$spa: the VIP (RFC 5227 §2.3)
		[]byte{0, 0, 0, 0, 0, 0}, // ar$tha: zero (RFC 5227 §2.1.1: ignored, SHOULD be zero)
		[]byte{192, 0, 2, 10},    // ar$tpa: the VIP again, gratuitous (RFC 5227 §2.3)
	)
	got := appendGratuitousARP(nil, arpRequest, testMAC, testV4)
	if !bytes.Equal(got, want) {
		t.Fatalf("ARP request frame:\n got %x\nwant %x", got, want)
	}
	if len(got) != ethHeaderLen+arpLen {
		t.Fatalf("length %d, want %d", len(got), ethHeaderLen+arpLen)
	}
}

func TestGratuitousARPReply(t *testing.T) {
	want := cat(
		[]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, // Ethernet destination: broadcast (RFC 5944 §4.6)
		testMAC,               // Ethernet source
		[]byte{0x08, 0x06},    // EtherType ARP (RFC 826)
		[]byte{0x00, 0x01},    // ar$hrd: Ethernet
		[]byte{0x08, 0x00},    // ar$pro: IPv4
		[]byte{6},             // ar$hln
		[]byte{4},             // ar$pln
		[]byte{0x00, 0x02},    // ar$op: reply (RFC 826)
		testMAC,               // ar$sha: the NIC's MAC (RFC 5944 §4.6)
		[]byte{192, 0, 2, 10}, // ar$spa: the VIP (RFC 5944 §4.6)
		testMAC,               // ar$tha: the NIC's MAC too (RFC 5944 §4.6, reply form)
		[]byte{192, 0, 2, 10}, // ar$tpa: the VIP (RFC 5944 §4.6)
	)
	got := appendGratuitousARP(nil, arpReply, testMAC, testV4)
	if !bytes.Equal(got, want) {
		t.Fatalf("ARP reply frame:\n got %x\nwant %x", got, want)
	}
}

func TestUnsolicitedNA(t *testing.T) {
	allNodes := netip.MustParseAddr("ff02::1").AsSlice()
	header := cat(
		[]byte{0x33, 0x33, 0x00, 0x00, 0x00, 0x01}, // Ethernet destination: 33:33 + low 32 bits of ff02::1 (RFC 2464 §7)
		testMAC,               // Ethernet source: the NIC's MAC
		[]byte{0x86, 0xdd},    // EtherType IPv6 (RFC 2464 §3)
		[]byte{0x60, 0, 0, 0}, // version 6, traffic class 0, flow label 0 (RFC 8200 §3)
		[]byte{0x00, 32},      // payload length: 24-byte NA + 8-byte option
		[]byte{58},            // next header: ICMPv6
		[]byte{255},           // hop limit 255 (RFC 4861 §7.1.2: receivers drop anything else)
		testV6.AsSlice(),      // source: the VIP, an address of the interface (RFC 4861 §4.4)
		allNodes,              // destination: all-nodes (RFC 4861 §7.2.6)
	)
	icmp := cat(
		[]byte{136},        // type: Neighbor Advertisement (RFC 4861 §4.4)
		[]byte{0},          // code 0 (RFC 4861 §4.4)
		[]byte{0x00, 0x00}, // checksum, checked below (RFC 4443 §2.3)
		[]byte{0x20},       // R=0, S=0 (unsolicited, RFC 4861 §7.2.6), O=1 (override, RFC 4861 §7.2.6)
		[]byte{0, 0, 0},    // reserved
		testV6.AsSlice(),   // target address: the VIP (RFC 4861 §4.4)
		[]byte{2},          // option type 2: Target Link-Layer Address (RFC 4861 §4.6.1)
		[]byte{1},          // option length in units of 8 bytes (RFC 4861 §4.6.1)
		testMAC,            // the link-layer address: the NIC's MAC (RFC 4861 §7.2.6)
	)
	got := appendUnsolicitedNA(nil, testMAC, testV6, false)
	if len(got) != len(header)+len(icmp) {
		t.Fatalf("length %d, want %d", len(got), len(header)+len(icmp))
	}
	gotICMP := slices.Clone(got[len(header):])
	sum := gotICMP[2:4]
	gotICMP[2], gotICMP[3] = 0, 0
	if !bytes.Equal(got[:len(header)], header) || !bytes.Equal(gotICMP, icmp) {
		t.Fatalf("NA frame:\n got %x\nwant %x (checksum aside)", got, cat(header, icmp))
	}
	// A correct checksum makes the sum over pseudo-header and message,
	// checksum included, come out as zero (RFC 1071).
	if c := icmpv6Checksum(testV6.AsSlice(), allNodes, got[len(header):]); c != 0 {
		t.Fatalf("checksum %x does not verify (residue %#x)", sum, c)
	}

	// An independent decoder agrees.
	m, err := ndp.ParseMessage(got[len(header):])
	if err != nil {
		t.Fatalf("ndp.ParseMessage: %v", err)
	}
	na, ok := m.(*ndp.NeighborAdvertisement)
	if !ok || na.Router || na.Solicited || !na.Override || na.TargetAddress != testV6 || len(na.Options) != 1 {
		t.Fatalf("ndp decoded %#v", m)
	}
	if lla, ok := na.Options[0].(*ndp.LinkLayerAddress); !ok || lla.Direction != ndp.Target || !bytes.Equal(lla.Addr, testMAC) {
		t.Fatalf("ndp option %#v", na.Options[0])
	}
}

func TestUnsolicitedNARouterFlag(t *testing.T) {
	got := appendUnsolicitedNA(nil, testMAC, testV6, true)
	off := ethHeaderLen + ipv6HeaderLen + 4
	if got[off] != 0xa0 { // R=1 (RFC 4861 §4.4: set by routers), O=1
		t.Fatalf("flags %#x, want 0xa0", got[off])
	}
	if c := icmpv6Checksum(testV6.AsSlice(), allNodes.AsSlice(), got[ethHeaderLen+ipv6HeaderLen:]); c != 0 {
		t.Fatalf("checksum does not verify (residue %#x)", c)
	}
}

// TestICMPv6ChecksumOddLength checks the padding of an odd-length message
// (RFC 1071 §4.1: the last byte is the high half of a 16-bit word).
func TestICMPv6ChecksumOddLength(t *testing.T) {
	// Source and destination zero, message 0xff: the words add up to
	// 0x0001 (length) + 0x003a (next header) + 0xff00 = 0xff3b, whose
	// complement is 0x00c4.
	zero := make([]byte, 16)
	if got := icmpv6Checksum(zero, zero, []byte{0xff}); got != 0x00c4 {
		t.Fatalf("checksum %#04x, want 0x00c4", got)
	}
}
