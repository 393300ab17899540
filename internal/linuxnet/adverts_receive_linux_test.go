package linuxnet

import (
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/vipd/vipd/internal/netif"
)

func TestArrival(t *testing.T) {
	read := time.Now()
	for _, tc := range []struct {
		name  string
		stamp time.Time
		want  time.Duration // arrival − read
	}{
		{"no stamp", time.Time{}, 0},
		{"3 ms before the read", read.Round(0).Add(-3 * time.Millisecond), -3 * time.Millisecond},
		{"after the read: clock stepped back", read.Round(0).Add(time.Minute), 0},
		{"an hour before: clock stepped forward", read.Round(0).Add(-time.Hour), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := arrival(tc.stamp, read).Sub(read); got != tc.want {
				t.Errorf("arrival − read = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestControlsTimestamp: SCM_TIMESTAMPNS becomes Packet.At beside the
// IPv6 hop limit.
func TestControlsTimestamp(t *testing.T) {
	ts := unix.NsecToTimespec(time.Date(2026, 12, 6, 12, 0, 0, 123456789, time.UTC).UnixNano())
	oob := cmsg(unix.SOL_SOCKET, unix.SCM_TIMESTAMPNS, unsafe.Slice((*byte)(unsafe.Pointer(&ts)), unsafe.Sizeof(ts)))
	hop := int32(255)
	oob = append(oob, cmsg(unix.IPPROTO_IPV6, unix.IPV6_HOPLIMIT, unsafe.Slice((*byte)(unsafe.Pointer(&hop)), 4))...)
	var p netif.Packet
	controls(oob, &p)
	if want := time.Unix(ts.Unix()); !p.At.Equal(want) {
		t.Errorf("At = %v, want %v", p.At, want)
	}
	if p.TTL != 255 {
		t.Errorf("TTL = %d, want 255", p.TTL)
	}
}

// cmsg builds one control message as the kernel lays it out.
func cmsg(level, typ int32, data []byte) []byte {
	b := make([]byte, unix.CmsgSpace(len(data)))
	h := (*unix.Cmsghdr)(unsafe.Pointer(&b[0]))
	h.Level, h.Type = level, typ
	h.SetLen(unix.CmsgLen(len(data)))
	copy(b[unix.CmsgLen(0):], data)
	return b
}
