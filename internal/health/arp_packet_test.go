package health

import (
	"net"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestARPCodec(t *testing.T) {
	req := arpPacket{
		op:         arpRequest,
		senderMAC:  net.HardwareAddr{0x02, 0, 0, 0, 0, 0x01},
		senderAddr: netip.MustParseAddr("192.0.2.1"),
		targetMAC:  net.HardwareAddr{0, 0, 0, 0, 0, 0},
		targetAddr: netip.MustParseAddr("192.0.2.254"),
	}
	want := []byte{
		0x00, 0x01, // hardware type: Ethernet
		0x08, 0x00, // protocol type: IPv4
		6,          // hardware address length
		4,          // protocol address length
		0x00, 0x01, // operation: request
		0x02, 0, 0, 0, 0, 0x01, // sender MAC
		192, 0, 2, 1, // sender address
		0, 0, 0, 0, 0, 0, // target MAC: unknown
		192, 0, 2, 254, // target address
	}
	got := appendARP(nil, req)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("appendARP (-want +got):\n%s", diff)
	}
	// Ethernet pads frames to 60 bytes; the padding is ignored.
	back, err := parseARP(append(got, make([]byte, 18)...))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(req, back, cmp.AllowUnexported(arpPacket{}), cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
		t.Errorf("parseARP (-want +got):\n%s", diff)
	}
}

func TestParseARPRefuses(t *testing.T) {
	good := appendARP(nil, arpPacket{
		op: arpReply, senderMAC: make(net.HardwareAddr, 6), targetMAC: make(net.HardwareAddr, 6),
		senderAddr: netip.MustParseAddr("192.0.2.1"), targetAddr: netip.MustParseAddr("192.0.2.2"),
	})
	for _, tc := range []struct {
		name   string
		change func(b []byte) []byte
	}{
		{"short", func(b []byte) []byte { return b[:27] }},
		{"not Ethernet", func(b []byte) []byte { b[1] = 6; return b }},
		{"not IPv4", func(b []byte) []byte { b[2] = 0x86; b[3] = 0xdd; return b }},
		{"hardware length", func(b []byte) []byte { b[4] = 8; return b }},
		{"protocol length", func(b []byte) []byte { b[5] = 16; return b }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := tc.change(append([]byte(nil), good...))
			if _, err := parseARP(b); err != errNotARP {
				t.Errorf("parseARP = %v, want errNotARP", err)
			}
		})
	}
}
