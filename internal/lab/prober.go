package lab

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// clientPort is the client's UDP port: stream probes leave from it and
// sweep frames carry it as their source port, so one socket per family
// receives every reply.
const clientPort = ProbePort + 1

// maxHosts bounds the hosts a sweep can tell apart (one bit each).
const maxHosts = 8

// prober is the client: from the client namespace it sends a stream probe
// to every target VIP each interval and a sweep round (one probe per host
// MAC) every sweepEvery, and records the answers.
type prober struct {
	interval, sweepEvery time.Duration
	targets              []netip.Addr
	client               *Node
	hosts                []*Node
	names                map[string]int8

	c4, c6 net.PacketConn
	raw    int // AF_PACKET socket for sweep frames, or -1

	mu      sync.Mutex
	streams []Timeline
	sweeps  []SweepLog

	cancel   context.CancelFunc
	sendDone chan struct{}
	wg       sync.WaitGroup // the receive loops
}

// startProber opens the client's sockets in its namespace and starts
// probing until close.
func startProber(client *Node, hosts []*Node, targets []netip.Addr, interval, sweepEvery time.Duration) (*prober, error) {
	if len(hosts) > maxHosts {
		return nil, fmt.Errorf("lab: at most %d hosts", maxHosts)
	}
	p := &prober{interval: interval, sweepEvery: sweepEvery, targets: targets, client: client, hosts: hosts, raw: -1, names: map[string]int8{}}
	names := make([]string, len(hosts))
	for i, h := range hosts {
		names[i] = h.Name
		p.names[h.Name] = int8(i)
	}
	for range targets {
		p.streams = append(p.streams, Timeline{Hosts: names})
		p.sweeps = append(p.sweeps, SweepLog{Hosts: names})
	}
	err := client.Do(func() error {
		var err error
		if p.c4, err = net.ListenPacket("udp4", fmt.Sprintf("0.0.0.0:%d", clientPort)); err != nil {
			return err
		}
		if p.c6, err = net.ListenPacket("udp6", fmt.Sprintf("[::]:%d", clientPort)); err != nil {
			return err
		}
		// Protocol 0: this socket only sends.
		if p.raw, err = unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, 0); err != nil {
			return fmt.Errorf("packet socket: %w", err)
		}
		return nil
	})
	if err != nil {
		p.closeConns()
		return nil, fmt.Errorf("lab: client sockets: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel, p.sendDone = cancel, make(chan struct{})
	p.wg.Add(2)
	go p.receive(p.c4)
	go p.receive(p.c6)
	go p.send(ctx)
	return p, nil
}

// send sends the probes until ctx ends.
func (p *prober) send(ctx context.Context) {
	defer close(p.sendDone)
	tick := time.NewTicker(p.interval)
	defer tick.Stop()
	nextSweep := time.Now()
	buf := make([]byte, 0, 128)
	frame := make([]byte, 0, 128)
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-tick.C:
			for ti, vip := range p.targets {
				p.mu.Lock()
				seq := uint64(p.streams[ti].Sent)
				p.streams[ti].Sent++
				p.mu.Unlock()
				buf = appendProbe(buf[:0], probe{kind: kindStream, target: byte(ti), seq: seq})
				// A send that fails (no route, no neighbour yet) is a
				// probe nobody answers, which is what is recorded.
				_, _ = p.conn(vip).WriteTo(buf, net.UDPAddrFromAddrPort(netip.AddrPortFrom(vip, ProbePort)))
			}
			if now.Before(nextSweep) {
				continue
			}
			nextSweep = now.Add(p.sweepEvery)
			for ti, vip := range p.targets {
				p.mu.Lock()
				seq := uint64(len(p.sweeps[ti].Sent))
				p.sweeps[ti].Sent = append(p.sweeps[ti].Sent, time.Now())
				p.sweeps[ti].Answered = append(p.sweeps[ti].Answered, 0)
				p.mu.Unlock()
				src := p.client.Addr4
				if vip.Is6() {
					src = p.client.Addr6
				}
				for hi, h := range p.hosts {
					buf = appendProbe(buf[:0], probe{kind: kindSweep, target: byte(ti), host: byte(hi), seq: seq})
					frame = appendUDPFrame(frame[:0], h.MAC, p.client.MAC, src, vip, clientPort, ProbePort, buf)
					sa := &unix.SockaddrLinklayer{Ifindex: p.client.Index, Halen: 6}
					copy(sa.Addr[:], h.MAC)
					_ = unix.Sendto(p.raw, frame, 0, sa)
				}
			}
		}
	}
}

func (p *prober) conn(vip netip.Addr) net.PacketConn {
	if vip.Is4() {
		return p.c4
	}
	return p.c6
}

// receive records replies until the socket is closed.
func (p *prober) receive(c net.PacketConn) {
	defer p.wg.Done()
	buf := make([]byte, 1500)
	for {
		n, _, err := c.ReadFrom(buf)
		now := time.Now()
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil {
			continue
		}
		r, err := parseProbe(buf[:n])
		if err != nil || int(r.target) >= len(p.targets) {
			continue
		}
		by, ok := p.names[r.from]
		if !ok {
			continue
		}
		p.mu.Lock()
		switch r.kind {
		case kindStream:
			if s := &p.streams[r.target]; r.seq < uint64(s.Sent) {
				s.At, s.By = append(s.At, now), append(s.By, by)
			}
		case kindSweep:
			if s := &p.sweeps[r.target]; r.seq < uint64(len(s.Answered)) {
				s.Answered[r.seq] |= 1 << by
			}
		}
		p.mu.Unlock()
	}
}

// view runs f with the records of target under the prober's lock; f must
// not keep them.
func (p *prober) view(target int, f func(t *Timeline, s *SweepLog)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f(&p.streams[target], &p.sweeps[target])
}

func (p *prober) closeConns() {
	for _, c := range []net.PacketConn{p.c4, p.c6} {
		if c != nil {
			_ = c.Close()
		}
	}
	if p.raw >= 0 {
		_ = unix.Close(p.raw)
		p.raw = -1
	}
}

// close stops probing and waits for the prober's goroutines; the sockets
// close only once nothing sends on them.
func (p *prober) close() {
	p.cancel()
	<-p.sendDone
	p.closeConns()
	p.wg.Wait()
}
