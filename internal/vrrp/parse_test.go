package vrrp

import (
	"errors"
	"net/netip"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var (
	src4  = netip.MustParseAddr("192.0.2.1")
	peer4 = netip.MustParseAddr("192.0.2.2")
	grp4  = netip.MustParseAddr("224.0.0.18")
	src6  = netip.MustParseAddr("fe80::2c:4cff:fe3e:e9a")
	grp6  = netip.MustParseAddr("ff02::12")
)

// v2Msg is keepalived's VRRPv2 advert (keepalived-v2-noauth).
func v2Msg() []byte {
	return []byte{
		0x21,       // version 2, type 1
		51,         // VRID
		150,        // priority
		1,          // count IP addrs
		0,          // auth type: none
		1,          // advert interval: 1 s
		0x86, 0x65, // checksum
		192, 0, 2, 100, // IP address (1)
		0, 0, 0, 0, // authentication data (1)
		0, 0, 0, 0, // authentication data (2)
	}
}

// v3Msg4 is keepalived's VRRPv3 IPv4 advert (keepalived-v3-ipv4), checksum
// with the pseudo-header for src4 to grp4.
func v3Msg4() []byte {
	return []byte{
		0x31,       // version 3, type 1
		53,         // VRID
		200,        // priority
		2,          // count IPv4 addrs
		0x00, 0x64, // reserved 0, max advert interval 100 cs
		0xdf, 0x04, // checksum
		192, 0, 2, 100, // IPv4 address (1)
		192, 0, 2, 101, // IPv4 address (2)
	}
}

// v3Msg6 is keepalived's VRRPv3 IPv6 advert (keepalived-v3-ipv6) from src6
// to grp6.
func v3Msg6() []byte {
	return []byte{
		0x31,       // version 3, type 1
		54,         // VRID
		100,        // priority
		2,          // count IPv6 addrs
		0x00, 0x64, // reserved 0, max advert interval 100 cs
		0xe5, 0x4e, // checksum
		0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x54, // fe80::54
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x54, // 2001:db8::54
	}
}

// edit returns a copy of msg changed by f.
func edit(msg []byte, f func(m []byte) []byte) []byte { return f(slices.Clone(msg)) }

func TestParseRejects(t *testing.T) {
	tests := []struct {
		name       string
		msg        []byte
		src, dst   netip.Addr
		wantErr    error
		wantReason string
		wantField  string
		wantOffset int
	}{
		{
			name:       "RFC 5798 §5.1: empty",
			msg:        nil,
			src:        src4,
			dst:        grp4,
			wantErr:    ErrTooShort,
			wantReason: "too-short",
			wantField:  "header",
			wantOffset: 0,
		},
		{
			name:       "RFC 5798 §5.1: shorter than the 8-byte header",
			msg:        v3Msg4()[:7],
			src:        src4,
			dst:        grp4,
			wantErr:    ErrTooShort,
			wantReason: "too-short",
			wantField:  "header",
			wantOffset: 7,
		},
		{
			name:       "RFC 5798 §7.1: version 1 (RFC 2338 draft) discarded",
			msg:        edit(v3Msg4(), func(m []byte) []byte { m[0] = 0x11; return m }),
			src:        src4,
			dst:        grp4,
			wantErr:    ErrVersion,
			wantReason: "bad-version",
			wantField:  "version",
		},
		{
			name:       "RFC 5798 §7.1: version 4 discarded",
			msg:        edit(v3Msg4(), func(m []byte) []byte { m[0] = 0x41; return m }),
			src:        src4,
			dst:        grp4,
			wantErr:    ErrVersion,
			wantReason: "bad-version",
			wantField:  "version",
		},
		{
			name:       "RFC 5798 §5.2.2: type 2 is not an advertisement",
			msg:        withChecksum(edit(v3Msg4(), func(m []byte) []byte { m[0] = 0x32; return m }), src4, grp4, ChecksumPseudoHeader),
			src:        src4,
			dst:        grp4,
			wantErr:    ErrType,
			wantReason: "bad-type",
			wantField:  "type",
		},
		{
			name:       "RFC 3768 §5.3.2: VRRPv2 type 0",
			msg:        withChecksum(edit(v2Msg(), func(m []byte) []byte { m[0] = 0x20; return m }), src4, grp4, 0),
			src:        src4,
			dst:        grp4,
			wantErr:    ErrType,
			wantReason: "bad-type",
			wantField:  "type",
		},
		{
			name:       "RFC 3768 §5.1: VRRPv2 over IPv6",
			msg:        v2Msg(),
			src:        src6,
			dst:        grp6,
			wantErr:    ErrFamily,
			wantReason: "family-mismatch",
			wantField:  "src",
			wantOffset: -1,
		},
		{
			name:       "RFC 5798 §5.1: IPv4 source, IPv6 destination",
			msg:        v3Msg4(),
			src:        src4,
			dst:        grp6,
			wantErr:    ErrFamily,
			wantReason: "family-mismatch",
			wantField:  "dst",
			wantOffset: -1,
		},
		{
			name:       "no source address",
			msg:        v3Msg4(),
			src:        netip.Addr{},
			dst:        grp4,
			wantErr:    ErrFamily,
			wantReason: "family-mismatch",
			wantField:  "src",
			wantOffset: -1,
		},
		{
			name:       "RFC 5798 §5.2.9: IPv6 addresses in an IPv4 packet",
			msg:        withChecksum(v3Msg6(), src4, grp4, ChecksumPseudoHeader),
			src:        src4,
			dst:        grp4,
			wantErr:    ErrFamily,
			wantReason: "family-mismatch",
			wantField:  "addresses",
			wantOffset: 8,
		},
		{
			name:       "RFC 5798 §5.2.9: IPv4 addresses in an IPv6 packet",
			msg:        withChecksum(v3Msg4(), src6, grp6, 0),
			src:        src6,
			dst:        grp6,
			wantErr:    ErrFamily,
			wantReason: "family-mismatch",
			wantField:  "addresses",
			wantOffset: 8,
		},
		{
			name:       "RFC 5798 §5.2.5: count of zero addresses",
			msg:        withChecksum(edit(v3Msg4(), func(m []byte) []byte { m[3] = 0; return m[:8] }), src4, grp4, ChecksumPseudoHeader),
			src:        src4,
			dst:        grp4,
			wantErr:    ErrAddrCount,
			wantReason: "bad-addr-count",
			wantField:  "count",
			wantOffset: 3,
		},
		{
			name:       "RFC 3768 §5.3.5: VRRPv2 count of zero addresses",
			msg:        withChecksum(edit(v2Msg(), func(m []byte) []byte { m[3] = 0; return append(m[:8], m[12:]...) }), src4, grp4, 0),
			src:        src4,
			dst:        grp4,
			wantErr:    ErrAddrCount,
			wantReason: "bad-addr-count",
			wantField:  "count",
			wantOffset: 3,
		},
		{
			name:       "RFC 5798 §7.1: count says 3, message holds 2",
			msg:        withChecksum(edit(v3Msg4(), func(m []byte) []byte { m[3] = 3; return m }), src4, grp4, ChecksumPseudoHeader),
			src:        src4,
			dst:        grp4,
			wantErr:    ErrLength,
			wantReason: "bad-length",
			wantField:  "count",
			wantOffset: 3,
		},
		{
			name:       "keepalived: trailing byte after the addresses (expected_len != buflen)",
			msg:        withChecksum(append(v3Msg4(), 0), src4, grp4, ChecksumPseudoHeader),
			src:        src4,
			dst:        grp4,
			wantErr:    ErrLength,
			wantReason: "bad-length",
			wantField:  "count",
			wantOffset: 3,
		},
		{
			name:       "RFC 3768 §5.1: VRRPv2 without its 8 authentication bytes",
			msg:        withChecksum(v2Msg()[:12], src4, grp4, 0),
			src:        src4,
			dst:        grp4,
			wantErr:    ErrLength,
			wantReason: "bad-length",
			wantField:  "count",
			wantOffset: 3,
		},
		{
			name:       "ucarp 1.5.2: a 36-byte CARP advert with authlen 7 is CARP, not VRRPv2",
			msg:        readGolden(t, "ucarp-carp").msg,
			src:        src4,
			dst:        grp4,
			wantErr:    ErrCARP,
			wantReason: "is-carp",
			wantField:  "count",
			wantOffset: 3,
		},
		{
			name:       "RFC 5798 §7.1: checksum off by one",
			msg:        edit(v3Msg4(), func(m []byte) []byte { m[7]++; return m }),
			src:        src4,
			dst:        grp4,
			wantErr:    ErrChecksum,
			wantReason: "bad-checksum",
			wantField:  "checksum",
			wantOffset: 6,
		},
		{
			name:       "RFC 5798 §5.2.8: pseudo-header for another source",
			msg:        v3Msg4(),
			src:        peer4,
			dst:        grp4,
			wantErr:    ErrChecksum,
			wantReason: "bad-checksum",
			wantField:  "checksum",
			wantOffset: 6,
		},
		{
			name:       "RFC 3768 §7.1: VRRPv2 checksum wrong",
			msg:        edit(v2Msg(), func(m []byte) []byte { m[6] ^= 0x80; return m }),
			src:        src4,
			dst:        grp4,
			wantErr:    ErrChecksum,
			wantReason: "bad-checksum",
			wantField:  "checksum",
			wantOffset: 6,
		},
		{
			name:       "RFC 5798 §5.2.8: IPv6 has one variant only, the pseudo-header",
			msg:        withChecksum(v3Msg6(), src4, grp4, ChecksumNoPseudoHeader),
			src:        src6,
			dst:        grp6,
			wantErr:    ErrChecksum,
			wantReason: "bad-checksum",
			wantField:  "checksum",
			wantOffset: 6,
		},
		{
			name:       "RFC 5798 §5.2.8: IPv6 pseudo-header for another destination",
			msg:        v3Msg6(),
			src:        src6,
			dst:        netip.MustParseAddr("2001:db8::2"),
			wantErr:    ErrChecksum,
			wantReason: "bad-checksum",
			wantField:  "checksum",
			wantOffset: 6,
		},
		{
			name:       "RFC 3768 §7.1: checksum is checked before the auth type",
			msg:        edit(v2Msg(), func(m []byte) []byte { m[4] = 2; return m }),
			src:        src4,
			dst:        grp4,
			wantErr:    ErrChecksum,
			wantReason: "bad-checksum",
			wantField:  "checksum",
			wantOffset: 6,
		},
		{
			name:       "RFC 5798 §5.2.7: max advert interval 0",
			msg:        withChecksum(edit(v3Msg4(), func(m []byte) []byte { m[4], m[5] = 0, 0; return m }), src4, grp4, ChecksumPseudoHeader),
			src:        src4,
			dst:        grp4,
			wantErr:    ErrInterval,
			wantReason: "bad-interval",
			wantField:  "max advert interval",
			wantOffset: 4,
		},
		{
			name:       "RFC 5798 §5.2.6: reserved bits set and interval 0",
			msg:        withChecksum(edit(v3Msg4(), func(m []byte) []byte { m[4], m[5] = 0xf0, 0; return m }), src4, grp4, ChecksumPseudoHeader),
			src:        src4,
			dst:        grp4,
			wantErr:    ErrInterval,
			wantReason: "bad-interval",
			wantField:  "max advert interval",
			wantOffset: 4,
		},
		{
			name:       "RFC 3768 §5.3.7: advert interval 0",
			msg:        withChecksum(edit(v2Msg(), func(m []byte) []byte { m[5] = 0; return m }), src4, grp4, 0),
			src:        src4,
			dst:        grp4,
			wantErr:    ErrInterval,
			wantReason: "bad-interval",
			wantField:  "advert interval",
			wantOffset: 5,
		},
		{
			name:       "RFC 2338 §5.3.6.2: auth type 2, IPsec AH (keepalived auth_type AH)",
			msg:        withChecksum(edit(v2Msg(), func(m []byte) []byte { m[4] = 2; return m }), src4, grp4, 0),
			src:        src4,
			dst:        grp4,
			wantErr:    ErrAuthAH,
			wantReason: "auth-ah",
			wantField:  "auth type",
			wantOffset: 4,
		},
		{
			name:       "RFC 3768 §5.3.6: unknown auth type 3",
			msg:        withChecksum(edit(v2Msg(), func(m []byte) []byte { m[4] = 3; return m }), src4, grp4, 0),
			src:        src4,
			dst:        grp4,
			wantErr:    ErrAuthType,
			wantReason: "bad-auth-type",
			wantField:  "auth type",
			wantOffset: 4,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.msg, tt.src, tt.dst)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Parse: error %v, want %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(Advert{}, got, cmpAddr); diff != "" {
				t.Errorf("Parse returned a value with its error (-want +got):\n%s", diff)
			}
			if got := ReasonOf(err).String(); got != tt.wantReason {
				t.Errorf("ReasonOf = %q, want %q", got, tt.wantReason)
			}
			var perr *ParseError
			if !errors.As(err, &perr) {
				t.Fatalf("error %T is not a *ParseError", err)
			}
			if perr.Field != tt.wantField || perr.Offset != tt.wantOffset {
				t.Errorf("field %q at offset %d, want %q at %d", perr.Field, perr.Offset, tt.wantField, tt.wantOffset)
			}
		})
	}
}

