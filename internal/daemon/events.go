package daemon

import (
	"time"

	"github.com/vipd/vipd/internal/control"
	"github.com/vipd/vipd/internal/driver"
	"github.com/vipd/vipd/internal/hooks"
)

func transitionEvent(ev driver.Event) control.Event {
	return control.Event{
		Time: ev.Time, Group: ev.Group, Kind: "transition",
		From: ev.From.String(), To: ev.To.String(), Reason: ev.Reason.String(),
	}
}

func hookEvent(r hooks.Result) control.Event {
	code := r.ExitCode
	ev := control.Event{
		Time: time.Now(), Group: r.Event.Group, Kind: "hook", Hook: r.Kind.String(),
		From: r.Event.From.String(), To: r.Event.To.String(), Reason: r.Event.Reason.String(),
		ExitCode: &code, TimedOut: r.TimedOut,
	}
	if r.Err != nil {
		ev.Error = r.Err.Error()
	}
	return ev
}
