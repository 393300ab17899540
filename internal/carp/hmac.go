package carp

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/binary"
	"fmt"
	"net/netip"
)

// MaxPasswordLen is the longest password ucarp accepts: it copies the
// password and its terminating NUL into a 20-byte key buffer.
const MaxPasswordLen = 19

// sha1Block is SHA-1's block size, the length of HMAC's padded key.
const sha1Block = 64

// Key is a group's CARP authentication key. ucarp uses the password bytes
// themselves as the HMAC-SHA1 key, with no derivation. The zero Key is not
// usable: Verify rejects everything with it and Sign writes a zero HMAC.
// Printing a Key with the fmt package does not reveal the password.
type Key struct {
	pad [sha1Block]byte // the password, zero-padded as HMAC (RFC 2104) pads it
	ok  bool
}

// NewKey returns the key for password. The password must be 1 to 19 bytes
// (ucarp refuses longer ones and vipd requires one) and must not contain a
// NUL byte (ucarp reads it as a C string, so it could not share it).
func NewKey(password []byte) (Key, error) {
	switch {
	case len(password) == 0:
		return Key{}, fmt.Errorf("%w: empty", ErrBadPassword)
	case len(password) > MaxPasswordLen:
		return Key{}, fmt.Errorf("%w: %d bytes, ucarp allows at most %d", ErrBadPassword, len(password), MaxPasswordLen)
	}
	var k Key
	for i, c := range password {
		if c == 0 {
			return Key{}, fmt.Errorf("%w: NUL byte at %d", ErrBadPassword, i)
		}
		k.pad[i] = c
	}
	k.ok = true
	return k, nil
}

// String hides the password.
func (k Key) String() string { return "carp.Key(redacted)" }

// GoString hides the password from %#v.
func (k Key) GoString() string { return k.String() }

// Sign sets a.HMAC to the HMAC-SHA1 of the message ucarp signs: the version
// byte 2, the type byte 1, a.VHID, the group's virtual IPv4 addresses
// (4 bytes each) and a.Counter (8 bytes, big-endian as on the wire).
// advbase, advskew, the demote byte and the source address are not signed.
//
// With several virtual addresses, Sign follows OpenBSD's carp_hmac_prepare:
// the IPv4 addresses in ascending order, each once, then the IPv6 ones in
// ascending order; 0.0.0.0, 255.255.255.255, :: and the all-ones IPv6
// address are skipped and IPv6 zones ignored. For the single IPv4 address
// ucarp supports this is exactly ucarp's message. The order of vips does not
// matter and vips is not modified.
func (k Key) Sign(a *Advert, vips []netip.Addr) {
	if !k.ok {
		a.HMAC = [20]byte{}
		return
	}
	a.HMAC = k.sum(a.VHID, vips, a.Counter)
}

// Verify reports whether a carries the HMAC that Sign would give it, in
// constant time. It returns ErrBadHMAC if not, or if k is the zero Key.
// Verify does not allocate.
func (k Key) Verify(a Advert, vips []netip.Addr) error {
	if !k.ok {
		return ErrBadHMAC
	}
	md := k.sum(a.VHID, vips, a.Counter)
	if !hmac.Equal(md[:], a.HMAC[:]) {
		return ErrBadHMAC
	}
	return nil
}

// sum computes HMAC-SHA1 (RFC 2104) by hand over stack buffers: crypto/hmac
// allocates its hash states on every use, which Verify must not.
func (k Key) sum(vhid uint8, vips []netip.Addr, counter uint64) [20]byte {
	// Room for the padded key and a message with up to 32 IPv4 addresses
	// or 8 IPv6 ones; append moves larger messages to the heap.
	var ibuf [sha1Block + 3 + 4*32 + 8]byte
	in := ibuf[:0]
	for _, c := range k.pad {
		in = append(in, c^0x36)
	}
	in = append(in, ProtoVersion, TypeAdvertisement, vhid)
	in = appendVIPs(in, vips)
	in = binary.BigEndian.AppendUint64(in, counter)
	inner := sha1.Sum(in)

	var obuf [sha1Block + sha1.Size]byte
	for i, c := range k.pad {
		obuf[i] = c ^ 0x5c
	}
	copy(obuf[sha1Block:], inner[:])
	return sha1.Sum(obuf[:])
}

// appendVIPs appends the virtual addresses in the order OpenBSD's
// carp_hmac_prepare hashes them: repeatedly the smallest IPv4 address
// greater than the previous one (so each once, and never 0.0.0.0 or
// 255.255.255.255), then the same walk over the IPv6 addresses compared as
// 16 bytes. It allocates nothing itself and is quadratic in len(vips), which
// is small.
func appendVIPs(b []byte, vips []netip.Addr) []byte {
	for last := uint32(0); ; {
		cur, found := uint32(0xffffffff), false
		for _, v := range vips {
			if v = v.Unmap(); !v.Is4() {
				continue
			}
			a4 := v.As4()
			if x := binary.BigEndian.Uint32(a4[:]); x > last && x < cur {
				cur, found = x, true
			}
		}
		if !found {
			break
		}
		b = binary.BigEndian.AppendUint32(b, cur)
		last = cur
	}
	type u128 struct{ hi, lo uint64 }
	less := func(x, y u128) bool { return x.hi < y.hi || x.hi == y.hi && x.lo < y.lo }
	for last := (u128{}); ; {
		cur, found := u128{^uint64(0), ^uint64(0)}, false
		for _, v := range vips {
			if !v.Is6() || v.Is4In6() {
				continue
			}
			a16 := v.As16()
			x := u128{binary.BigEndian.Uint64(a16[:8]), binary.BigEndian.Uint64(a16[8:])}
			if less(last, x) && less(x, cur) {
				cur, found = x, true
			}
		}
		if !found {
			break
		}
		b = binary.BigEndian.AppendUint64(b, cur.hi)
		b = binary.BigEndian.AppendUint64(b, cur.lo)
		last = cur
	}
	return b
}
