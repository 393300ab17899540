package ucarpcli

import (
	"strings"

	"github.com/vipd/vipd/internal/config"
)

// maxInterfaceName is the longest Linux interface name (IFNAMSIZ − 1).
const maxInterfaceName = 15

// Check refuses what ucarp refuses once all options are read, in ucarp's
// order and with its messages and exit statuses: a missing vhid, password,
// advert interval, source address or VIP, a password ucarp cannot use, and
// what vipd cannot do at all (-M without --vipd-peer, a VIP equal to the
// source). The interface is checked by Build, which may have to find it.
func (o *Options) Check() error {
	switch {
	case o.VHID == 0:
		return invalidf("You must supply a valid virtual host id")
	case o.Password == "":
		return invalidf("You must supply a password")
	case o.AdvBase == 0 && o.AdvSkew == 0:
		return invalidf("You must supply an advertisement time base")
	case !o.SrcIP.IsValid():
		return invalidf("You must supply a persistent source address")
	case !o.VIP.IsValid():
		return invalidf("You must supply a virtual host address")
	case len(o.Interface) > maxInterfaceName:
		return startf("Interface name too long")
	case len(o.Password) > config.MaxCARPPassword:
		// ucarp copies the password and its NUL into a 20-byte key.
		return startf("Password too long")
	case strings.IndexByte(o.Password, 0) >= 0:
		return invalidf("the password contains a NUL byte, where ucarp would end it")
	case o.VIP.Addr() == o.SrcIP:
		return invalidf("the virtual address %s is the source address: -s takes this host's own address", o.SrcIP)
	case o.NoMcast && len(o.Peers) == 0:
		return invalidf("-M/--nomcast: vipd cannot send broadcast adverts; " +
			"give the other hosts' addresses with --vipd-peer=ADDRESS (once each) for unicast adverts " +
			"once every host runs vipd, or leave -M out where multicast reaches every host " +
			"(see docs/migrate-from-ucarp.md)")
	}
	for _, p := range o.Peers {
		if p == o.SrcIP || p == o.VIP.Addr() {
			return invalidf("--vipd-peer %s is this host's source address or the virtual address", p)
		}
	}
	return nil
}
