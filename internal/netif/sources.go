package netif

import (
	"context"
	"errors"
	"net/netip"
)

// ErrNoSource says the link has no address usable as the source of adverts
// (now): none of the family, only tentative ones, or only VIPs.
// Implementations wrap it, so test with errors.Is.
var ErrNoSource = errors.New("no usable source address")

// Sources finds the primary address of a link: the source of a group's
// adverts when the configuration names none. It is asked again whenever the
// group opens its connection, so that an interface that was deleted and
// created again (with a new link-local address, say) is followed.
type Sources interface {
	// Source returns link's primary address of family: for IPv6 its
	// link-local address (RFC 5798 §5.1.2.1), for IPv4 its first global
	// unicast address. Addresses in exclude (the group's VIPs), VIPs that
	// vipd added and tentative addresses (duplicate address detection not
	// done) are skipped. If the link does not exist the error wraps
	// ErrNoLink; if it has no such address, ErrNoSource.
	Source(ctx context.Context, link string, family Family, exclude []netip.Addr) (netip.Addr, error)
}
