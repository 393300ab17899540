package lab

import (
	"fmt"
	"strings"
	"time"
)

// FastProfile is vipd's fast configuration: VRRPv3 at its shortest
// advertised interval (10 ms), a backup waiting two intervals plus its
// skew (22 ms for priority 200), and every advert sent five times per
// interval (every 2 ms), so that a backup takes over only after 11 or more
// adverts in a row are lost: at 20 % loss that is about once in 5×10⁷
// waits. The address lifetime is the kernel's floor, 1 s, so that a
// killed daemon's VIPs expire soon. The resign wait stays the protocol's
// own (the priority skew of one interval), which staggers the backups
// enough that the best one reliably takes over first after a SIGTERM.
// keepalived and ucarp cannot send several adverts per interval.
var FastProfile = Profile{Name: "fast", Interval: 10 * time.Millisecond, DownAdverts: 2,
	AdvertsPerInterval: 5, AddressLifetime: time.Second}

// VRRP10msProfile is keepalived's fastest setting, advert_int 0.01, one
// advert per interval: the reference the issue measured keepalived with.
// vipd runs it too, to show what the extra adverts of FastProfile buy.
var VRRP10msProfile = Profile{Name: "vrrp-10ms", Interval: 10 * time.Millisecond, DownAdverts: 3,
	AddressLifetime: time.Second}

// Profiles lists the named profiles, in the order benchmark tables use.
var Profiles = []Profile{DefaultProfile, FastProfile, VRRP10msProfile}

// ParseProfile finds a named profile.
func ParseProfile(name string) (Profile, error) {
	var names []string
	for _, p := range Profiles {
		if p.Name == name {
			return p, nil
		}
		names = append(names, p.Name)
	}
	return Profile{}, fmt.Errorf("lab: unknown profile %q: want %s", name, strings.Join(names, ", "))
}
