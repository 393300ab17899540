package vrrp

import (
	"encoding/binary"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestChecksumVariants covers VRRPv3-over-IPv4's three checksums: each is
// accepted on receive and recorded, and each is reproduced on send. The
// no-pseudo-header messages are not captures: keepalived 2.2.7 cannot send
// them (v3_checksum_as_v2 arrived in 2.2.8); their checksums were computed
// independently (Python, RFC 1071 over the message alone) and agree with
// refChecksum.
func TestChecksumVariants(t *testing.T) {
	tests := []struct {
		name     string
		msg      []byte
		src, dst netip.Addr
		want     ChecksumVariant
	}{
		{
			name: "keepalived 2.2.7 default: pseudo-header with the multicast destination",
			msg:  v3Msg4(),
			src:  src4,
			dst:  grp4,
			want: ChecksumPseudoHeader,
		},
		{
			name: "RFC 9568 §5.2.8, Cisco, Juniper, keepalived v3_checksum_as_v2: message only",
			msg: []byte{
				0x31,       // version 3, type 1
				53,         // VRID
				200,        // priority
				2,          // count IPv4 addrs
				0x00, 0x64, // max advert interval 100 cs
				0x81, 0x99, // checksum over the message alone
				192, 0, 2, 100,
				192, 0, 2, 101,
			},
			src:  src4,
			dst:  grp4,
			want: ChecksumNoPseudoHeader,
		},
		{
			name: "keepalived 2.2.7 unicast: pseudo-header with the unicast destination",
			msg:  readGolden(t, "keepalived-v3-ipv4-unicast").msg,
			src:  src4,
			dst:  peer4,
			want: ChecksumPseudoHeader,
		},
		{
			name: "RFC 9568 §5.2.8 unicast: message only",
			msg: []byte{
				0x31,       // version 3, type 1
				55,         // VRID
				150,        // priority
				1,          // count IPv4 addrs
				0x00, 0x64, // max advert interval 100 cs
				0x75, 0xfe, // checksum over the message alone
				192, 0, 2, 100,
			},
			src:  src4,
			dst:  peer4,
			want: ChecksumNoPseudoHeader,
		},
		{
			name: "keepalived old_unicast_checksum (before 1.3.6): pseudo-header with 224.0.0.18 though unicast",
			msg:  readGolden(t, "keepalived-v3-ipv4-unicast-oldchecksum").msg,
			src:  src4,
			dst:  peer4,
			want: ChecksumGroupPseudoHeader,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := binary.BigEndian.Uint16(tt.msg[6:8]), refChecksum(tt.msg, tt.src, tt.dst, tt.want); got != want {
				t.Fatalf("test vector checksum %#04x, reference computes %#04x", got, want)
			}
			a, err := Parse(tt.msg, tt.src, tt.dst)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if a.ChecksumVariant != tt.want {
				t.Errorf("ChecksumVariant = %v, want %v", a.ChecksumVariant, tt.want)
			}
			if diff := cmp.Diff(tt.msg, a.Append(nil, tt.src, tt.dst)); diff != "" {
				t.Errorf("Append (-want +got):\n%s", diff)
			}
		})
	}
}

