package vrrp

import (
	"errors"
	"net/netip"
	"testing"
	"time"
)

func TestInterval(t *testing.T) {
	tests := []struct {
		name string
		a    Advert
		want time.Duration
	}{
		{"RFC 3768 §5.3.7: VRRPv2 in seconds", Advert{Version: 2, AdvertInt: 1}, time.Second},
		{"RFC 3768 §5.3.7: VRRPv2 largest", Advert{Version: 2, AdvertInt: 255}, 255 * time.Second},
		{"RFC 3768: VRRPv2 ignores MaxAdvertInt", Advert{Version: 2, AdvertInt: 3, MaxAdvertInt: 100}, 3 * time.Second},
		{"RFC 5798 §5.2.7: VRRPv3 default 100 cs", Advert{Version: 3, MaxAdvertInt: 100}, time.Second},
		{"RFC 5798 §5.2.7: keepalived advert_int 0.05", Advert{Version: 3, MaxAdvertInt: 5}, 50 * time.Millisecond},
		{"keepalived rounds advert_int 0.055 to 6 cs", Advert{Version: 3, MaxAdvertInt: 6}, 60 * time.Millisecond},
		{"RFC 5798 §5.2.7: VRRPv3 largest, 4095 cs", Advert{Version: 3, MaxAdvertInt: 4095}, 40950 * time.Millisecond},
		{"RFC 5798: VRRPv3 ignores AdvertInt", Advert{Version: 3, AdvertInt: 9, MaxAdvertInt: 1}, 10 * time.Millisecond},
		{"unknown version", Advert{Version: 4, AdvertInt: 1, MaxAdvertInt: 100}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.Interval(); got != tt.want {
				t.Errorf("Interval() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	v2 := Advert{Version: 2, Type: 1, VRID: 1, Priority: 100, AdvertInt: 1, Addrs: addrs("192.0.2.100")}
	v3 := Advert{Version: 3, Type: 1, VRID: 1, Priority: 100, MaxAdvertInt: 100, Addrs: addrs("192.0.2.100")}
	v6 := Advert{Version: 3, Type: 1, VRID: 1, Priority: 100, MaxAdvertInt: 100, Addrs: addrs("fe80::1", "2001:db8::1")}
	change := func(a Advert, f func(*Advert)) Advert { f(&a); return a }
	many := make([]netip.Addr, 256)
	for i := range many {
		many[i] = netip.AddrFrom4([4]byte{192, 0, 2, byte(i)})
	}
	tests := []struct {
		name       string
		a          Advert
		src, dst   netip.Addr
		wantReason string
	}{
		{"RFC 3768: VRRPv2", v2, src4, grp4, "none"},
		{"RFC 2338 §5.3.6.1: VRRPv2 simple password", change(v2, func(a *Advert) { a.AuthType = AuthSimple }), src4, grp4, "none"},
		{"RFC 5798: VRRPv3 IPv4", v3, src4, grp4, "none"},
		{"RFC 5798: VRRPv3 IPv6", v6, src6, grp6, "none"},
		{"RFC 5798 §5.2.7: largest interval", change(v3, func(a *Advert) { a.MaxAdvertInt = 4095 }), src4, grp4, "none"},
		{"RFC 5798 §5.2.5: 255 addresses", change(v3, func(a *Advert) { a.Addrs = many[:255] }), src4, grp4, "none"},
		{"version 1", change(v3, func(a *Advert) { a.Version = 1 }), src4, grp4, "bad-version"},
		{"type 0", change(v3, func(a *Advert) { a.Type = 0 }), src4, grp4, "bad-type"},
		{"RFC 5798 §5.2.5: no address", change(v3, func(a *Advert) { a.Addrs = nil }), src4, grp4, "bad-addr-count"},
		{"RFC 5798 §5.2.5: 256 addresses do not fit the count", change(v3, func(a *Advert) { a.Addrs = many }), src4, grp4, "bad-addr-count"},
		{"RFC 3768 §5.1: VRRPv2 over IPv6", change(v2, func(a *Advert) { a.Addrs = addrs("2001:db8::1") }), src6, grp6, "family-mismatch"},
		{"RFC 3768 §5.3.9: IPv6 address in VRRPv2", change(v2, func(a *Advert) { a.Addrs = addrs("2001:db8::1") }), src4, grp4, "family-mismatch"},
		{"RFC 5798 §5.2.9: IPv4 address in an IPv6 advert", change(v6, func(a *Advert) { a.Addrs = addrs("192.0.2.1") }), src6, grp6, "family-mismatch"},
		{"RFC 5798 §5.2.9: IPv6 address in an IPv4 advert", change(v3, func(a *Advert) { a.Addrs = addrs("2001:db8::1") }), src4, grp4, "family-mismatch"},
		{"invalid address", change(v3, func(a *Advert) { a.Addrs = []netip.Addr{{}} }), src4, grp4, "family-mismatch"},
		{"source and destination of different families", v3, src4, grp6, "family-mismatch"},
		{"RFC 3768 §5.3.7: VRRPv2 interval 0", change(v2, func(a *Advert) { a.AdvertInt = 0 }), src4, grp4, "bad-interval"},
		{"RFC 5798 §5.2.7: VRRPv3 interval 0", change(v3, func(a *Advert) { a.MaxAdvertInt = 0 }), src4, grp4, "bad-interval"},
		{"RFC 5798 §5.2.7: 4096 cs do not fit 12 bits", change(v3, func(a *Advert) { a.MaxAdvertInt = 4096 }), src4, grp4, "bad-interval"},
		{"RFC 5798 §5.2.6: reserved wider than 4 bits", change(v3, func(a *Advert) { a.Reserved = 0x10 }), src4, grp4, "bad-interval"},
		{"RFC 2338 §5.3.6.2: AH", change(v2, func(a *Advert) { a.AuthType = AuthAH }), src4, grp4, "auth-ah"},
		{"RFC 3768 §5.3.6: auth type 9", change(v2, func(a *Advert) { a.AuthType = 9 }), src4, grp4, "bad-auth-type"},
		{"unknown checksum variant", change(v3, func(a *Advert) { a.ChecksumVariant = 9 }), src4, grp4, "bad-checksum"},
		{"IPv6 ignores the checksum variant", change(v6, func(a *Advert) { a.ChecksumVariant = 9 }), src6, grp6, "none"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.a.Validate(tt.src, tt.dst)
			if got := ReasonOf(err).String(); got != tt.wantReason {
				t.Errorf("Validate: %v, reason %q, want %q", err, got, tt.wantReason)
			}
			// Append encodes whatever it is given without panicking; what
			// validates must parse back.
			msg := tt.a.Append(nil, tt.src, tt.dst)
			if err != nil {
				return
			}
			got, perr := Parse(msg, tt.src, tt.dst)
			if perr != nil {
				t.Fatalf("Parse of Append of a valid advert: %v", perr)
			}
			if got.Version != tt.a.Version || len(got.Addrs) != len(tt.a.Addrs) || got.Interval() != tt.a.Interval() {
				t.Errorf("round trip: got %v, want %v", got, tt.a)
			}
		})
	}
}

func TestValidateWrapsSentinels(t *testing.T) {
	err := Advert{Version: 2, Type: 1, Addrs: addrs("192.0.2.1")}.Validate(src4, grp4)
	if !errors.Is(err, ErrInterval) {
		t.Errorf("Validate: %v, want ErrInterval", err)
	}
}

func TestAdvertString(t *testing.T) {
	tests := []struct {
		name string
		g    string
		want string
	}{
		{"VRRPv2", "keepalived-v2-pass", "VRRPv2 vrid 52 prio 100 intvl 1s auth simple addrs 192.0.2.100"},
		{"VRRPv3 IPv4", "keepalived-v3-ipv4", "VRRPv3 vrid 53 prio 200 intvl 100cs addrs 192.0.2.100,192.0.2.101"},
		{"VRRPv3 IPv6", "keepalived-v3-ipv6", "VRRPv3 vrid 54 prio 100 intvl 100cs addrs fe80::54,2001:db8::54"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := readGolden(t, tt.g)
			a, err := Parse(g.msg, g.src, g.dst)
			if err != nil {
				t.Fatal(err)
			}
			if got := a.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestGroups(t *testing.T) {
	if got, want := GroupIPv4(), netip.MustParseAddr("224.0.0.18"); got != want {
		t.Errorf("RFC 3768 §5.2.2: GroupIPv4() = %v, want %v", got, want)
	}
	if got, want := GroupIPv6(), netip.MustParseAddr("ff02::12"); got != want {
		t.Errorf("RFC 5798 §5.1.2.2: GroupIPv6() = %v, want %v", got, want)
	}
}
