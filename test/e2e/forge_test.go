//go:build e2e

package e2e

import (
	"fmt"
	"net"
	"net/netip"

	"golang.org/x/net/ipv4"

	"github.com/vipd/vipd/internal/carp"
	"github.com/vipd/vipd/internal/lab"
	"github.com/vipd/vipd/internal/vrrp"
)

// forged is one kind of invalid protocol-112 packet. Each would win the
// election if it were accepted (a VRRP priority above the master's, a CARP
// interval shorter than the master's), so a vipd host that accepted one
// would change state.
type forged struct {
	name    string
	payload []byte
	ttl     int
	// otherGroup marks packets that a group of the other protocol may
	// legitimately count as "other-group" (they parse, for another id).
	otherGroupFor string
}

// forgeries builds the invalid packets for the flood test's two groups: a
// VRRPv3 group vrid (VIP vvip) and a CARP group vhid (VIP cvip, password).
func forgeries(src netip.Addr, vrid uint8, vvip netip.Addr, vhid uint8, cvip netip.Addr, carpGroup string) ([]forged, error) {
	dst := vrrp.GroupIPv4()
	v3 := vrrp.Advert{Version: vrrp.Version3, Type: vrrp.TypeAdvertisement, VRID: vrid, Priority: 254,
		MaxAdvertInt: 10, Addrs: []netip.Addr{vvip}}
	good := v3.Append(nil, src, dst)

	badSum := append([]byte(nil), good...)
	badSum[6] ^= 0x5a

	wrong, err := carp.NewKey([]byte("not-the-password"))
	if err != nil {
		return nil, err
	}
	fast := carp.NewAdvert(vhid, 0, 1, 1) // every 3.9 ms: would preempt
	wrong.Sign(&fast, []addr{cvip})
	badPass := fast.Append(nil)

	v2 := vrrp.Advert{Version: vrrp.Version2, Type: vrrp.TypeAdvertisement, VRID: vhid, Priority: 254,
		AdvertInt: 1, Addrs: []netip.Addr{cvip}}
	v2b := v2.Append(nil, src, dst)

	onVRRP := carp.NewAdvert(vrid, 0, 1, 1)
	wrong.Sign(&onVRRP, []addr{vvip})
	carpForVRRP := onVRRP.Append(nil)

	return []forged{
		{name: "wrong TTL", payload: good, ttl: 64},
		{name: "bad checksum", payload: badSum, ttl: 255},
		{name: "wrong password", payload: badPass, ttl: 255},
		{name: "truncated VRRP", payload: good[:6], ttl: 255},
		{name: "truncated CARP", payload: badPass[:20], ttl: 255},
		{name: "VRRPv2 in the CARP group's id", payload: v2b, ttl: 255},
		{name: "CARP in the VRRP group's id", payload: carpForVRRP, ttl: 255, otherGroupFor: carpGroup},
	}, nil
}

// addr keeps the slices above short.
type addr = netip.Addr

// sender sends hand-made IPv4 packets (own header, IP_HDRINCL) to the
// VRRP/CARP multicast group from a node of the lab.
type sender struct {
	c   net.PacketConn
	raw *ipv4.RawConn
	src netip.Addr
}

// newSender opens the raw socket inside n's namespace.
func newSender(n *lab.Node) (*sender, error) {
	s := &sender{src: n.Addr4}
	err := n.Do(func() error {
		var err error
		if s.c, err = net.ListenPacket(fmt.Sprintf("ip4:%d", vrrp.Protocol), "0.0.0.0"); err != nil {
			return err
		}
		if s.raw, err = ipv4.NewRawConn(s.c); err != nil {
			return err
		}
		return s.raw.SetMulticastInterface(&net.Interface{Index: n.Index, Name: lab.LinkName})
	})
	if err != nil {
		if s.c != nil {
			s.c.Close()
		}
		return nil, fmt.Errorf("raw socket in %s: %w", n.Name, err)
	}
	return s, nil
}

// send sends f to 224.0.0.18 with f's TTL.
func (s *sender) send(f forged) error {
	h := &ipv4.Header{
		Version:  ipv4.Version,
		Len:      ipv4.HeaderLen,
		TOS:      0xc0,
		TotalLen: ipv4.HeaderLen + len(f.payload),
		Flags:    ipv4.DontFragment,
		TTL:      f.ttl,
		Protocol: vrrp.Protocol,
		Src:      s.src.AsSlice(),
		Dst:      vrrp.GroupIPv4().AsSlice(),
	}
	return s.raw.WriteTo(h, f.payload, nil)
}

func (s *sender) close() { s.c.Close() }
