package netiftest

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/vipd/vipd/internal/netif"
)

// Announcement is one recorded Announce call.
type Announcement struct {
	At    time.Time
	Link  string
	Addrs []netip.Addr
}

// Announcer is a fake netif.Announcer that records its calls. Safe for
// concurrent use.
type Announcer struct {
	mu    sync.Mutex
	calls []Announcement
	err   error
}

var _ netif.Announcer = (*Announcer)(nil)

// Announce implements netif.Announcer. A failing call (FailWith) is not
// recorded.
func (a *Announcer) Announce(ctx context.Context, link string, addrs []netip.Addr) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.err != nil {
		return fmt.Errorf("netiftest: announce on %s: %w", link, a.err)
	}
	a.calls = append(a.calls, Announcement{At: time.Now(), Link: link, Addrs: slices.Clone(addrs)})
	return nil
}

// FailWith makes Announce return err (wrapped) until FailWith(nil).
func (a *Announcer) FailWith(err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.err = err
}

// Calls returns the recorded announcements, oldest first.
func (a *Announcer) Calls() []Announcement {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.calls)
}

// Log renders the announcements one per line with their time since start,
// such as "1.1s announce eth0 192.0.2.10 2001:db8::10".
func (a *Announcer) Log(start time.Time) string {
	var b strings.Builder
	for _, c := range a.Calls() {
		fmt.Fprintf(&b, "%v announce %s", c.At.Sub(start), c.Link)
		for _, ip := range c.Addrs {
			b.WriteString(" " + ip.String())
		}
		b.WriteByte('\n')
	}
	return b.String()
}
