package carp

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestNewKey: ucarp copies the password and its NUL into a 20-byte key
// (docarp: "Password too long" beyond 19 bytes, checked against the binary:
// exit 2); vipd also requires a password and refuses NUL bytes, which a C
// string cannot carry.
func TestNewKey(t *testing.T) {
	tests := []struct {
		name     string
		password string
		wantErr  bool
	}{
		{"one byte", "x", false},
		{"19 bytes, ucarp's maximum", "nineteen-byte-pass!", false},
		{"20 bytes, ucarp refuses", "twenty-byte-password", true},
		{"empty: vipd requires a password", "", true},
		{"NUL byte: ucarp would cut the password there", "ab\x00cd", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewKey([]byte(tt.password))
			if (err != nil) != tt.wantErr {
				t.Fatalf("NewKey(%q) error = %v, want error %v", tt.password, err, tt.wantErr)
			}
			if err != nil && !errors.Is(err, ErrBadPassword) {
				t.Errorf("error %v does not wrap ErrBadPassword", err)
			}
		})
	}
}

func TestKeyDoesNotPrintPassword(t *testing.T) {
	k := mustKey(t, "secret-pass")
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		if out := fmt.Sprintf(verb, k); strings.Contains(out, "secret") || strings.Contains(out, "736563726574") {
			t.Errorf("Sprintf(%q, key) = %q reveals the password", verb, out)
		}
	}
}

func TestZeroKey(t *testing.T) {
	var k Key
	a := validAdvert()
	k.Sign(&a, nil)
	if a.HMAC != [20]byte{} {
		t.Errorf("zero Key signed with %x, want a zero HMAC", a.HMAC)
	}
	if err := k.Verify(a, nil); err != ErrBadHMAC {
		t.Errorf("zero Key Verify = %v, want ErrBadHMAC", err)
	}
}

// referenceHMAC is the slow, readable form of the rule: crypto/hmac over
// version 2, type 1, vhid, the IPv4 VIPs sorted and deduplicated without
// 0.0.0.0 and 255.255.255.255, the IPv6 ones likewise, and the counter.
func referenceHMAC(password string, vhid uint8, vips []netip.Addr, counter uint64) [20]byte {
	var v4, v6 []netip.Addr
	for _, v := range vips {
		switch v = v.Unmap().WithZone(""); {
		case v.Is4() && v != netip.IPv4Unspecified() && v != netip.AddrFrom4([4]byte{255, 255, 255, 255}):
			v4 = append(v4, v)
		case v.Is6() && v != netip.IPv6Unspecified() && v != netip.AddrFrom16([16]byte{0: 0xff, 1: 0xff, 2: 0xff, 3: 0xff, 4: 0xff, 5: 0xff, 6: 0xff, 7: 0xff, 8: 0xff, 9: 0xff, 10: 0xff, 11: 0xff, 12: 0xff, 13: 0xff, 14: 0xff, 15: 0xff}):
			v6 = append(v6, v)
		}
	}
	slices.SortFunc(v4, netip.Addr.Compare)
	slices.SortFunc(v6, netip.Addr.Compare)
	msg := []byte{2, 1, vhid}
	for _, v := range slices.Compact(v4) {
		msg = append(msg, v.AsSlice()...)
	}
	for _, v := range slices.Compact(v6) {
		msg = append(msg, v.AsSlice()...)
	}
	msg = binary.BigEndian.AppendUint64(msg, counter)
	m := hmac.New(sha1.New, []byte(password))
	m.Write(msg)
	return [20]byte(m.Sum(nil))
}

func addrs(ss ...string) []netip.Addr {
	var out []netip.Addr
	for _, s := range ss {
		out = append(out, netip.MustParseAddr(s))
	}
	return out
}

