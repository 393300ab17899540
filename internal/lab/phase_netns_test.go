//go:build netns

package lab

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vipd/vipd/internal/linuxnet/nstest"
)

// recordAdverts records, from now until the returned stop is called (or
// the test ends), when h's adverts of group id reach its switch port.
func recordAdverts(t *testing.T, l *Lab, h *Host, id uint8) (stop func() []time.Time) {
	t.Helper()
	s, err := l.sniffAdverts(h, id)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	var ats []time.Time
	go func() {
		defer close(done)
		for {
			at, err := s.next(ctx, time.Now().Add(time.Minute))
			if err != nil {
				return
			}
			ats = append(ats, at)
		}
	}()
	var once sync.Once
	stop = func() []time.Time {
		once.Do(func() {
			cancel()
			<-done
			_ = s.close()
		})
		return ats
	}
	t.Cleanup(func() { stop() })
	return stop
}

// TestPhasePlacesTheFailure checks that with Options.Phase a link cut
// falls that fraction of the master's advert period after the master's
// last advert, as an independent record of the master's adverts on its
// switch port shows, for multicast and unicast adverts over IPv4 and
// IPv6. keepalived is the master (the package's tests have
// no vipd binary); the bound (a fifth of the period) only tells a placed
// cut from a random one.
func TestPhasePlacesTheFailure(t *testing.T) {
	if !Keepalived.Installed() {
		nstest.Missing(t, "keepalived is not installed")
	}
	profile := Profile{Name: "200ms", Interval: 200 * time.Millisecond, DownAdverts: 3}
	for _, tt := range []struct {
		name          string
		ipv6, unicast bool
		phase         float64
	}{
		{"IPv4 multicast", false, false, 0.25},
		{"IPv4 unicast", false, true, 0.5},
		{"IPv6 multicast", true, false, 0.75},
		{"IPv6 unicast", true, true, 0.5},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			l := newTestLab(t, Options{Hosts: 2, Impl: Keepalived, Profile: profile, IPv6: tt.ipv6, Unicast: tt.unicast, Phase: tt.phase})
			h1 := l.Hosts()[0]
			adverts := recordAdverts(t, l, h1, l.Options().Groups[0].ID)
			if err := l.StartDaemons(ctx); err != nil {
				t.Fatal(err)
			}
			// h1's adverts leave through h2's switch port too (multicast)
			// or may (unicast, until the bridge learns h2's address), but
			// h2, a backup, sends none: the sniffer must say so.
			if _, err := l.Ready(ctx, 0); err != nil {
				t.Fatal(err)
			}
			h2 := l.Hosts()[1]
			if at, err := l.nextAdvert(ctx, h2, l.Options().Groups[0].ID, time.Second); err == nil || !strings.Contains(err.Error(), "no advert from h2") {
				t.Errorf("an advert from the backup h2 at %s (err %v); want none", at.Format(time.StampMicro), err)
			}
			r, err := LinkCut(ctx, l, 0)
			if err != nil {
				t.Fatal(err)
			}
			t.Log(r)
			var last time.Time
			for _, at := range adverts() {
				if at.Before(r.Start) {
					last = at
				}
			}
			if last.IsZero() {
				t.Fatalf("no advert from h1 recorded before the cut at %s", r.Start.Format(time.StampMicro))
			}
			period := advertPeriod(profile, Keepalived, 0)
			got, want := r.Start.Sub(last), time.Duration(tt.phase*float64(period))
			if d := (got - want).Abs(); d > period/5 {
				t.Errorf("the cut came %s after h1's last advert, want %s ± %s", got, want, period/5)
			}
			if r.Phase != tt.phase || r.AfterAdvert <= 0 {
				t.Errorf("result says phase %v, %s after an advert; want phase %v and a time", r.Phase, r.AfterAdvert, tt.phase)
			}
		})
	}
}
