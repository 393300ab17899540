package hooks

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/google/go-cmp/cmp"
	"github.com/vipd/vipd/internal/fsm"
)

// Programs that cannot start make no process, so the queueing runs inside a
// synctest bubble, which also proves every goroutine of Run has exited.
func TestQueueDropsOldestKeepsOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var (
			mu  sync.Mutex
			ran []string
		)
		sink := &logSink{}
		r := New(Config{QueueLen: 2, Logger: sink.logger(), OnResult: func(res Result) {
			mu.Lock()
			ran = append(ran, res.Event.Group+" "+res.Argv[0])
			mu.Unlock()
		}})
		for _, g := range []string{"a", "b"} {
			for _, name := range []string{"one", "two", "three", "four", "stop"} {
				r.Submit(event(g, fsm.Master, Set{OnMaster: Hook{Argv: []string{"vipd-missing-" + name}}}))
			}
		}

		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		go func() { done <- r.Run(ctx) }()
		if err := r.Drain(ctx); err != nil {
			t.Fatalf("Drain: %v", err)
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("Run: %v", err)
		}

		// Per group, the oldest three were pushed out and the rest ran in order.
		var a, b []string
		for _, s := range ran {
			if s[0] == 'a' {
				a = append(a, s)
			} else {
				b = append(b, s)
			}
		}
		if diff := cmp.Diff([]string{"a vipd-missing-four", "a vipd-missing-stop"}, a); diff != "" {
			t.Errorf("group a ran (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{"b vipd-missing-four", "b vipd-missing-stop"}, b); diff != "" {
			t.Errorf("group b ran (-want +got):\n%s", diff)
		}
		if got := r.Dropped(); got != 6 {
			t.Errorf("Dropped() = %d, want 6", got)
		}
	})
}
