//go:build netns

package linuxnet

import (
	"net/netip"
	"testing"
	"time"

	"github.com/vipd/vipd/internal/netif"
)

// relayTestTiming leaves the loop of these tests 45 ms of slack before
// the relay speaks, so that a busy test machine does not make one.
var relayTestTiming = netif.RelayTiming{Every: 5 * time.Millisecond, After: 50 * time.Millisecond, For: 150 * time.Millisecond}

// arrivals collects what c receives for the given time.
func arrivals(t *testing.T, c netif.AdvertConn, within time.Duration) []netif.Packet {
	t.Helper()
	got := make(chan netif.Packet, 1000)
	go func() {
		buf := make([]byte, 65536)
		for {
			p, err := c.Receive(buf)
			if err != nil {
				close(got)
				return
			}
			p.Payload = append([]byte(nil), p.Payload...)
			got <- p
		}
	}()
	time.Sleep(within)
	_ = c.Close()
	var ps []netif.Packet
	for p := range got {
		ps = append(ps, p)
	}
	return ps
}

// TestRelaySpeaksForASilentLoop: after one Sent the relay sends the
// advert from After to For later, every Every, and counts what it sent.
func TestRelaySpeaksForASilentLoop(t *testing.T) {
	multicastPairs(t, func(t *testing.T, ca, cb netif.AdvertConn, group netip.Addr) {
		r := startRelay(t, ca)
		payload := []byte("relayed advert")
		sent := time.Now()
		r.Sent([]netif.Outgoing{{Payload: payload, Dst: group}})
		ps := arrivals(t, cb, 300*time.Millisecond)
		tm := relayTestTiming
		if len(ps) < 5 || len(ps) > int((tm.For-tm.After)/tm.Every)+1 {
			t.Fatalf("received %d relayed adverts, want 5 to %d", len(ps), (tm.For-tm.After)/tm.Every+1)
		}
		for _, p := range ps {
			if string(p.Payload) != string(payload) {
				t.Errorf("relayed %q, want %q", p.Payload, payload)
			}
			if at := p.At.Sub(sent); at < tm.After || at > tm.For+20*time.Millisecond {
				t.Errorf("an advert arrived %v after Sent, want between After (%v) and For (%v)", at, tm.After, tm.For)
			}
		}
		if got := r.Relayed(); got != uint64(len(ps)) {
			t.Errorf("Relayed() = %d, received %d", got, len(ps))
		}
	})
}

// TestRelayStaysQuiet: a relay sends nothing while the loop sends on time,
// nor after Quiet.
func TestRelayStaysQuiet(t *testing.T) {
	multicastPairs(t, func(t *testing.T, ca, cb netif.AdvertConn, group netip.Addr) {
		r := startRelay(t, ca)
		adverts := []netif.Outgoing{{Payload: []byte("loop advert"), Dst: group}}
		for range 40 {
			r.Sent(adverts)
			time.Sleep(relayTestTiming.Every)
		}
		r.Quiet()
		if ps := arrivals(t, cb, 300*time.Millisecond); len(ps) != 0 || r.Relayed() != 0 {
			t.Fatalf("relay sent %d adverts (received %d) for a loop on time and then quiet", r.Relayed(), len(ps))
		}
	})
}

func startRelay(t *testing.T, c netif.AdvertConn) netif.Relay {
	t.Helper()
	r, err := Relays{}.Start(c, relayTestTiming)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := r.Close(); err != nil {
			t.Error(err)
		}
	})
	return r
}
