package vrrp

import (
	"testing"
)

// benchGoldens are one capture of each format, keepalived 2.2.7's.
var benchGoldens = []struct{ name, file string }{
	{"v2", "keepalived-v2-pass"},
	{"v3-ipv4", "keepalived-v3-ipv4"},
	{"v3-ipv6", "keepalived-v3-ipv6"},
}

func BenchmarkParse(b *testing.B) {
	for _, bg := range benchGoldens {
		b.Run(bg.name, func(b *testing.B) {
			g := readGolden(b, bg.file)
			b.ReportAllocs()
			b.SetBytes(int64(len(g.msg)))
			for b.Loop() {
				if _, err := Parse(g.msg, g.src, g.dst); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkParseInto(b *testing.B) {
	for _, bg := range benchGoldens {
		b.Run(bg.name, func(b *testing.B) {
			g := readGolden(b, bg.file)
			var a Advert
			b.ReportAllocs()
			b.SetBytes(int64(len(g.msg)))
			for b.Loop() {
				if err := ParseInto(&a, g.msg, g.src, g.dst); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkAppend(b *testing.B) {
	for _, bg := range benchGoldens {
		b.Run(bg.name, func(b *testing.B) {
			g := readGolden(b, bg.file)
			a, err := Parse(g.msg, g.src, g.dst)
			if err != nil {
				b.Fatal(err)
			}
			buf := make([]byte, 0, 128)
			b.ReportAllocs()
			b.SetBytes(int64(len(g.msg)))
			for b.Loop() {
				buf = a.Append(buf[:0], g.src, g.dst)
			}
		})
	}
}

// BenchmarkParseReject measures the drop path for the commonest foreign
// packet on a shared link, a CARP advert.
func BenchmarkParseReject(b *testing.B) {
	g := readGolden(b, "ucarp-carp")
	var a Advert
	b.ReportAllocs()
	for b.Loop() {
		if err := ParseInto(&a, g.msg, g.src, g.dst); err == nil {
			b.Fatal("CARP advert accepted")
		}
	}
}
