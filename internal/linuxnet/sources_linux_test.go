package linuxnet

import (
	"net/netip"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/vipd/vipd/internal/netif"
)

func TestPickSource(t *testing.T) {
	addr := func(p string, flags uint32, proto uint8) kaddr {
		return kaddr{prefix: netip.MustParsePrefix(p), flags: flags, proto: proto}
	}
	var (
		primary   = addr("192.0.2.1/24", unix.IFA_F_PERMANENT, 0)
		second    = addr("192.0.2.7/24", unix.IFA_F_PERMANENT|unix.IFA_F_SECONDARY, 0)
		vip       = addr("192.0.2.100/24", 0, AddressProtocol)
		global6   = addr("2001:db8::1/64", unix.IFA_F_PERMANENT, 0)
		ll        = addr("fe80::1/64", unix.IFA_F_PERMANENT, 3)
		tentative = addr("fe80::2/64", unix.IFA_F_TENTATIVE, 3)
		failed    = addr("fe80::3/64", unix.IFA_F_DADFAILED, 3)
	)
	for _, tc := range []struct {
		name    string
		as      []kaddr
		family  netif.Family
		exclude []netip.Addr
		want    string // "" for none
	}{
		{"ipv4: the first global", []kaddr{vip, primary, second, ll}, netif.IPv4, nil, "192.0.2.1"},
		{"ipv4: excluded skipped", []kaddr{primary, second}, netif.IPv4, []netip.Addr{primary.prefix.Addr()}, "192.0.2.7"},
		{"ipv4: a VIP is never a source", []kaddr{vip}, netif.IPv4, nil, ""},
		{"ipv4: none", []kaddr{global6, ll}, netif.IPv4, nil, ""},
		{"ipv6: the link-local, not the global", []kaddr{primary, global6, ll}, netif.IPv6, nil, "fe80::1"},
		{"ipv6: tentative and failed skipped", []kaddr{tentative, failed, ll}, netif.IPv6, nil, "fe80::1"},
		{"ipv6: only tentative", []kaddr{global6, tentative}, netif.IPv6, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := pickSource(tc.as, tc.family, tc.exclude, AddressProtocol)
			if !ok {
				if tc.want != "" {
					t.Errorf("no source, want %s", tc.want)
				}
				return
			}
			if got.String() != tc.want {
				t.Errorf("source %v, want %q", got, tc.want)
			}
		})
	}
}
