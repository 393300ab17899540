package lab

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/mdlayher/packet"
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// advertSniffer reads one host's adverts for one group off the host's port
// on the switch: the switch-side end of its veth, where every frame the
// host sends arrives, multicast or unicast alike, before the bridge
// forwards it. Frames the bridge forwards to the host leave through the
// same port; a socket filter (fromHost) drops them, so what remains was
// sent by the host, whatever source address it used.
type advertSniffer struct {
	host *Host
	id   uint8
	conn *packet.Conn
	buf  []byte
}

// sniffAdverts opens an AF_PACKET socket on h's switch port, inside the
// switch namespace, for h's adverts of group id. Frames are read from the
// moment it returns; close releases the socket.
func (l *Lab) sniffAdverts(h *Host, id uint8) (*advertSniffer, error) {
	port, err := l.net.sw.nl.LinkByName(h.port)
	if err != nil {
		return nil, fmt.Errorf("lab: switch port of %s: %w", h.Name, err)
	}
	ifi := &net.Interface{Index: port.Attrs().Index, Name: h.port}
	var conn *packet.Conn
	err = l.net.sw.do(func() error {
		var err error
		conn, err = packet.Listen(ifi, packet.Raw, unix.ETH_P_ALL, &packet.Config{Filter: fromHost})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("lab: watch %s's adverts on its switch port: %w", h.Name, err)
	}
	return &advertSniffer{host: h, id: id, conn: conn, buf: make([]byte, 1<<16)}, nil
}

// next reads frames until one is an advert from the host and returns when
// it was read. It gives up at deadline (errNoAdvert) and when ctx ends.
func (s *advertSniffer) next(ctx context.Context, deadline time.Time) (time.Time, error) {
	if err := s.conn.SetReadDeadline(deadline); err != nil {
		return time.Time{}, fmt.Errorf("lab: watch %s's adverts: %w", s.host.Name, err)
	}
	// A deadline in the past is what wakes a blocked read.
	stop := context.AfterFunc(ctx, func() { _ = s.conn.SetReadDeadline(time.Unix(1, 0)) })
	defer stop()
	for {
		n, _, err := s.conn.ReadFrom(s.buf)
		at := time.Now()
		switch {
		case ctx.Err() != nil:
			return time.Time{}, fmt.Errorf("lab: %w", ctx.Err())
		case errors.Is(err, os.ErrDeadlineExceeded):
			return time.Time{}, errNoAdvert
		case err != nil:
			return time.Time{}, fmt.Errorf("lab: watch %s's adverts: %w", s.host.Name, err)
		case isAdvert(s.buf[:n], s.id):
			return at, nil
		}
	}
}

// fromHost is a socket filter that passes the frames arriving at a switch
// port from its host and drops those the switch sends out of it (packet
// type PACKET_OUTGOING).
var fromHost = func() []bpf.RawInstruction {
	f, err := bpf.Assemble([]bpf.Instruction{
		bpf.LoadExtension{Num: bpf.ExtType},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: unix.PACKET_OUTGOING, SkipTrue: 1},
		bpf.RetConstant{Val: 1 << 16}, // the whole frame
		bpf.RetConstant{Val: 0},
	})
	if err != nil {
		panic(err) // a constant program
	}
	return f
}()

// errNoAdvert says that no advert came before the deadline.
var errNoAdvert = errors.New("no advert")

// close releases the socket.
func (s *advertSniffer) close() error { return s.conn.Close() }

// nextAdvert waits, at most within, for h's next advert of group id and
// returns when it arrived at h's switch port.
func (l *Lab) nextAdvert(ctx context.Context, h *Host, id uint8, within time.Duration) (time.Time, error) {
	s, err := l.sniffAdverts(h, id)
	if err != nil {
		return time.Time{}, err
	}
	defer s.close()
	at, err := s.next(ctx, time.Now().Add(within))
	if errors.Is(err, errNoAdvert) {
		return time.Time{}, fmt.Errorf("lab: no advert from %s (group id %d) seen on its switch port within %s", h.Name, id, FormatDuration(within))
	}
	return at, err
}
