package carp

import (
	"bytes"
	"encoding/binary"
	"errors"
	"net/netip"
	"testing"
)

// referenceAccepts is the slow, readable statement of what Parse accepts:
// 36 bytes, first byte 0x21, authlen 7, and an RFC 1071 checksum that sums
// the 16-bit words with end-around carry to the value on the wire.
func referenceAccepts(b []byte) bool {
	if len(b) != 36 || b[0] != 0x21 || b[3] != 7 {
		return false
	}
	var sum uint64
	for i := 0; i < 36; i += 2 {
		if i == 6 {
			continue
		}
		sum += uint64(binary.BigEndian.Uint16(b[i:]))
	}
	for sum > 0xffff {
		sum = sum>>16 + sum&0xffff
	}
	return uint16(^sum) == binary.BigEndian.Uint16(b[6:])
}

// FuzzParse: whatever Parse accepts Appends to the same bytes, and Parse
// accepts exactly what the reference accepts. Seeded from the ucarp
// captures and the rejection cases.
func FuzzParse(f *testing.F) {
	for _, g := range loadGoldens(f) {
		for _, ga := range g.adverts {
			f.Add(ga.carp)
		}
	}
	f.Add(vrrp2(1, 1))
	f.Add(vrrp2(1, 5))
	f.Add([]byte{})
	f.Add([]byte{0x21})
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := Parse(b)
		if ok := referenceAccepts(b); ok != (err == nil) {
			t.Fatalf("Parse(%x) error = %v, reference accepts = %v", b, err, ok)
		}
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || ReasonOf(err) == reasonOther {
				t.Fatalf("Parse(%x) error %v is not a typed ParseError", b, err)
			}
			return
		}
		if out := a.Append(nil); !bytes.Equal(out, b) {
			t.Fatalf("round trip:\n in  %x\n out %x", b, out)
		}
		// Verify must not panic on any parsed advert.
		k, _ := NewKey([]byte("secret-pass"))
		_ = k.Verify(a, []netip.Addr{netip.MustParseAddr("192.0.2.100")})
	})
}