// TestSignVIPRules checks the HMAC message against the reference for the
// address rules of OpenBSD's carp_hmac_prepare.
func TestSignVIPRules(t *testing.T) {
	tests := []struct {
		name string
		vips []netip.Addr
		same []netip.Addr // if set, must sign identically to vips
	}{
		{"ucarp: one IPv4 VIP", addrs("192.0.2.100"), nil},
		{"OpenBSD: order of VIPs does not matter", addrs("192.0.2.7", "192.0.2.100", "10.0.0.1"), addrs("10.0.0.1", "192.0.2.100", "192.0.2.7")},
		{"OpenBSD: sorted numerically, not by text", addrs("192.0.2.10", "192.0.2.9"), addrs("192.0.2.9", "192.0.2.10")},
		{"OpenBSD: a duplicate counts once", addrs("192.0.2.1", "192.0.2.1", "192.0.2.2"), addrs("192.0.2.1", "192.0.2.2")},
		{"OpenBSD: 0.0.0.0 and 255.255.255.255 are skipped", addrs("0.0.0.0", "192.0.2.1", "255.255.255.255"), addrs("192.0.2.1")},
		{"OpenBSD: IPv6 VIPs follow the IPv4 ones", addrs("2001:db8::2", "192.0.2.1", "2001:db8::1"), addrs("192.0.2.1", "2001:db8::1", "2001:db8::2")},
		{"OpenBSD: IPv6 scope is ignored", addrs("fe80::1%eth0"), addrs("fe80::1")},
		{"IPv4-mapped IPv6 is the IPv4 address", addrs("::ffff:192.0.2.1"), addrs("192.0.2.1")},
		{"invalid addresses are skipped", []netip.Addr{{}, netip.MustParseAddr("192.0.2.1")}, addrs("192.0.2.1")},
		{"no VIPs", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := mustKey(t, "secret-pass")
			a := validAdvert()
			orig := slices.Clone(tt.vips)
			k.Sign(&a, tt.vips)
			if diff := cmp.Diff(referenceHMAC("secret-pass", a.VHID, tt.vips, a.Counter), a.HMAC); diff != "" {
				t.Errorf("HMAC differs from the reference (-want +got):\n%s", diff)
			}
			if !slices.Equal(orig, tt.vips) {
				t.Errorf("Sign modified vips: %v, was %v", tt.vips, orig)
			}
			if tt.same != nil {
				if err := k.Verify(a, tt.same); err != nil {
					t.Errorf("Verify with %v: %v", tt.same, err)
				}
			}
		})
	}
}

// TestSignManyVIPs covers messages longer than Sign's stack buffer.
func TestSignManyVIPs(t *testing.T) {
	var vips []netip.Addr
	for i := range 300 {
		vips = append(vips, netip.AddrFrom4([4]byte{10, 0, byte(i >> 8), byte(i)}))
	}
	vips = append(vips, addrs("2001:db8::1", "2001:db8::2")...)
	k := mustKey(t, "secret-pass")
	a := validAdvert()
	k.Sign(&a, vips)
	if diff := cmp.Diff(referenceHMAC("secret-pass", a.VHID, vips, a.Counter), a.HMAC); diff != "" {
		t.Errorf("HMAC differs from the reference (-want +got):\n%s", diff)
	}
}

// TestSignCoversCounterAndVHID: the counter and vhid are signed.
func TestSignCoversCounterAndVHID(t *testing.T) {
	k := mustKey(t, "secret-pass")
	vips := addrs("192.0.2.100")
	a := validAdvert()
	k.Sign(&a, vips)
	for name, change := range map[string]func(*Advert){
		"counter": func(a *Advert) { a.Counter++ },
		"vhid":    func(a *Advert) { a.VHID++ },
		"hmac":    func(a *Advert) { a.HMAC[19] ^= 1 },
	} {
		t.Run(name, func(t *testing.T) {
			b := a
			change(&b)
			if err := k.Verify(b, vips); err != ErrBadHMAC {
				t.Errorf("Verify after changing %s = %v, want ErrBadHMAC", name, err)
			}
		})
	}
}
