package driver

import (
	"context"
	"time"

	"github.com/vipd/vipd/internal/fsm"
)

// A host that stalls (overloaded, or a VM paused) wakes with its timer
// expired and the adverts that arrived meanwhile still unread in the
// socket. Both are ready at once and select picks between them at random,
// so a backup would take over from a master whose adverts it has not read
// yet: measured, ten stalls of 60 ms at 10 ms adverts made the backup take
// over six to ten times. Three guards keep it from doing that.

// maxArrivalLag bounds how far back an advert's kernel arrival time
// counts. It makes up for the reader's wake-up (under a millisecond); an
// older arrival means the loop fell behind, and counting from it would
// leave the master-down deadline already passed when the advert is read.
const maxArrivalLag = 2 * time.Millisecond

// lateFire is how late a timer may fire and still count as on time; later
// means the loop or the host stalled.
const lateFire = 2 * time.Millisecond

// catchUpWindow is how long a backup whose master-down timer fired late
// reads what is queued before it takes over.
const catchUpWindow = 5 * time.Millisecond

// maxWaiting bounds how many adverts readWaiting takes, so that a flood
// cannot put a takeover off.
const maxWaiting = 8

// readWaiting hands the machine the adverts the receivers have already
// read, before a due master-down timeout goes ahead. A backup that stalled
// and woke just after its deadline (less than lateFire late, so no
// catch-up read) has both ready, and select would pick one at random:
// measured on a small VM, a backup stalled 24 ms on its CPU took over from
// a master whose adverts were waiting for it.
func (g *Group) readWaiting(ctx context.Context) {
	for range maxWaiting {
		select {
		case r := <-g.packets:
			g.packet(ctx, r)
		default:
			return
		}
	}
}

// checkLead is how long before a backup's deadline the loop wakes once to
// see whether it has been running. A whole VM that froze and thawed just
// before the deadline (its timer then fires on time) leaves a master on
// the same host, or one slower to be scheduled again, no time to send: a
// check that fires more than lateCheck late grants the catch-up read.
const (
	checkLead = catchUpWindow
	lateCheck = time.Millisecond
)

// catchUp is a pending catch-up read: granted once per master-down
// deadline, so that a flood of packets cannot put a takeover off for long.
type catchUp struct {
	deadline time.Time // the machine's deadline it was granted for
	until    time.Time // when the takeover goes ahead
	// check is when the loop checks it has been running, before the
	// deadline checkFor (zero: no check pending).
	check, checkFor time.Time
}

// arrivalTime is when the machine is told an advert read at now arrived:
// at, its kernel arrival time, but at most maxArrivalLag before now.
func arrivalTime(at, now time.Time) time.Time {
	switch {
	case at.IsZero() || at.After(now):
		return now
	case now.Sub(at) > maxArrivalLag:
		return now.Add(-maxArrivalLag)
	}
	return at
}

// timeoutDue reports whether the machine's deadline has come and its
// timeout should go ahead now. A backup first reads the adverts already
// waiting, which may move the deadline, and holds a late timeout for a
// catch-up read.
func (g *Group) timeoutDue(ctx context.Context, now time.Time) bool {
	due := func() bool { d := g.machine.Deadline(); return !d.IsZero() && !now.Before(d) }
	if !due() || g.machine.State() != fsm.Backup {
		return due()
	}
	g.readWaiting(ctx)
	return due() && !g.holdTimeout(g.machine.Deadline(), now)
}

// holdTimeout reports whether a due timeout at deadline d should wait:
// the group is a backup whose timer fired more than lateFire late, and
// it has not waited for this deadline yet. It records the wait.
func (g *Group) holdTimeout(d, now time.Time) bool {
	if g.machine.State() != fsm.Backup {
		return false
	}
	if g.catchUp.deadline.Equal(d) {
		return now.Before(g.catchUp.until)
	}
	if now.Sub(d) <= lateFire {
		return false
	}
	g.catchUp.deadline, g.catchUp.until = d, now.Add(catchUpWindow)
	g.log.Debug("timer fired late; reading queued adverts before taking over", "late", now.Sub(d))
	return true
}

// timeoutAt is when the loop's timer should next fire for the machine's
// deadline d: d itself, the end of a catch-up read granted for it, or
// first the check before a backup's deadline. A deadline nearer than
// checkLead when it is set (a resign's skew wait) gets no check.
func (g *Group) timeoutAt(d time.Time) time.Time {
	c := &g.catchUp
	if !d.IsZero() && g.machine.State() == fsm.Backup && !c.checkFor.Equal(d) {
		c.checkFor, c.check = d, time.Time{}
		if at := d.Add(-checkLead); time.Now().Before(at) {
			c.check = at
		}
	}
	switch {
	case d.IsZero():
		return d
	case c.deadline.Equal(d):
		return c.until
	case c.checkFor.Equal(d) && !c.check.IsZero():
		return c.check
	}
	return d
}

// runCheck runs a due check: if it fired more than lateCheck late, the
// loop (or its host) stalled, and the deadline gets a catch-up read that
// ends at least catchUpWindow from now.
func (g *Group) runCheck(now time.Time) {
	c := &g.catchUp
	if c.check.IsZero() || now.Before(c.check) {
		return
	}
	late := now.Sub(c.check)
	c.check = time.Time{}
	d := g.machine.Deadline()
	if late <= lateCheck || g.machine.State() != fsm.Backup || !c.checkFor.Equal(d) {
		return
	}
	c.deadline, c.until = d, d
	if end := now.Add(catchUpWindow); end.After(d) {
		c.until = end
	}
	g.log.Debug("woke late before the master-down deadline; reading queued adverts before taking over", "late", late)
}