// TestParseAccepts covers messages that look like a rejection but are valid.
func TestParseAccepts(t *testing.T) {
	seven := []byte{
		0x31,       // version 3, type 1: not CARP, which is always 0x21
		51,         // VRID
		100,        // priority
		7,          // count: 7, like CARP's authlen
		0x00, 0x64, // max advert interval 100 cs
		0, 0, // checksum, filled in below
		192, 0, 2, 101,
		192, 0, 2, 102,
		192, 0, 2, 103,
		192, 0, 2, 104,
		192, 0, 2, 105,
		192, 0, 2, 106,
		192, 0, 2, 107,
	}
	tests := []struct {
		name     string
		msg      []byte
		src, dst netip.Addr
		want     Advert
	}{
		{
			name: "RFC 5798 §5.2.5: VRRPv3 with 7 IPv4 addresses is 36 bytes, like CARP, and is not CARP",
			msg:  withChecksum(seven, src4, grp4, ChecksumPseudoHeader),
			src:  src4,
			dst:  grp4,
			want: Advert{
				Version:      3,
				Type:         1,
				VRID:         51,
				Priority:     100,
				MaxAdvertInt: 100,
				Checksum:     refChecksum(seven, src4, grp4, ChecksumPseudoHeader),
				Addrs: addrs("192.0.2.101", "192.0.2.102", "192.0.2.103", "192.0.2.104",
					"192.0.2.105", "192.0.2.106", "192.0.2.107"),
			},
		},
		{
			name: "RFC 5798 §5.2.6: reserved bits are kept, not checked",
			msg:  withChecksum(edit(v3Msg4(), func(m []byte) []byte { m[4] = 0xa0; return m }), src4, grp4, ChecksumPseudoHeader),
			src:  src4,
			dst:  grp4,
			want: Advert{
				Version:      3,
				Type:         1,
				VRID:         53,
				Priority:     200,
				Reserved:     0xa,
				MaxAdvertInt: 100,
				Checksum:     refChecksum(edit(v3Msg4(), func(m []byte) []byte { m[4] = 0xa0; return m }), src4, grp4, ChecksumPseudoHeader),
				Addrs:        addrs("192.0.2.100", "192.0.2.101"),
			},
		},
		{
			name: "RFC 5798 §5.2.7: max advert interval 4095 cs",
			msg:  withChecksum(edit(v3Msg4(), func(m []byte) []byte { m[4], m[5] = 0x0f, 0xff; return m }), src4, grp4, ChecksumPseudoHeader),
			src:  src4,
			dst:  grp4,
			want: Advert{
				Version:      3,
				Type:         1,
				VRID:         53,
				Priority:     200,
				MaxAdvertInt: 4095,
				Checksum:     refChecksum(edit(v3Msg4(), func(m []byte) []byte { m[4], m[5] = 0x0f, 0xff; return m }), src4, grp4, ChecksumPseudoHeader),
				Addrs:        addrs("192.0.2.100", "192.0.2.101"),
			},
		},
		{
			name: "RFC 3768 §5.3.4: VRRPv2 priority 255, address owner",
			msg:  withChecksum(edit(v2Msg(), func(m []byte) []byte { m[2] = 255; return m }), src4, grp4, 0),
			src:  src4,
			dst:  grp4,
			want: Advert{
				Version:   2,
				Type:      1,
				VRID:      51,
				Priority:  PriorityOwner,
				AdvertInt: 1,
				Checksum:  refChecksum(edit(v2Msg(), func(m []byte) []byte { m[2] = 255; return m }), src4, grp4, 0),
				Addrs:     addrs("192.0.2.100"),
			},
		},
		{
			name: "IPv4-mapped IPv6 source and destination count as IPv4",
			msg:  v3Msg4(),
			src:  netip.AddrFrom16(src4.As16()),
			dst:  netip.AddrFrom16(grp4.As16()),
			want: Advert{
				Version:      3,
				Type:         1,
				VRID:         53,
				Priority:     200,
				MaxAdvertInt: 100,
				Checksum:     0xdf04,
				Addrs:        addrs("192.0.2.100", "192.0.2.101"),
			},
		},
		{
			name: "RFC 5798 §5.1.2.1: the IPv6 source's zone does not matter",
			msg:  v3Msg6(),
			src:  src6.WithZone("va"),
			dst:  grp6,
			want: Advert{
				Version:      3,
				Type:         1,
				VRID:         54,
				Priority:     100,
				MaxAdvertInt: 100,
				Checksum:     0xe54e,
				Addrs:        addrs("fe80::54", "2001:db8::54"),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.msg, tt.src, tt.dst)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, got, cmpAddr); diff != "" {
				t.Errorf("Parse (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.msg, got.Append(nil, tt.src, tt.dst)); diff != "" {
				t.Errorf("Append (-want +got):\n%s", diff)
			}
		})
	}
}

