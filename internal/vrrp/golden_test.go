package vrrp

import (
	"bufio"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// golden is one advert captured from a real peer: testdata/NAME.txt holds a
// provenance line, the Ethernet and IP headers, the packet's source and
// destination, and the VRRP message, each as hex on a line of its own.
type golden struct {
	name       string
	provenance string
	eth, ip    []byte
	src, dst   netip.Addr
	msg        []byte
}

func readGolden(t testing.TB, name string) golden {
	t.Helper()
	path := filepath.Join("testdata", name+".txt")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	g := golden{name: name}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if p, ok := strings.CutPrefix(line, "# provenance: "); ok {
			g.provenance = p
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, val, ok := strings.Cut(line, " ")
		if !ok {
			t.Fatalf("%s: line %q: want KEY VALUE", path, line)
		}
		switch key {
		case "eth":
			g.eth = mustHex(t, path, val)
		case "ip":
			g.ip = mustHex(t, path, val)
		case "vrrp":
			g.msg = mustHex(t, path, val)
		case "src", "dst":
			a, err := netip.ParseAddr(val)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			if key == "src" {
				g.src = a
			} else {
				g.dst = a
			}
		default:
			t.Fatalf("%s: unknown key %q", path, key)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if g.provenance == "" || g.msg == nil || g.ip == nil || !g.src.IsValid() || !g.dst.IsValid() {
		t.Fatalf("%s: want a provenance line and ip, src, dst and vrrp lines", path)
	}
	return g
}

func mustHex(t testing.TB, path, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return b
}

func addrs(ss ...string) []netip.Addr {
	var as []netip.Addr
	for _, s := range ss {
		as = append(as, netip.MustParseAddr(s))
	}
	return as
}

// goldens are the captures in testdata/ and what each must decode to.
var goldens = []struct {
	file    string
	want    Advert
	wantErr error // for captures that must be refused
}{
	{
		file: "keepalived-v2-noauth",
		want: Advert{
			Version:   2,
			Type:      1,
			VRID:      51,
			Priority:  150,
			AuthType:  AuthNone,
			AdvertInt: 1,
			Checksum:  0x8665,
			Addrs:     addrs("192.0.2.100"),
		},
	},
	{
		file: "keepalived-v2-resign",
		want: Advert{
			Version:   2,
			Type:      1,
			VRID:      51,
			Priority:  PriorityResign,
			AuthType:  AuthNone,
			AdvertInt: 1,
			Checksum:  0x1c66,
			Addrs:     addrs("192.0.2.100"),
		},
	},
	{
		file: "keepalived-v2-pass",
		want: Advert{
			Version:   2,
			Type:      1,
			VRID:      52,
			Priority:  100,
			AuthType:  AuthSimple,
			AdvertInt: 1,
			AuthData:  [8]byte{'s', '3', 'c', 'r', 'e', 't', 0, 0},
			Checksum:  0x7b4a,
			Addrs:     addrs("192.0.2.100"),
		},
	},
	{
		file: "keepalived-v2-pass-truncated",
		want: Advert{
			Version:   2,
			Type:      1,
			VRID:      59,
			Priority:  100,
			AuthType:  AuthSimple,
			AdvertInt: 1,
			AuthData:  [8]byte{'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'},
			Checksum:  0x25c8,
			Addrs:     addrs("192.0.2.100"),
		},
	},
	{
		file: "keepalived-v2-interval-rounded",
		want: Advert{
			Version:   2,
			Type:      1,
			VRID:      57,
			Priority:  150,
			AuthType:  AuthNone,
			AdvertInt: 2, // advert_int 1.5, rounded by keepalived
			Checksum:  0x865e,
			Addrs:     addrs("192.0.2.100"),
		},
	},
	{
		file: "keepalived-v3-ipv4",
		want: Advert{
			Version:         3,
			Type:            1,
			VRID:            53,
			Priority:        200,
			MaxAdvertInt:    100,
			Checksum:        0xdf04,
			ChecksumVariant: ChecksumPseudoHeader,
			Addrs:           addrs("192.0.2.100", "192.0.2.101"),
		},
	},
	{
		file: "keepalived-v3-ipv4-resign",
		want: Advert{
			Version:         3,
			Type:            1,
			VRID:            53,
			Priority:        PriorityResign,
			MaxAdvertInt:    100,
			Checksum:        0xa705,
			ChecksumVariant: ChecksumPseudoHeader,
			Addrs:           addrs("192.0.2.100", "192.0.2.101"),
		},
	},
	{
		file: "keepalived-v3-ipv6",
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
	{
		file: "keepalived-v3-ipv4-unicast",
		want: Advert{
			Version:         3,
			Type:            1,
			VRID:            55,
			Priority:        150,
			MaxAdvertInt:    100,
			Checksum:        0xf17d,
			ChecksumVariant: ChecksumPseudoHeader,
			Addrs:           addrs("192.0.2.100"),
		},
	},
	{
		file: "keepalived-v3-ipv4-unicast-oldchecksum",
		want: Advert{
			Version:         3,
			Type:            1,
			VRID:            55,
			Priority:        150,
			MaxAdvertInt:    100,
			Checksum:        0xd36d,
			ChecksumVariant: ChecksumGroupPseudoHeader,
			Addrs:           addrs("192.0.2.100"),
		},
	},
	{
		file: "keepalived-v3-ipv4-fast",
		want: Advert{
			Version:         3,
			Type:            1,
			VRID:            56,
			Priority:        150,
			MaxAdvertInt:    5, // advert_int 0.05
			Checksum:        0xd3cb,
			ChecksumVariant: ChecksumPseudoHeader,
			Addrs:           addrs("192.0.2.100"),
		},
	},
	{
		file: "keepalived-v3-interval-rounded",
		want: Advert{
			Version:         3,
			Type:            1,
			VRID:            58,
			Priority:        150,
			MaxAdvertInt:    6, // advert_int 0.055, rounded by keepalived
			Checksum:        0xd3c8,
			ChecksumVariant: ChecksumPseudoHeader,
			Addrs:           addrs("192.0.2.100"),
		},
	},
	{
		file:    "ucarp-carp",
		wantErr: ErrCARP,
	},
}

// TestGoldensAreAllChecked fails when a capture in testdata/ has no entry in
// goldens, so that none is committed and silently left out.
func TestGoldensAreAllChecked(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var got, want []string
	for _, f := range files {
		got = append(got, strings.TrimSuffix(filepath.Base(f), ".txt"))
	}
	for _, g := range goldens {
		want = append(want, g.file)
	}
	slices.Sort(got)
	slices.Sort(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("testdata/*.txt and goldens differ (-want +got):\n%s", diff)
	}
}

// TestGoldenIPHeaders checks each capture against its own IP header: the
// recorded source and destination, protocol 112, TTL or hop limit 255
// (RFC 3768 §5.2.3, RFC 5798 §5.1.1.3 and §5.1.2.3) and the payload length,
// so that a golden cannot be cut wrongly from its capture.
func TestGoldenIPHeaders(t *testing.T) {
	for _, tt := range goldens {
		t.Run(tt.file, func(t *testing.T) {
			g := readGolden(t, tt.file)
			if !strings.Contains(g.provenance, "keepalived 2.2.7") && !strings.Contains(g.provenance, "ucarp 1.5.2") {
				t.Errorf("provenance %q names neither keepalived 2.2.7 nor ucarp 1.5.2", g.provenance)
			}
			ip := g.ip
			switch ip[0] >> 4 {
			case 4:
				ihl := int(ip[0]&0x0f) * 4
				if len(ip) != ihl {
					t.Fatalf("IPv4 header is %d bytes, IHL says %d", len(ip), ihl)
				}
				checks := []struct {
					what      string
					got, want any
				}{
					{"ethertype", binary.BigEndian.Uint16(g.eth[12:14]), uint16(0x0800)},
					{"total length", int(binary.BigEndian.Uint16(ip[2:4])), ihl + len(g.msg)},
					{"TTL", ip[8], uint8(TTL)},
					{"protocol", ip[9], uint8(Protocol)},
					{"header checksum", fold(sum(0, ip)), uint16(0)},
					{"source", netip.AddrFrom4([4]byte(ip[12:16])), g.src},
					{"destination", netip.AddrFrom4([4]byte(ip[16:20])), g.dst},
				}
				for _, c := range checks {
					if c.got != c.want {
						t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
					}
				}
			case 6:
				checks := []struct {
					what      string
					got, want any
				}{
					{"header length", len(ip), 40},
					{"ethertype", binary.BigEndian.Uint16(g.eth[12:14]), uint16(0x86dd)},
					{"payload length", int(binary.BigEndian.Uint16(ip[4:6])), len(g.msg)},
					{"next header", ip[6], uint8(Protocol)},
					{"hop limit", ip[7], uint8(TTL)},
					{"source", netip.AddrFrom16([16]byte(ip[8:24])), g.src},
					{"destination", netip.AddrFrom16([16]byte(ip[24:40])), g.dst},
				}
				for _, c := range checks {
					if c.got != c.want {
						t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
					}
				}
			default:
				t.Fatalf("IP version %d", ip[0]>>4)
			}
		})
	}
}

// TestParseGolden decodes each capture from keepalived 2.2.7 to the values
// in its config, and refuses ucarp's CARP advert.
func TestParseGolden(t *testing.T) {
	for _, tt := range goldens {
		t.Run(tt.file, func(t *testing.T) {
			g := readGolden(t, tt.file)
			got, err := Parse(g.msg, g.src, g.dst)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Parse: error %v, want %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got, cmpAddr); diff != "" {
				t.Errorf("Parse (-want +got):\n%s", diff)
			}
		})
	}
}

// TestAppendGolden re-encodes each decoded capture with the same source and
// destination and wants keepalived's bytes back, checksum included; and the
// same when appending to a buffer that already holds other bytes.
func TestAppendGolden(t *testing.T) {
	for _, tt := range goldens {
		if tt.wantErr != nil {
			continue
		}
		t.Run(tt.file, func(t *testing.T) {
			g := readGolden(t, tt.file)
			enc := tt.want
			enc.Checksum = 0 // Append computes it
			if diff := cmp.Diff(g.msg, enc.Append(nil, g.src, g.dst)); diff != "" {
				t.Errorf("Append (-want +got):\n%s", diff)
			}
			prefix := []byte{0xde, 0xad}
			want := append(slices.Clone(prefix), g.msg...)
			if diff := cmp.Diff(want, enc.Append(prefix, g.src, g.dst)); diff != "" {
				t.Errorf("Append after a prefix (-want +got):\n%s", diff)
			}
			if err := tt.want.Validate(g.src, g.dst); err != nil {
				t.Errorf("Validate: %v", err)
			}
		})
	}
}

// TestGoldenChecksumsMatchReference verifies keepalived's checksums with the
// slow reference implementation, independently of the package's own.
func TestGoldenChecksumsMatchReference(t *testing.T) {
	for _, tt := range goldens {
		if tt.wantErr != nil {
			continue
		}
		t.Run(tt.file, func(t *testing.T) {
			g := readGolden(t, tt.file)
			got := binary.BigEndian.Uint16(g.msg[6:8])
			want := refChecksum(g.msg, g.src, g.dst, tt.want.ChecksumVariant)
			if got != want {
				t.Errorf("checksum %#04x, reference computes %#04x", got, want)
			}
		})
	}
}
