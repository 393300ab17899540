package health

import (
	"net/netip"
	"testing"
)

func TestNewPingAndARPRefuse(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"ping multicast", second(NewPing(PingOptions{Target: netip.MustParseAddr("224.0.0.1")})), "health: ping target 224.0.0.1 is not a unicast address"},
		{"ping unspecified", second(NewPing(PingOptions{Target: netip.MustParseAddr("::")})), "health: ping target :: is not a unicast address"},
		{"ping zone", second(NewPing(PingOptions{Target: netip.MustParseAddr("fe80::1%eth0")})), "health: ping target fe80::1%eth0 has a zone: set the interface instead"},
		{"ping link-local without interface", second(NewPing(PingOptions{Target: netip.MustParseAddr("fe80::1")})), "health: ping target fe80::1 is link-local and needs an interface"},
		{"arp IPv6", second(NewARP(ARPOptions{Target: netip.MustParseAddr("2001:db8::1"), Interface: "eth0"})), "health: arp target 2001:db8::1 is not a unicast IPv4 address"},
		{"arp broadcast", second(NewARP(ARPOptions{Target: netip.MustParseAddr("255.255.255.255"), Interface: "eth0"})), "health: arp target 255.255.255.255 is not a unicast IPv4 address"},
		{"arp without interface", second(NewARP(ARPOptions{Target: netip.MustParseAddr("192.0.2.1")})), "health: arp check needs an interface"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if errText(tc.err) != tc.want {
				t.Errorf("error %q, want %q", errText(tc.err), tc.want)
			}
		})
	}
}

func second[T any](_ T, err error) error { return err }
