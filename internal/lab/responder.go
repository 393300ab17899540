package lab

import (
	"errors"
	"fmt"
	"net"
	"sync"

	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"
)

// responder answers the client's probes in one host's namespace: every
// datagram to ProbePort on any local address (so to a VIP exactly while the
// host holds it) is echoed from the address it was sent to, with the host's
// name appended. It is the "service" behind the VIP.
type responder struct {
	name   string
	c4, c6 net.PacketConn
	wg     sync.WaitGroup
}

// startResponder opens the responder's sockets inside n's namespace and
// starts its two loops; close stops them.
func startResponder(n *Node) (*responder, error) {
	r := &responder{name: n.Name}
	err := n.Do(func() error {
		var err error
		if r.c4, err = net.ListenPacket("udp4", fmt.Sprintf("0.0.0.0:%d", ProbePort)); err != nil {
			return err
		}
		r.c6, err = net.ListenPacket("udp6", fmt.Sprintf("[::]:%d", ProbePort))
		return err
	})
	if err != nil {
		r.closeConns()
		return nil, fmt.Errorf("lab: responder in %s: %w", n.Name, err)
	}
	p4, p6 := ipv4.NewPacketConn(r.c4), ipv6.NewPacketConn(r.c6)
	if err := p4.SetControlMessage(ipv4.FlagDst, true); err != nil {
		r.closeConns()
		return nil, fmt.Errorf("lab: responder in %s: %w", n.Name, err)
	}
	if err := p6.SetControlMessage(ipv6.FlagDst, true); err != nil {
		r.closeConns()
		return nil, fmt.Errorf("lab: responder in %s: %w", n.Name, err)
	}
	r.wg.Add(2)
	go r.serve4(p4)
	go r.serve6(p6)
	return r, nil
}

// serve4 answers IPv4 probes until the socket is closed.
func (r *responder) serve4(c *ipv4.PacketConn) {
	defer r.wg.Done()
	buf := make([]byte, 1500)
	for {
		n, cm, src, err := c.ReadFrom(buf)
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil || cm == nil || n < probeLen {
			continue
		}
		reply := append(buf[:probeLen:probeLen], r.name...)
		// A reply that races the VIP's removal fails; the client counts
		// the probe as unanswered, which it was.
		_, _ = c.WriteTo(reply, &ipv4.ControlMessage{Src: cm.Dst}, src)
	}
}

// serve6 answers IPv6 probes until the socket is closed.
func (r *responder) serve6(c *ipv6.PacketConn) {
	defer r.wg.Done()
	buf := make([]byte, 1500)
	for {
		n, cm, src, err := c.ReadFrom(buf)
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil || cm == nil || n < probeLen {
			continue
		}
		reply := append(buf[:probeLen:probeLen], r.name...)
		_, _ = c.WriteTo(reply, &ipv6.ControlMessage{Src: cm.Dst}, src)
	}
}

func (r *responder) closeConns() {
	for _, c := range []net.PacketConn{r.c4, r.c6} {
		if c != nil {
			_ = c.Close()
		}
	}
}

// close stops the loops and waits for them.
func (r *responder) close() {
	r.closeConns()
	r.wg.Wait()
}
