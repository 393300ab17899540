package carp

import (
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// validAdvert is a well-formed advertisement used as the base of the
// mutation cases below.
func validAdvert() Advert {
	a := NewAdvert(42, 1, 10, 0x0102030405060708)
	for i := range a.HMAC {
		a.HMAC[i] = byte(0xa0 + i)
	}
	return a
}

// vrrp2 builds a VRRPv2 advertisement (RFC 3768 §5.1) with n IPv4
// addresses and a valid checksum: 8-byte header, 4n bytes of addresses,
// 8 bytes of authentication data.
func vrrp2(vrid uint8, n int) []byte {
	b := []byte{0x21, vrid, 100, byte(n), 0, 1, 0, 0}
	for i := range n {
		b = append(b, 192, 0, 2, byte(100+i))
	}
	b = append(b, make([]byte, 8)...)
	binary.BigEndian.PutUint16(b[6:], checksum(b))
	return b
}

// fixChecksum recomputes the CARP checksum of a 36-byte packet after a
// test changed it.
func fixChecksum(b []byte) []byte {
	b[6], b[7] = 0, 0
	binary.BigEndian.PutUint16(b[6:], checksum(b))
	return b
}

func TestParseValid(t *testing.T) {
	want := validAdvert()
	b := want.Append(nil)
	want.Checksum = binary.BigEndian.Uint16(b[offChecksum:])
	got, err := Parse(b)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Parse mismatch (-want +got):\n%s", diff)
	}
	// Parse keeps no reference to its input.
	clear(b)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Parse result changed with its input (-want +got):\n%s", diff)
	}
}

// TestParseDemoteByte: ucarp sends 0 in byte 4 and never checks it;
// OpenBSD carries its demotion counter there. Any value parses.
func TestParseDemoteByte(t *testing.T) {
	a := validAdvert()
	a.Demote = 0x80
	got, err := Parse(a.Append(nil))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if got.Demote != 0x80 {
		t.Errorf("Demote = %#x, want 0x80", got.Demote)
	}
}

func TestParseRejects(t *testing.T) {
	valid := validAdvert().Append(nil)
	mutate := func(f func(b []byte) []byte) []byte {
		return f(append([]byte(nil), valid...))
	}
	tests := []struct {
		name   string
		in     []byte
		reason string
		field  string
		offset int
	}{
		{"empty", nil, "too-short", "version", 0},
		{"truncated header", valid[:3], "too-short", "length", 3},
		{"truncated before HMAC end", valid[:35], "too-short", "length", 35},
		{"trailing byte: CARP is exactly 36 bytes", append(append([]byte(nil), valid...), 0), "bad-length", "length", 36},
		{"version 3 (VRRPv3, RFC 5798)", mutate(func(b []byte) []byte { b[0] = 0x31; return fixChecksum(b) }), "bad-version", "version", 0},
		{"version 1", mutate(func(b []byte) []byte { b[0] = 0x11; return fixChecksum(b) }), "bad-version", "version", 0},
		{"type 2", mutate(func(b []byte) []byte { b[0] = 0x22; return fixChecksum(b) }), "bad-type", "type", 0},
		{"authlen 8 in 36 bytes", mutate(func(b []byte) []byte { b[3] = 8; return fixChecksum(b) }), "bad-authlen", "authlen", 3},
		{"authlen 0 in 36 bytes", mutate(func(b []byte) []byte { b[3] = 0; return fixChecksum(b) }), "bad-authlen", "authlen", 3},
		{"checksum off by one", mutate(func(b []byte) []byte { b[7]++; return b }), "bad-checksum", "checksum", 6},
		{"payload bit flip", mutate(func(b []byte) []byte { b[20] ^= 1; return b }), "bad-checksum", "checksum", 6},
		// RFC 1071: 0xffff and 0x0000 are both zero; only the computed
		// form is accepted so that Parse and Append are inverses.
		{"checksum 0xffff for 0x0000", checksumNegativeZero(t), "bad-checksum", "checksum", 6},
		// RFC 3768 §5.1: VRRPv2 shares protocol 112 and byte 0x21 with
		// CARP; byte 3 counts its addresses, and its length is 16 + 4n.
		{"VRRPv2 with 1 address (20 bytes)", vrrp2(42, 1), "not-carp", "authlen", 3},
		{"VRRPv2 with 5 addresses (36 bytes, CARP's length)", vrrp2(42, 5), "not-carp", "authlen", 3},
		{"VRRPv2 with 7 addresses (byte 3 = CARP's authlen)", vrrp2(42, 7), "not-carp", "authlen", 3},
		{"VRRPv2 with 0 addresses (16 bytes)", vrrp2(42, 0), "not-carp", "authlen", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.in)
			if err == nil {
				t.Fatal("Parse succeeded, want an error")
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T %v is not a *ParseError", err, err)
			}
			got := struct {
				Reason, Field string
				Offset        int
			}{ReasonOf(err), pe.Field, pe.Offset}
			want := struct {
				Reason, Field string
				Offset        int
			}{tt.reason, tt.field, tt.offset}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("rejection (-want +got):\n%s\nerror: %v", diff, err)
			}
		})
	}
}

// checksumNegativeZero returns a CARP advertisement whose data sums to
// 0xffff, so that its checksum is 0x0000, with 0xffff written instead.
func checksumNegativeZero(t *testing.T) []byte {
	t.Helper()
	a := validAdvert()
	for c := range uint64(1 << 17) {
		a.Counter = c
		b := a.Append(nil)
		if binary.BigEndian.Uint16(b[offChecksum:]) == 0 {
			b[offChecksum], b[offChecksum+1] = 0xff, 0xff
			if checksum(b) != 0 {
				t.Fatal("0xffff does not also sum to zero")
			}
			return b
		}
	}
	t.Fatal("no counter gives checksum 0")
	return nil
}

func TestParseErrorMessage(t *testing.T) {
	b := validAdvert().Append(nil)
	b[7]++
	_, err := Parse(b)
	const prefix = "carp: bad checksum: got 0x"
	if got := err.Error(); !strings.HasPrefix(got, prefix) {
		t.Errorf("Error() = %q, want prefix %q", got, prefix)
	}
	if !errors.Is(err, ErrChecksum) {
		t.Errorf("errors.Is(%v, ErrChecksum) = false", err)
	}
	const suffix = "(checksum at offset 6)"
	if got := err.Error(); !strings.HasSuffix(got, suffix) {
		t.Errorf("Error() = %q, want suffix %q", got, suffix)
	}
}