// TestParseIntoReusesAddrs checks that ParseInto decodes into the caller's
// address slice, and leaves the Advert alone on error.
func TestParseIntoReusesAddrs(t *testing.T) {
	backing := make([]netip.Addr, 0, 4)
	a := Advert{Addrs: backing}
	if err := ParseInto(&a, v3Msg4(), src4, grp4); err != nil {
		t.Fatalf("ParseInto: %v", err)
	}
	if &a.Addrs[:1][0] != &backing[:1][0] {
		t.Errorf("ParseInto did not reuse the address slice")
	}
	before := a
	before.Addrs = slices.Clone(a.Addrs)
	if err := ParseInto(&a, v3Msg4()[:10], src4, grp4); err == nil {
		t.Fatalf("ParseInto of 10 bytes: no error")
	}
	if diff := cmp.Diff(before, a, cmpAddr); diff != "" {
		t.Errorf("ParseInto changed the Advert on error (-want +got):\n%s", diff)
	}
	if err := ParseInto(&a, v2Msg(), src4, grp4); err != nil {
		t.Fatalf("ParseInto: %v", err)
	}
	want := Advert{Version: 2, Type: 1, VRID: 51, Priority: 150, AdvertInt: 1, Checksum: 0x8665, Addrs: addrs("192.0.2.100")}
	if diff := cmp.Diff(want, a, cmpAddr); diff != "" {
		t.Errorf("ParseInto over a VRRPv3 value left fields behind (-want +got):\n%s", diff)
	}
}

