package control

import (
	"context"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

var timelineStart = time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)

// transition is the i-th transition of a test, one second after the one
// before.
func transition(i int) Event {
	return Event{Time: timelineStart.Add(time.Duration(i) * time.Second), Group: fmt.Sprintf("g%d", i),
		Kind: "transition", From: "backup", To: "master", Reason: "master-down"}
}

func TestTimelineKeepsTheLastTransitions(t *testing.T) {
	tl := NewTimeline(3)
	for i := range 5 {
		tl.Record(transition(i))
		tl.Record(Event{Time: transition(i).Time, Group: "g", Kind: "hook", Hook: "on_master"})
	}
	want := []Event{transition(2), transition(3), transition(4)}
	if diff := cmp.Diff(want, tl.Transitions()); diff != "" {
		t.Errorf("transitions (-want +got):\n%s", diff)
	}
}

func TestTimelineCatchUpRecordsNothingTwice(t *testing.T) {
	tl := NewTimeline(10)
	tl.Record(transition(1))
	tl.Record(transition(2))
	// What a new subscription's recent events might hold: some already
	// recorded, an older one the timeline never saw (it was recorded
	// elsewhere before), a hook event, and new ones.
	tl.catchUp([]Event{transition(0), transition(1), transition(2),
		{Time: transition(3).Time, Kind: "hook"}, transition(3), transition(4)})
	want := []Event{transition(1), transition(2), transition(3), transition(4)}
	if diff := cmp.Diff(want, tl.Transitions()); diff != "" {
		t.Errorf("transitions (-want +got):\n%s", diff)
	}
}

func TestTimelineFollowsTheHub(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		hub := NewHub()
		hub.Publish(transition(0)) // before Follow: from the hub's recent events
		hub.Publish(Event{Time: transition(0).Time, Group: "g0", Kind: "admin", Command: "reclaim"})
		tl := NewTimeline(DefaultTimelineSize)
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan struct{})
		go func() {
			defer close(done)
			tl.Follow(ctx, hub)
		}()
		synctest.Wait()
		hub.Publish(transition(1))
		synctest.Wait()
		if diff := cmp.Diff([]Event{transition(0), transition(1)}, tl.Transitions()); diff != "" {
			t.Errorf("transitions (-want +got):\n%s", diff)
		}

		// A burst larger than a subscriber's queue may get Follow cut off;
		// either way it ends with the last transitions, in order, once.
		const n = 2 + subscriberQueue + 50
		for i := 2; i < n; i++ {
			hub.Publish(transition(i))
		}
		synctest.Wait()
		var want []Event
		for i := n - DefaultTimelineSize; i < n; i++ {
			want = append(want, transition(i))
		}
		if diff := cmp.Diff(want, tl.Transitions()); diff != "" {
			t.Errorf("after a burst, transitions (-want +got):\n%s", diff)
		}
		cancel()
		<-done
	})
}
