package linuxnet

import (
	"encoding/binary"
	"net/netip"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/vipd/vipd/internal/netif"
)

// naWithoutOption is an unsolicited NA for ip from mac without the target
// link-layer address option (RFC 4861 §4.4 allows leaving it out), with
// its lengths and checksum fixed up.
func naWithoutOption(ip netip.Addr) []byte {
	f := appendUnsolicitedNA(nil, testMAC, ip, false)
	f = f[:offICMPv6+naLen]
	binary.BigEndian.PutUint16(f[ethHeaderLen+4:], naLen)
	f[offICMPv6+2], f[offICMPv6+3] = 0, 0
	sum := icmpv6Checksum(f[ethHeaderLen+8:ethHeaderLen+24], f[ethHeaderLen+24:ethHeaderLen+40], f[offICMPv6:])
	binary.BigEndian.PutUint16(f[offICMPv6+2:], sum)
	return f
}

func TestParseClaim(t *testing.T) {
	var mac netif.MAC
	copy(mac[:], testMAC)
	other := netif.MAC{0x02, 0, 0, 0, 0, 0x99}

	optionMAC := appendUnsolicitedNA(nil, testMAC, testV6, false)
	copy(optionMAC[len(optionMAC)-6:], other[:]) // the option names another MAC than the frame's source
	fixSum := func(f []byte) []byte {
		f[offICMPv6+2], f[offICMPv6+3] = 0, 0
		sum := icmpv6Checksum(f[ethHeaderLen+8:ethHeaderLen+24], f[ethHeaderLen+24:ethHeaderLen+40], f[offICMPv6:])
		binary.BigEndian.PutUint16(f[offICMPv6+2:], sum)
		return f
	}
	optionMAC = fixSum(optionMAC)

	probe := appendGratuitousARP(nil, arpRequest, testMAC, testV4)
	copy(probe[ethHeaderLen+14:ethHeaderLen+18], []byte{0, 0, 0, 0}) // RFC 5227 §2.1.1 probe: sender 0.0.0.0

	badSum := appendUnsolicitedNA(nil, testMAC, testV6, false)
	badSum[offICMPv6+2] ^= 0xff
	hop254 := appendUnsolicitedNA(nil, testMAC, testV6, false)
	hop254[offIPv6Hop] = 254 // routed here, not sent on the link (RFC 4861 §7.1.2)
	zeroOpt := appendUnsolicitedNA(nil, testMAC, testV6, false)
	zeroOpt[offICMPv6+naLen+1] = 0 // option length 0 (RFC 4861 §4.6)
	zeroOpt = fixSum(zeroOpt)
	rarp := appendGratuitousARP(nil, 3, testMAC, testV4)
	ipv4 := appendGratuitousARP(nil, arpReply, testMAC, testV4)
	binary.BigEndian.PutUint16(ipv4[offEtherType:], etherTypeIPv4)

	for _, tc := range []struct {
		name  string
		frame []byte
		ok    bool
		addr  netip.Addr
		mac   netif.MAC
		kind  netif.ClaimKind
	}{
		{"gratuitous ARP reply", appendGratuitousARP(nil, arpReply, testMAC, testV4), true, testV4, mac, netif.ClaimARPReply},
		{"gratuitous ARP request", appendGratuitousARP(nil, arpRequest, testMAC, testV4), true, testV4, mac, netif.ClaimARPRequest},
		{"unsolicited NA", appendUnsolicitedNA(nil, testMAC, testV6, true), true, testV6, mac, netif.ClaimNeighborAdvert},
		{"NA: the option's MAC counts", optionMAC, true, testV6, other, netif.ClaimNeighborAdvert},
		{"NA without option: the frame's source", naWithoutOption(testV6), true, testV6, mac, netif.ClaimNeighborAdvert},
		{"ARP probe claims nothing", probe, false, netip.Addr{}, netif.MAC{}, 0},
		{"ARP operation 3", rarp, false, netip.Addr{}, netif.MAC{}, 0},
		{"NA with a bad checksum", badSum, false, netip.Addr{}, netif.MAC{}, 0},
		{"NA with hop limit 254", hop254, false, netip.Addr{}, netif.MAC{}, 0},
		{"NA with a zero-length option", zeroOpt, false, netip.Addr{}, netif.MAC{}, 0},
		{"truncated ARP", appendGratuitousARP(nil, arpReply, testMAC, testV4)[:ethHeaderLen+20], false, netip.Addr{}, netif.MAC{}, 0},
		{"truncated NA", appendUnsolicitedNA(nil, testMAC, testV6, false)[:offICMPv6+10], false, netip.Addr{}, netif.MAC{}, 0},
		{"not ARP or IPv6", ipv4, false, netip.Addr{}, netif.MAC{}, 0},
		{"empty", nil, false, netip.Addr{}, netif.MAC{}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addr, mac, kind, ok := parseClaim(tc.frame)
			if ok != tc.ok {
				t.Fatalf("ok = %v, want %v", ok, tc.ok)
			}
			if ok && (addr != tc.addr || mac != tc.mac || kind != tc.kind) {
				t.Errorf("claim %v by %v (%v), want %v by %v (%v)", addr, mac, kind, tc.addr, tc.mac, tc.kind)
			}
		})
	}
}

// TestClaimFilter runs the socket filter in x/net's BPF interpreter: ARP
// and neighbour advertisements pass whole, other frames not at all.
func TestClaimFilter(t *testing.T) {
	vm, err := bpf.NewVM(mustDisassemble(t, claimFilter))
	if err != nil {
		t.Fatal(err)
	}
	ipv4 := appendGratuitousARP(nil, arpReply, testMAC, testV4)
	binary.BigEndian.PutUint16(ipv4[offEtherType:], etherTypeIPv4)
	ns := appendUnsolicitedNA(nil, testMAC, testV6, false)
	ns[offICMPv6] = 135 // a neighbour solicitation
	udp6 := appendUnsolicitedNA(nil, testMAC, testV6, false)
	udp6[offIPv6Next] = 17
	for _, tc := range []struct {
		name  string
		frame []byte
		pass  bool
	}{
		{"ARP", appendGratuitousARP(nil, arpRequest, testMAC, testV4), true},
		{"NA", appendUnsolicitedNA(nil, testMAC, testV6, false), true},
		{"NS", ns, false},
		{"UDP over IPv6", udp6, false},
		{"IPv4", ipv4, false},
	} {
		n, err := vm.Run(tc.frame)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		// The kernel keeps min(n, frame length) bytes: 0 drops the frame.
		if pass := n >= len(tc.frame); pass != tc.pass || (n != 0 && !pass) {
			t.Errorf("%s: filter keeps %d bytes of %d, want pass=%v", tc.name, n, len(tc.frame), tc.pass)
		}
	}
}

func mustDisassemble(t *testing.T, raw []bpf.RawInstruction) []bpf.Instruction {
	t.Helper()
	prog, ok := bpf.Disassemble(raw)
	if !ok {
		t.Fatal("the filter does not disassemble")
	}
	return prog
}
