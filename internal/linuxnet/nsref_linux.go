package linuxnet

import (
	"fmt"
	"runtime"

	"github.com/vishvananda/netns"
)

// nsRef remembers a network namespace so that sockets opened later, from any
// goroutine, are opened in it. A socket stays in the namespace it was
// created in, so only creation needs this.
type nsRef struct{ h netns.NsHandle }

// currentNS refers to the network namespace of the calling thread.
func currentNS() (nsRef, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	h, err := netns.Get()
	if err != nil {
		return nsRef{}, fmt.Errorf("open network namespace: %w", err)
	}
	return nsRef{h: h}, nil
}

// do runs f on a thread in the namespace. If the calling thread is in
// another one, f runs on a fresh goroutine whose locked thread enters the
// namespace; do waits for it. That thread is never handed back to other
// goroutines: the runtime ends it with the goroutine.
func (n nsRef) do(f func() error) error {
	runtime.LockOSThread()
	cur, err := netns.Get()
	if err != nil {
		runtime.UnlockOSThread()
		return fmt.Errorf("open network namespace: %w", err)
	}
	same := cur.Equal(n.h)
	_ = cur.Close()
	if same {
		defer runtime.UnlockOSThread()
		return f()
	}
	runtime.UnlockOSThread()
	done := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread dies with this goroutine
		if err := netns.Set(n.h); err != nil {
			done <- fmt.Errorf("enter network namespace: %w", err)
			return
		}
		done <- f()
	}()
	return <-done
}

func (n *nsRef) close() error { return n.h.Close() }
