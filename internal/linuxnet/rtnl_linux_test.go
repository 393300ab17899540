package linuxnet

import (
	"bytes"
	"encoding/binary"
	"errors"
	"net/netip"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/vipd/vipd/internal/netif"
)

func TestLifetimeSeconds(t *testing.T) {
	for _, tc := range []struct {
		in   time.Duration
		want uint32
	}{
		{0, foreverLifetime},
		{-time.Second, foreverLifetime},
		{time.Nanosecond, 1},
		{2 * time.Second, 2},
		{2100 * time.Millisecond, 3},
		{1_000_000 * time.Hour, 3_600_000_000},
		{2_000_000 * time.Hour, foreverLifetime},
	} {
		if got := lifetimeSeconds(tc.in); got != tc.want {
			t.Errorf("lifetimeSeconds(%v) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

// TestNewAddrMessage checks the RTM_NEWADDR request byte by byte against
// linux/if_addr.h and linux/netlink.h.
func TestNewAddrMessage(t *testing.T) {
	p := netip.MustParsePrefix("2001:db8::10/64")
	m := addrMsg(unix.RTM_NEWADDR, unix.NLM_F_CREATE|unix.NLM_F_EXCL, 7, p)
	b := m.bytes(42)
	ne := binary.NativeEndian
	if got := ne.Uint32(b[0:]); int(got) != len(b) {
		t.Errorf("nlmsg_len %d, want %d", got, len(b))
	}
	if got := ne.Uint16(b[4:]); got != unix.RTM_NEWADDR {
		t.Errorf("nlmsg_type %d", got)
	}
	if got, want := ne.Uint16(b[6:]), uint16(unix.NLM_F_REQUEST|unix.NLM_F_ACK|unix.NLM_F_CREATE|unix.NLM_F_EXCL); got != want {
		t.Errorf("nlmsg_flags %#x, want %#x", got, want)
	}
	if got := ne.Uint32(b[8:]); got != 42 {
		t.Errorf("nlmsg_seq %d", got)
	}
	ifa := b[unix.NLMSG_HDRLEN:]
	if ifa[0] != unix.AF_INET6 || ifa[1] != 64 || ne.Uint32(ifa[4:]) != 7 {
		t.Errorf("ifaddrmsg % x: want family AF_INET6, prefixlen 64, index 7", ifa[:8])
	}
	attrs, err := parseAttrs(ifa[unix.SizeofIfAddrmsg:])
	if err != nil {
		t.Fatal(err)
	}
	for _, typ := range []uint16{unix.IFA_LOCAL, unix.IFA_ADDRESS} {
		if !bytes.Equal(attrs[typ], p.Addr().AsSlice()) {
			t.Errorf("attribute %d = % x, want the address", typ, attrs[typ])
		}
	}
}

// TestParseAddr decodes an RTM_NEWADDR message as the kernel sends it.
func TestParseAddr(t *testing.T) {
	m := addrMsg(unix.RTM_NEWADDR, 0, 3, netip.MustParsePrefix("192.0.2.10/24"))
	m.b[unix.NLMSG_HDRLEN+2] = unix.IFA_F_SECONDARY
	m.attr(ifaProto, []byte{AddressProtocol})
	ci := make([]byte, unix.SizeofIfaCacheinfo)
	binary.NativeEndian.PutUint32(ci[4:], 5)
	m.attr(unix.IFA_CACHEINFO, ci)
	b := m.bytes(1)
	msgs, err := syscall.ParseNetlinkMessage(b)
	if err != nil || len(msgs) != 1 {
		t.Fatalf("ParseNetlinkMessage: %v, %d messages", err, len(msgs))
	}
	a, ok, err := parseAddr(msgs[0].Data)
	if err != nil || !ok {
		t.Fatalf("parseAddr: %v, %v", ok, err)
	}
	want := kaddr{index: 3, prefix: netip.MustParsePrefix("192.0.2.10/24"), flags: unix.IFA_F_SECONDARY, proto: AddressProtocol, valid: 5}
	if a != want {
		t.Fatalf("parseAddr = %+v, want %+v", a, want)
	}
}

func TestNLErrorExtAck(t *testing.T) {
	// struct nlmsgerr: error, the request's header (capped), then TLVs.
	code := -int32(unix.EEXIST)
	data := binary.NativeEndian.AppendUint32(nil, uint32(code))
	data = append(data, make([]byte, unix.NLMSG_HDRLEN)...)
	tlv := &nlMsg{}
	tlv.attr(unix.NLMSGERR_ATTR_MSG, []byte("Address already assigned\x00"))
	data = append(data, tlv.b...)
	msg := syscall.NetlinkMessage{
		Header: syscall.NlMsghdr{Type: unix.NLMSG_ERROR, Flags: unix.NLM_F_CAPPED | unix.NLM_F_ACK_TLVS},
		Data:   data,
	}
	err := nlError(msg)
	if err == nil || err.Error() != "file exists (Address already assigned)" {
		t.Fatalf("nlError = %v", err)
	}
	if !errors.Is(err, unix.EEXIST) {
		t.Fatalf("nlError does not wrap EEXIST")
	}
}

func TestLinkFollower(t *testing.T) {
	f := linkFollower{state: netif.LinkState{Name: "eth0"}}
	steps := []struct {
		li   linkInfo
		del  bool
		want string
	}{
		{linkInfo{index: 2, name: "eth0", flags: unix.IFF_UP | unix.IFF_LOWER_UP}, false, "eth0 index=2 up carrier"},
		{linkInfo{index: 3, name: "eth1", flags: unix.IFF_UP}, false, "eth0 index=2 up carrier"},
		{linkInfo{index: 2, name: "eth0", flags: unix.IFF_UP}, false, "eth0 index=2 up no-carrier"},
		{linkInfo{index: 2, name: "eth0", flags: 0}, false, "eth0 index=2 down no-carrier"},
		{linkInfo{index: 2, name: "eth0"}, true, "eth0 absent"},
		{linkInfo{index: 9, name: "eth0", flags: unix.IFF_UP}, false, "eth0 index=9 up no-carrier"},
		{linkInfo{index: 9, name: "wan0", flags: unix.IFF_UP}, false, "eth0 absent"},                                 // renamed away
		{linkInfo{index: 3, name: "eth0", flags: unix.IFF_UP | unix.IFF_LOWER_UP}, false, "eth0 index=3 up carrier"}, // renamed in
	}
	for i, s := range steps {
		f.apply(s.li, s.del)
		if got := f.state.String(); got != s.want {
			t.Errorf("step %d: state %q, want %q", i, got, s.want)
		}
	}
}