// TestChecksumVariantOnSend: the sender chooses the variant; the zero value
// is keepalived's, and IPv6 and VRRPv2 ignore it.
func TestChecksumVariantOnSend(t *testing.T) {
	v3 := Advert{Version: 3, Type: 1, VRID: 53, Priority: 200, MaxAdvertInt: 100, Addrs: addrs("192.0.2.100", "192.0.2.101")}
	v6 := Advert{Version: 3, Type: 1, VRID: 54, Priority: 100, MaxAdvertInt: 100, Addrs: addrs("fe80::54", "2001:db8::54")}
	v2 := Advert{Version: 2, Type: 1, VRID: 51, Priority: 150, AdvertInt: 1, Addrs: addrs("192.0.2.100")}
	with := func(a Advert, v ChecksumVariant) Advert { a.ChecksumVariant = v; return a }
	tests := []struct {
		name     string
		a        Advert
		src, dst netip.Addr
		want     uint16
	}{
		{"zero value: keepalived's pseudo-header", v3, src4, grp4, 0xdf04},
		{"ChecksumPseudoHeader", with(v3, ChecksumPseudoHeader), src4, grp4, 0xdf04},
		{"ChecksumNoPseudoHeader (RFC 9568)", with(v3, ChecksumNoPseudoHeader), src4, grp4, 0x8199},
		{"ChecksumGroupPseudoHeader to the group equals the pseudo-header", with(v3, ChecksumGroupPseudoHeader), src4, grp4, 0xdf04},
		{"IPv6 ignores the variant", with(v6, ChecksumNoPseudoHeader), src6, grp6, 0xe54e},
		{"VRRPv2 ignores the variant", with(v2, ChecksumPseudoHeader), src4, grp4, 0x8665},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := tt.a.Append(nil, tt.src, tt.dst)
			if got := binary.BigEndian.Uint16(msg[6:8]); got != tt.want {
				t.Errorf("checksum %#04x, want %#04x", got, tt.want)
			}
		})
	}
}

// TestChecksumNegativeZero: RFC 1071's one's-complement sum has two zeros.
// When the computed checksum is 0x0000, a message carrying 0xffff verifies
// too, and Append keeps whichever the parsed message carried.
func TestChecksumNegativeZero(t *testing.T) {
	// The words other than the checksum sum to 0xffff: 0x2101 + 0x6401 +
	// 0x0101 + 0xc000 + 0x0201 + 0xb7fa = 0x1fffe, folded 0xffff.
	msg := []byte{
		0x21,       // version 2, type 1
		1,          // VRID
		100,        // priority
		1,          // count
		1,          // auth type: simple
		1,          // advert interval 1 s
		0x00, 0x00, // checksum: the computed one
		192, 0, 2, 1,
		0xb7, 0xfa, 0, 0, // authentication data
		0, 0, 0, 0,
	}
	if got := refChecksum(msg, src4, grp4, 0); got != 0 {
		t.Fatalf("test vector: reference checksum %#04x, want 0", got)
	}
	for _, sum := range []uint16{0x0000, 0xffff} {
		m := append([]byte(nil), msg...)
		binary.BigEndian.PutUint16(m[6:8], sum)
		a, err := Parse(m, src4, grp4)
		if err != nil {
			t.Fatalf("Parse with checksum %#04x: %v", sum, err)
		}
		if diff := cmp.Diff(m, a.Append(nil, src4, grp4)); diff != "" {
			t.Errorf("Append of checksum %#04x (-want +got):\n%s", sum, diff)
		}
	}
	a, _ := Parse(msg, src4, grp4)
	a.Checksum = 0
	if got := binary.BigEndian.Uint16(a.Append(nil, src4, grp4)[6:8]); got != 0 {
		t.Errorf("Append of a new advert: checksum %#04x, want 0x0000 as computed", got)
	}
}

// TestChecksumMatchesReference compares the word-at-a-time sum with the
// reference over odd and even lengths and every variant.
func TestChecksumMatchesReference(t *testing.T) {
	msg := make([]byte, 0, 64)
	for i := range 64 {
		msg = append(msg, byte(i*37+11))
	}
	msg[0] = 0x31
	for n := 8; n <= len(msg); n++ {
		for _, v := range []ChecksumVariant{ChecksumPseudoHeader, ChecksumNoPseudoHeader, ChecksumGroupPseudoHeader} {
			m := msg[:n]
			if got, want := checksum(messageSum(m), n, 3, src4, peer4, v), refChecksum(m, src4, peer4, v); got != want {
				t.Errorf("IPv4 %v, %d bytes: %#04x, reference %#04x", v, n, got, want)
			}
		}
		if got, want := checksum(messageSum(msg[:n]), n, 3, src6, grp6, 0), refChecksum(msg[:n], src6, grp6, 0); got != want {
			t.Errorf("IPv6, %d bytes: %#04x, reference %#04x", n, got, want)
		}
	}
}
