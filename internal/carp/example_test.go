package carp_test

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/vipd/vipd/internal/carp"
)

// One host sends, another receives: the order of checks a driver follows.
func Example() {
	key, err := carp.NewKey([]byte("secret-pass"))
	if err != nil {
		panic(err)
	}
	vips := []netip.Addr{netip.MustParseAddr("192.0.2.100")}
	now := time.Date(2026, 11, 22, 5, 0, 0, 0, time.UTC)

	// Sender: counter from the group's guard, sign, then encode.
	var sender carp.ReplayGuard
	a := carp.NewAdvert(42, 1, 10, sender.Next(now))
	key.Sign(&a, vips)
	pkt := a.Append(nil)

	// Receiver: parse, verify, check the counter, and only then record it.
	var receiver carp.ReplayGuard
	for i := range 2 {
		got, err := carp.Parse(pkt)
		if err == nil {
			err = key.Verify(got, vips)
		}
		if err == nil {
			err = receiver.Check(got.Counter, now.Add(time.Second))
		}
		if err != nil {
			fmt.Printf("advert %d dropped: %s\n", i, carp.ReasonOf(err))
			continue
		}
		receiver.Accept(got.Counter)
		sent, _ := carp.CounterTime(got.Counter)
		fmt.Printf("advert %d accepted: vhid %d every %v, sent %s\n", i, got.VHID, got.Interval(), sent.UTC().Format(time.TimeOnly))
	}
	// Output:
	// advert 0 accepted: vhid 42 every 1.0390625s, sent 05:00:00
	// advert 1 dropped: replay
}