// TestParseIntoDoesNotAllocate: decoding must not allocate beyond its
// address list, so a receive loop with ParseInto allocates nothing.
func TestParseIntoDoesNotAllocate(t *testing.T) {
	for _, name := range []string{"keepalived-v2-pass", "keepalived-v3-ipv4", "keepalived-v3-ipv6", "keepalived-v3-ipv4-unicast-oldchecksum"} {
		t.Run(name, func(t *testing.T) {
			g := readGolden(t, name)
			var a Advert
			if err := ParseInto(&a, g.msg, g.src, g.dst); err != nil {
				t.Fatal(err)
			}
			if n := testing.AllocsPerRun(100, func() { _ = ParseInto(&a, g.msg, g.src, g.dst) }); n != 0 {
				t.Errorf("ParseInto: %v allocations, want 0", n)
			}
			if n := testing.AllocsPerRun(100, func() { _, _ = Parse(g.msg, g.src, g.dst) }); n != 1 {
				t.Errorf("Parse: %v allocations, want 1 (the address list)", n)
			}
			buf := make([]byte, 0, 128)
			if n := testing.AllocsPerRun(100, func() { _ = a.Append(buf[:0], g.src, g.dst) }); n != 0 {
				t.Errorf("Append into a large enough buffer: %v allocations, want 0", n)
			}
		})
	}
}
