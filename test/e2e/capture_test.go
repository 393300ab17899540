//go:build e2e

package e2e

import (
	"encoding/binary"
	"errors"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/vipd/vipd/internal/lab"
)

// advertCounts are the protocol-112 packets a node saw on its link.
type advertCounts struct {
	multicast, unicast int
}

// captureAdverts counts the IPv4 protocol-112 packets n's link carries for
// d, by destination: 224.0.0.18 or anything else.
func captureAdverts(t *testing.T, n *lab.Node, d time.Duration) advertCounts {
	t.Helper()
	fd := captureSocket(t, n)
	defer unix.Close(fd)
	var c advertCounts
	buf := make([]byte, 2048)
	for end := time.Now().Add(d); time.Now().Before(end); {
		k, _, err := unix.Recvfrom(fd, buf, 0)
		if errors.Is(err, unix.EAGAIN) || errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			t.Fatalf("capture in %s: %v", n.Name, err)
		}
		if k < 20 || buf[0]>>4 != 4 || buf[9] != 112 {
			continue
		}
		if [4]byte(buf[16:20]) == [4]byte{224, 0, 0, 18} {
			c.multicast++
		} else {
			c.unicast++
		}
	}
	return c
}

// captureSocket opens a socket in n's namespace that receives every IPv4
// packet on its link, with the kernel's receive time (SO_TIMESTAMPNS) for
// those who read it, and returns every 50 ms when none came, so that a
// capture loop can watch its end.
func captureSocket(t *testing.T, n *lab.Node) int {
	t.Helper()
	fd := -1
	err := n.Do(func() error {
		var err error
		fd, err = unix.Socket(unix.AF_PACKET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, int(htons(unix.ETH_P_IP)))
		if err != nil {
			return err
		}
		if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_TIMESTAMPNS, 1); err != nil {
			unix.Close(fd)
			return err
		}
		tv := unix.NsecToTimeval((50 * time.Millisecond).Nanoseconds())
		if err := unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv); err != nil {
			unix.Close(fd)
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatalf("capture socket in %s: %v", n.Name, err)
	}
	return fd
}

// htons converts a protocol number to network order for AF_PACKET.
func htons(v uint16) uint16 {
	var b [2]byte
	binary.BigEndian.PutUint16(b[:], v)
	return binary.NativeEndian.Uint16(b[:])
}
