package carp

import (
	"bufio"
	"encoding/binary"
	"encoding/hex"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// A golden is one testdata file: advertisements captured from ucarp 1.5.2
// with tcpdump, with the settings needed to check them.
type golden struct {
	name     string
	dst      netip.Addr
	vip      netip.Addr
	password string
	adverts  []goldenAdvert
}

// A goldenAdvert is one captured packet: its source, IPv4 header and CARP
// payload.
type goldenAdvert struct {
	src  netip.Addr
	ip   []byte
	carp []byte
}

// loadGoldens reads every testdata/*.txt file. The format is line based:
// "#" comments (provenance), "dst", "vip" and "password" settings, "src"
// for the packets that follow, then "ip" and "carp" hex lines in pairs.
func loadGoldens(t testing.TB) []golden {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	var gs []golden
	for _, file := range files {
		gs = append(gs, readGolden(t, file))
	}
	return gs
}

func readGolden(t testing.TB, file string) golden {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	g := golden{name: strings.TrimSuffix(filepath.Base(file), ".txt")}
	var src netip.Addr
	var ip []byte
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, val, _ := strings.Cut(line, " ")
		var err error
		switch key {
		case "dst":
			g.dst, err = netip.ParseAddr(val)
		case "vip":
			g.vip, err = netip.ParseAddr(val)
		case "password":
			g.password = val
		case "src":
			src, err = netip.ParseAddr(val)
		case "ip":
			ip, err = hex.DecodeString(val)
		case "carp":
			var b []byte
			if b, err = hex.DecodeString(val); err == nil {
				g.adverts = append(g.adverts, goldenAdvert{src: src, ip: ip, carp: b})
			}
		default:
			t.Fatalf("%s:%d: unknown key %q", file, n, key)
		}
		if err != nil {
			t.Fatalf("%s:%d: %v", file, n, err)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(g.adverts) == 0 || !g.vip.IsValid() || g.password == "" {
		t.Fatalf("%s: incomplete golden", file)
	}
	return g
}

func hexBytes(s string) [20]byte {
	var a [20]byte
	if n, err := hex.Decode(a[:], []byte(s)); err != nil || n != len(a) {
		panic("bad hex in test: " + s)
	}
	return a
}

// TestGoldenParse checks the first advertisement of each capture field by
// field against what ucarp was told to send.
func TestGoldenParse(t *testing.T) {
	want := map[string]Advert{
		// ucarp defaults: advbase 1, advskew 0.
		"ucarp-vhid1-default": {
			Version:  2,
			Type:     1,
			VHID:     1,
			AdvSkew:  0,
			AuthLen:  7,
			Demote:   0,
			AdvBase:  1,
			Checksum: 0x02dd,
			Counter:  0x114cb961e0666a6a,
			HMAC:     hexBytes("c06e2f9a2cb00fe7a033b43999e0ac80a8c1566a"),
		},
		// ucarp -v 42 -k 10 -b 1.
		"ucarp-vhid42-advskew10": {
			Version:  2,
			Type:     1,
			VHID:     42,
			AdvSkew:  10,
			AuthLen:  7,
			Demote:   0,
			AdvBase:  1,
			Checksum: 0x3a25,
			Counter:  0x6314e73b70b96bf0,
			HMAC:     hexBytes("08d868d75eedb6b3364585683b98e04b9d41778a"),
		},
		// ucarp -v 7 -b 0 -k 20: advbase 0 is allowed with a skew.
		"ucarp-vhid7-advbase0-advskew20": {
			Version:  2,
			Type:     1,
			VHID:     7,
			AdvSkew:  20,
			AuthLen:  7,
			Demote:   0,
			AdvBase:  0,
			Checksum: 0x028d,
			Counter:  0xe25531a31dd42574,
			HMAC:     hexBytes("eb5dbd1ca1607cc040c706d83c155314b4171fa7"),
		},
		// ucarp -v 255 -b 3 -k 100 with a 19-byte password.
		"ucarp-vhid255-advbase3-advskew100-pass19": {
			Version:  2,
			Type:     1,
			VHID:     255,
			AdvSkew:  100,
			AuthLen:  7,
			Demote:   0,
			AdvBase:  3,
			Checksum: 0x5b7a,
			Counter:  0x1b6687d370d09045,
			HMAC:     hexBytes("66db41da09e47510fc700ddbbdbf2e76ab3eb0c1"),
		},
		// ucarp -v 3 -b 255 -k 255: the "leaving" values.
		"ucarp-vhid3-advbase255-advskew255": {
			Version:  2,
			Type:     1,
			VHID:     3,
			AdvSkew:  255,
			AuthLen:  7,
			Demote:   0,
			AdvBase:  255,
			Checksum: 0x1ea2,
			Counter:  0xd5f3f8b89ddbd34a,
			HMAC:     hexBytes("7ce86ef55d39cb6e9747b679be426fd823b6cc67"),
		},
		// Host A of the failover capture, ucarp -v 42 -k 10.
		"ucarp-failover-vhid42": {
			Version:  2,
			Type:     1,
			VHID:     42,
			AdvSkew:  10,
			AuthLen:  7,
			Demote:   0,
			AdvBase:  1,
			Checksum: 0x7b25,
			Counter:  0xa2b5977d8873f292,
			HMAC:     hexBytes("7e402c5e1b386f19585238bb6167bd643fba7fea"),
		},
	}
	gs := loadGoldens(t)
	if len(gs) != len(want) {
		t.Errorf("%d golden files, %d expectations", len(gs), len(want))
	}
	for _, g := range gs {
		t.Run(g.name, func(t *testing.T) {
			w, ok := want[g.name]
			if !ok {
				t.Fatal("no expectation for this golden")
			}
			got, err := Parse(g.adverts[0].carp)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(w, got); diff != "" {
				t.Errorf("Parse mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestGoldenVerify checks the HMAC rule against ucarp: every captured
// advertisement verifies with the password, vhid and VIP it was sent with,
// and with no other.
func TestGoldenVerify(t *testing.T) {
	for _, g := range loadGoldens(t) {
		t.Run(g.name, func(t *testing.T) {
			key := mustKey(t, g.password)
			wrongPass := mustKey(t, g.password[:len(g.password)-1]+"~") // last byte changed
			otherVIP := netip.MustParseAddr("192.0.2.101")
			for i, ga := range g.adverts {
				a, err := Parse(ga.carp)
				if err != nil {
					t.Fatalf("advert %d: Parse: %v", i, err)
				}
				vips := []netip.Addr{g.vip}
				if err := key.Verify(a, vips); err != nil {
					t.Errorf("advert %d: Verify with the capture's password: %v", i, err)
				}
				if err := wrongPass.Verify(a, vips); err != ErrBadHMAC {
					t.Errorf("advert %d: Verify with a wrong password = %v, want ErrBadHMAC", i, err)
				}
				if err := key.Verify(a, []netip.Addr{otherVIP}); err != ErrBadHMAC {
					t.Errorf("advert %d: Verify with another VIP = %v, want ErrBadHMAC", i, err)
				}
				a.VHID++
				if err := key.Verify(a, vips); err != ErrBadHMAC {
					t.Errorf("advert %d: Verify with another vhid = %v, want ErrBadHMAC", i, err)
				}
			}
		})
	}
}

// TestGoldenUnsignedFields checks ucarp's HMAC leaves advbase, advskew and
// the demote byte out: changing them keeps a captured advert valid.
func TestGoldenUnsignedFields(t *testing.T) {
	g := readGolden(t, filepath.Join("testdata", "ucarp-vhid42-advskew10.txt"))
	key := mustKey(t, g.password)
	a, err := Parse(g.adverts[0].carp)
	if err != nil {
		t.Fatal(err)
	}
	a.AdvBase, a.AdvSkew, a.Demote = 200, 0, 9
	if err := key.Verify(a, []netip.Addr{g.vip}); err != nil {
		t.Errorf("Verify after changing unsigned fields: %v", err)
	}
}

// TestGoldenReencode builds each captured advertisement from its fields,
// signs it and appends it, and expects ucarp's bytes exactly.
func TestGoldenReencode(t *testing.T) {
	for _, g := range loadGoldens(t) {
		t.Run(g.name, func(t *testing.T) {
			key := mustKey(t, g.password)
			for i, ga := range g.adverts {
				p, err := Parse(ga.carp)
				if err != nil {
					t.Fatalf("advert %d: Parse: %v", i, err)
				}
				a := NewAdvert(p.VHID, p.AdvBase, p.AdvSkew, p.Counter)
				key.Sign(&a, []netip.Addr{g.vip})
				got := a.Append([]byte{0xee}) // appends after existing bytes
				if diff := cmp.Diff(append([]byte{0xee}, ga.carp...), got); diff != "" {
					t.Errorf("advert %d: Sign+Append mismatch (-want +got):\n%s", i, diff)
				}
			}
		})
	}
}

// ipv4Facts are the IP header fields PROTOCOLS.md records for ucarp.
type ipv4Facts struct {
	Version, IHL, TOS uint8
	TotalLen          uint16
	DF                bool
	TTL, Protocol     uint8
	Src, Dst          netip.Addr
	HeaderSumOK       bool
}

// TestGoldenIPHeader records what ucarp puts in the IPv4 header: TOS 0x10
// (IPTOS_LOWDELAY), DF, TTL 255, protocol 112, 20 + 36 bytes, to 224.0.0.18.
func TestGoldenIPHeader(t *testing.T) {
	for _, g := range loadGoldens(t) {
		t.Run(g.name, func(t *testing.T) {
			for i, ga := range g.adverts {
				h := ga.ip
				if len(h) != 20 {
					t.Fatalf("advert %d: IPv4 header is %d bytes", i, len(h))
				}
				got := ipv4Facts{
					Version:     h[0] >> 4,
					IHL:         h[0] & 0x0f,
					TOS:         h[1],
					TotalLen:    binary.BigEndian.Uint16(h[2:]),
					DF:          h[6]&0x40 != 0,
					TTL:         h[8],
					Protocol:    h[9],
					Src:         netip.AddrFrom4([4]byte(h[12:16])),
					Dst:         netip.AddrFrom4([4]byte(h[16:20])),
					HeaderSumOK: checksum(h) == 0,
				}
				want := ipv4Facts{
					Version: 4, IHL: 5, TOS: 0x10, TotalLen: 20 + Len, DF: true,
					TTL: TTL, Protocol: IPProtocol, Src: ga.src, Dst: g.dst, HeaderSumOK: true,
				}
				if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
					t.Errorf("advert %d: IPv4 header (-want +got):\n%s", i, diff)
				}
			}
		})
	}
}

// TestGoldenIntervals checks Interval on the captured timings.
func TestGoldenIntervals(t *testing.T) {
	want := map[string]time.Duration{
		"ucarp-vhid1-default":                      time.Second,
		"ucarp-vhid42-advskew10":                   time.Second + 39062500*time.Nanosecond,
		"ucarp-vhid7-advbase0-advskew20":           78125 * time.Microsecond,
		"ucarp-vhid255-advbase3-advskew100-pass19": 3*time.Second + 390625*time.Microsecond,
		"ucarp-vhid3-advbase255-advskew255":        255*time.Second + 996093750*time.Nanosecond,
		"ucarp-failover-vhid42":                    time.Second + 39062500*time.Nanosecond,
	}
	for _, g := range loadGoldens(t) {
		a, err := Parse(g.adverts[0].carp)
		if err != nil {
			t.Fatal(err)
		}
		if got := a.Interval(); got != want[g.name] {
			t.Errorf("%s: Interval() = %v, want %v", g.name, got, want[g.name])
		}
		if got, want := a.Resigning(), g.name == "ucarp-vhid3-advbase255-advskew255"; got != want {
			t.Errorf("%s: Resigning() = %v, want %v", g.name, got, want)
		}
	}
}

// TestGoldenUcarpCounters records ucarp's counter behaviour, which the
// replay design rests on: a master that has heard no peer sends a fresh
// random counter each time (carp_prepare_ad while sc_init_counter is set),
// and a host that heard one copies it and adds one per advertisement
// (packethandler's sc_counter = tmp_counter). The ReplayGuard accepts all of
// them, so ucarp peers keep working.
func TestGoldenUcarpCounters(t *testing.T) {
	g := readGolden(t, filepath.Join("testdata", "ucarp-failover-vhid42.txt"))
	a := netip.MustParseAddr("192.0.2.11")
	var fromA, fromB []uint64
	for _, ga := range g.adverts {
		p, err := Parse(ga.carp)
		if err != nil {
			t.Fatal(err)
		}
		if ga.src == a {
			fromA = append(fromA, p.Counter)
		} else {
			fromB = append(fromB, p.Counter)
		}
	}
	if len(fromA) < 2 || len(fromB) < 2 {
		t.Fatalf("want adverts from both hosts, got %d and %d", len(fromA), len(fromB))
	}
	for i := 1; i < len(fromA); i++ {
		if fromA[i] == fromA[i-1]+1 {
			t.Errorf("lone master: counter %d is the previous plus one, want random", i)
		}
	}
	wantB := make([]uint64, len(fromB))
	for i := range wantB {
		wantB[i] = fromA[len(fromA)-1] + 1 + uint64(i)
	}
	if diff := cmp.Diff(wantB, fromB); diff != "" {
		t.Errorf("new master continues the old master's counter (-want +got):\n%s", diff)
	}

	var guard ReplayGuard
	now := time.Date(2026, 11, 22, 5, 8, 38, 0, time.UTC)
	for i, ga := range g.adverts {
		p, _ := Parse(ga.carp)
		if err := guard.Check(p.Counter, now); err != nil {
			t.Errorf("advert %d from %v: Check = %v, want nil", i, ga.src, err)
		}
		guard.Accept(p.Counter)
		now = now.Add(time.Second)
	}
}

func mustKey(t testing.TB, password string) Key {
	t.Helper()
	k, err := NewKey([]byte(password))
	if err != nil {
		t.Fatal(err)
	}
	return k
}
