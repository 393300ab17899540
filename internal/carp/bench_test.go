package carp

import (
	"net/netip"
	"path/filepath"
	"testing"
	"time"
)

func benchGolden(b *testing.B) (golden, Advert, Key) {
	g := readGolden(b, filepath.Join("testdata", "ucarp-vhid42-advskew10.txt"))
	a, err := Parse(g.adverts[0].carp)
	if err != nil {
		b.Fatal(err)
	}
	return g, a, mustKey(b, g.password)
}

func BenchmarkParse(b *testing.B) {
	g, _, _ := benchGolden(b)
	pkt := g.adverts[0].carp
	b.ReportAllocs()
	b.SetBytes(Len)
	for b.Loop() {
		if _, err := Parse(pkt); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppend(b *testing.B) {
	_, a, _ := benchGolden(b)
	buf := make([]byte, 0, Len)
	b.ReportAllocs()
	b.SetBytes(Len)
	for b.Loop() {
		buf = a.Append(buf[:0])
	}
}

func BenchmarkSign(b *testing.B) {
	g, a, k := benchGolden(b)
	vips := []netip.Addr{g.vip}
	b.ReportAllocs()
	for b.Loop() {
		k.Sign(&a, vips)
	}
}

func BenchmarkVerify(b *testing.B) {
	g, a, k := benchGolden(b)
	vips := []netip.Addr{g.vip}
	b.ReportAllocs()
	for b.Loop() {
		if err := k.Verify(a, vips); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify16VIPs: a group with 16 VIPs (the address walk is
// quadratic, on purpose, to stay allocation-free).
func BenchmarkVerify16VIPs(b *testing.B) {
	_, a, k := benchGolden(b)
	var vips []netip.Addr
	for i := range 16 {
		vips = append(vips, netip.AddrFrom4([4]byte{192, 0, 2, byte(200 - i)}))
	}
	k.Sign(&a, vips)
	b.ReportAllocs()
	for b.Loop() {
		if err := k.Verify(a, vips); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReplayGuard(b *testing.B) {
	var g ReplayGuard
	now := time.Date(2026, 11, 22, 5, 0, 0, 0, time.UTC)
	c := g.Next(now)
	b.ReportAllocs()
	for b.Loop() {
		c++
		if err := g.Check(c, now); err != nil {
			b.Fatal(err)
		}
		g.Accept(c)
	}
}
