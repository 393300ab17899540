package carp

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestNewAdvert(t *testing.T) {
	want := Advert{Version: 2, Type: 1, VHID: 42, AdvSkew: 10, AuthLen: 7, AdvBase: 1, Counter: 99}
	if diff := cmp.Diff(want, NewAdvert(42, 1, 10, 99)); diff != "" {
		t.Errorf("NewAdvert mismatch (-want +got):\n%s", diff)
	}
}

// TestInterval: the master advertises every advbase + advskew/256 s
// (ucarp carp_send_ad; OpenBSD carp_send_ad).
func TestInterval(t *testing.T) {
	tests := []struct {
		name             string
		advBase, advSkew uint8
		want             time.Duration
	}{
		{"ucarp defaults advbase 1 advskew 0", 1, 0, time.Second},
		{"one skew unit is 1/256 s exactly", 0, 1, 3906250 * time.Nanosecond},
		{"advbase 0 advskew 20 (ucarp accepts advbase 0 with a skew)", 0, 20, 78125 * time.Microsecond},
		{"advskew 128 is half a second", 2, 128, 2500 * time.Millisecond},
		{"largest interval, the resign values", 255, 255, 255*time.Second + 996093750*time.Nanosecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NewAdvert(1, tt.advBase, tt.advSkew, 0).Interval(); got != tt.want {
				t.Errorf("Interval() = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestIntervalOrderMatchesUcarp: ucarp compares intervals as timevals with
// the skew truncated to microseconds; exact nanoseconds order every pair of
// (advbase, advskew) the same way, including equality.
func TestIntervalOrderMatchesUcarp(t *testing.T) {
	ucarp := func(base, skew int) (int, int) { return base, skew * 1000000 / 256 }
	for _, bases := range [][2]int{{0, 0}, {0, 1}, {1, 1}, {1, 2}, {254, 255}} {
		for s1 := range 256 {
			for s2 := range 256 {
				a := NewAdvert(1, uint8(bases[0]), uint8(s1), 0).Interval()
				b := NewAdvert(1, uint8(bases[1]), uint8(s2), 0).Interval()
				as, au := ucarp(bases[0], s1)
				bs, bu := ucarp(bases[1], s2)
				ucarpLess := as < bs || as == bs && au < bu
				ucarpEqual := as == bs && au == bu
				if (a < b) != ucarpLess || (a == b) != ucarpEqual {
					t.Fatalf("base %v skews %d,%d: ns order (%v vs %v) differs from ucarp's", bases, s1, s2, a, b)
				}
			}
		}
	}
}

// TestResigning: advbase 255 with advskew 255 means the master is leaving
// (OpenBSD's bow-out advert; ucarp stops advertising after sending it).
func TestResigning(t *testing.T) {
	tests := []struct {
		name             string
		advBase, advSkew uint8
		want             bool
	}{
		{"255/255 resigns", 255, 255, true},
		{"advbase 255 alone is a slow master", 255, 0, false},
		{"advskew 255 alone is a least preferred master", 1, 255, false},
		{"defaults", 1, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NewAdvert(1, tt.advBase, tt.advSkew, 0).Resigning(); got != tt.want {
				t.Errorf("Resigning() = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestAppendLayout writes the expected bytes one field per line.
func TestAppendLayout(t *testing.T) {
	a := Advert{
		Version:  2,
		Type:     1,
		VHID:     42,
		AdvSkew:  10,
		AuthLen:  7,
		Demote:   3,
		AdvBase:  1,
		Checksum: 0xdead, // ignored: Append computes it
		Counter:  0x0102030405060708,
		HMAC:     [20]byte{0: 0xaa, 19: 0xbb},
	}
	want := []byte{
		0x21,       // version 2, type 1
		42,         // vhid
		10,         // advskew
		7,          // authlen
		3,          // demote
		1,          // advbase
		0x16, 0xfe, // checksum: ^(0x212a+0x0a07+0x0301+0x0102+0x0304+0x0506+0x0708+0xaa00+0x00bb)
		1, 2, 3, 4, 5, 6, 7, 8, // counter
		0xaa, 0, 0, 0, 0, 0, 0, 0, 0, 0, // HMAC
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0xbb,
	}
	got := a.Append(nil)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Append mismatch (-want +got):\n%s", diff)
	}
	if checksum(got) != 0 {
		t.Errorf("checksum over the appended packet = %#x, want 0", checksum(got))
	}
}

func TestAppendReusesCapacity(t *testing.T) {
	buf := make([]byte, 0, 64)
	out := validAdvert().Append(buf)
	if &out[0] != &buf[:1][0] {
		t.Error("Append allocated although the buffer had room")
	}
}

// TestChecksumRFC1071 uses the worked example of RFC 1071 §3.
func TestChecksumRFC1071(t *testing.T) {
	b := []byte{0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7}
	if got, want := checksum(b), ^uint16(0xddf2); got != want {
		t.Errorf("checksum = %#04x, want %#04x", got, want)
	}
	// An odd length pads with a zero byte.
	if got, want := checksum([]byte{0x01}), ^uint16(0x0100); got != want {
		t.Errorf("checksum of one byte = %#04x, want %#04x", got, want)
	}
}
