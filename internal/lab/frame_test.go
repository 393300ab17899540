package lab

import (
	"bytes"
	"encoding/binary"
	"net"
	"net/netip"
	"testing"

	"golang.org/x/net/ipv4"
)

var (
	macA = net.HardwareAddr{0x02, 0, 0, 0, 0, 0xaa}
	macB = net.HardwareAddr{0x02, 0, 0, 0, 0, 0xbb}
)

func TestUDPFrameIPv4(t *testing.T) {
	src, dst := netip.MustParseAddr("192.0.2.200"), netip.MustParseAddr("192.0.2.100")
	payload := appendProbe(nil, probe{kind: kindSweep, target: 1, host: 2, seq: 7})
	f := appendUDPFrame(nil, macB, macA, src, dst, 7778, 7777, payload)
	if !bytes.Equal(f[0:6], macB) || !bytes.Equal(f[6:12], macA) || binary.BigEndian.Uint16(f[12:]) != etherTypeIPv4 {
		t.Fatalf("Ethernet header % x", f[:14])
	}
	h, err := ipv4.ParseHeader(f[14:])
	if err != nil {
		t.Fatal(err)
	}
	if h.TotalLen != 20+8+len(payload) || h.Protocol != 17 || h.TTL != 64 || !h.Src.Equal(src.AsSlice()) || !h.Dst.Equal(dst.AsSlice()) {
		t.Errorf("IPv4 header %v", h)
	}
	if s := onesSum(0, f[14:34]); s != 0xffff {
		t.Errorf("IPv4 header checksum does not verify: sum %#04x", s)
	}
	udp := f[34:]
	if binary.BigEndian.Uint16(udp[0:]) != 7778 || binary.BigEndian.Uint16(udp[2:]) != 7777 || int(binary.BigEndian.Uint16(udp[4:])) != 8+len(payload) {
		t.Errorf("UDP header % x", udp[:8])
	}
	if !bytes.Equal(udp[8:], payload) {
		t.Errorf("payload % x, want % x", udp[8:], payload)
	}
}

func TestUDPFrameIPv6(t *testing.T) {
	src, dst := netip.MustParseAddr("2001:db8::200"), netip.MustParseAddr("2001:db8::100")
	payload := []byte("odd-length payload") // 18 bytes
	payload = append(payload, 'x')
	f := appendUDPFrame(nil, macB, macA, src, dst, 7778, 7777, payload)
	if binary.BigEndian.Uint16(f[12:]) != etherTypeIPv6 {
		t.Fatalf("EtherType %#04x", binary.BigEndian.Uint16(f[12:]))
	}
	ip := f[14:54]
	if ip[0]>>4 != 6 || ip[6] != 17 || int(binary.BigEndian.Uint16(ip[4:])) != 8+len(payload) {
		t.Errorf("IPv6 header % x", ip)
	}
	if !bytes.Equal(ip[8:24], src.AsSlice()) || !bytes.Equal(ip[24:40], dst.AsSlice()) {
		t.Errorf("IPv6 addresses % x", ip[8:40])
	}
	// RFC 8200 §8.1: the sum over pseudo-header and datagram verifies.
	udp := f[54:]
	s := onesSum(0, ip[8:40])
	s = onesSum(s, []byte{0, 0, 0, byte(len(udp)), 0, 0, 0, 17})
	s = onesSum(s, udp)
	if s != 0xffff {
		t.Errorf("UDP checksum does not verify: sum %#04x", s)
	}
}

func TestProbeRoundTrip(t *testing.T) {
	p := probe{kind: kindStream, target: 3, host: 1, seq: 1 << 40}
	b := appendProbe(nil, p)
	if len(b) != probeLen {
		t.Fatalf("probe is %d bytes, want %d", len(b), probeLen)
	}
	got, err := parseProbe(append(b, "h2"...))
	p.from = "h2"
	if err != nil || got != p {
		t.Errorf("parseProbe = %+v, %v; want %+v", got, err, p)
	}
	if _, err := parseProbe(b[:probeLen-1]); err == nil {
		t.Error("a short probe parsed")
	}
	b[0] = 'x'
	if _, err := parseProbe(b); err == nil {
		t.Error("a probe without magic parsed")
	}
}

func TestNodeAddr(t *testing.T) {
	for id, want := range map[int][2]string{
		1:   {"192.0.2.1", "2001:db8::1"},
		3:   {"192.0.2.3", "2001:db8::3"},
		200: {"192.0.2.200", "2001:db8::200"},
		201: {"192.0.2.201", "2001:db8::201"},
	} {
		a4, a6 := nodeAddr(id)
		if a4.String() != want[0] || a6.String() != want[1] {
			t.Errorf("nodeAddr(%d) = %s, %s; want %s, %s", id, a4, a6, want[0], want[1])
		}
	}
}
