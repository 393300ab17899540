package linuxnet

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/vipd/vipd/internal/netif"
)

// LinkWatcherOptions configures NewLinkWatcher.
type LinkWatcherOptions struct {
	// Logger receives debug lines. Nil discards them.
	Logger *slog.Logger
}

// LinkWatcher is the Linux implementation of netif.LinkWatcher: each Watch
// opens a netlink socket subscribed to link notifications (RTMGRP_LINK),
// asks for the named link, and follows it by name and index. If the kernel
// drops notifications because the socket's buffer overflowed (ENOBUFS), it
// asks again, so no change is missed for good.
//
// It works in the network namespace that was current for the thread that
// called NewLinkWatcher. Watch is safe for concurrent use.
type LinkWatcher struct {
	log *slog.Logger
	ns  nsRef
}

var _ netif.LinkWatcher = (*LinkWatcher)(nil)

// NewLinkWatcher remembers the calling thread's network namespace. It opens
// no socket and starts no goroutine.
func NewLinkWatcher(opts LinkWatcherOptions) (*LinkWatcher, error) {
	ns, err := currentNS()
	if err != nil {
		return nil, fmt.Errorf("linuxnet: %w", err)
	}
	return &LinkWatcher{log: loggerOrDiscard(opts.Logger), ns: ns}, nil
}

// Close releases the namespace reference. Running Watch calls go on.
func (w *LinkWatcher) Close() error { return w.ns.close() }

// Watch implements netif.LinkWatcher.
func (w *LinkWatcher) Watch(ctx context.Context, name string, ch chan<- netif.LinkState) error {
	var nl *rtnl
	err := w.ns.do(func() error {
		var err error
		nl, err = dialRTNL(unix.RTMGRP_LINK)
		return err
	})
	if err != nil {
		return fmt.Errorf("linuxnet: watch link %s: %w", name, err)
	}
	defer nl.close()
	_ = nl.c.SetReadBuffer(1 << 20)

	f := linkFollower{state: netif.LinkState{Name: name}}
	sent := false
	var last netif.LinkState
	seq, err := w.ask(ctx, nl, name)
	if err != nil {
		return err
	}
	answered := false
	for {
		n, _, err := nl.c.Recvfrom(ctx, nl.rbuf, 0)
		if errors.Is(err, unix.ENOBUFS) {
			w.log.Debug("link notifications overran; asking again", "link", name)
			if seq, err = w.ask(ctx, nl, name); err != nil {
				return err
			}
			answered = false
			continue
		}
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("linuxnet: watch link %s: %w", name, err)
		}
		msgs, err := syscall.ParseNetlinkMessage(nl.rbuf[:n])
		if err != nil {
			return fmt.Errorf("linuxnet: watch link %s: %w", name, err)
		}
		for _, msg := range msgs {
			isAnswer := msg.Header.Seq == seq && msg.Header.Pid == nl.pid
			switch msg.Header.Type {
			case unix.RTM_NEWLINK, unix.RTM_DELLINK:
				li, err := parseLink(msg.Data)
				if err != nil {
					continue
				}
				f.apply(li, msg.Header.Type == unix.RTM_DELLINK)
			case unix.NLMSG_ERROR:
				if !isAnswer {
					continue
				}
				answered = true
				err := nlError(msg)
				switch {
				case errors.Is(err, unix.ENODEV):
					f.state = netif.LinkState{Name: name}
				case err != nil:
					return fmt.Errorf("linuxnet: watch link %s: %w", name, err)
				}
			}
		}
		if !answered {
			continue // the first state to send is the answer to our question
		}
		if !sent || f.state != last {
			select {
			case ch <- f.state:
			case <-ctx.Done():
				return ctx.Err()
			}
			sent, last = true, f.state
		}
	}
}

// ask requests the named link (answer: RTM_NEWLINK then an ack, or ENODEV)
// and returns the request's sequence number.
func (w *LinkWatcher) ask(ctx context.Context, nl *rtnl, name string) (uint32, error) {
	nl.seq++
	m := newMsg(unix.RTM_GETLINK, unix.NLM_F_ACK, make([]byte, unix.SizeofIfInfomsg))
	m.attr(unix.IFLA_IFNAME, append([]byte(name), 0))
	if err := nl.c.Sendto(ctx, m.bytes(nl.seq), 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		return 0, fmt.Errorf("linuxnet: watch link %s: %w", name, err)
	}
	return nl.seq, nil
}

// linkFollower keeps the state of one link name from link messages.
type linkFollower struct{ state netif.LinkState }

// apply updates the state from a link message (del for RTM_DELLINK).
func (f *linkFollower) apply(li linkInfo, del bool) {
	switch {
	case li.name == f.state.Name && !del:
		f.state = netif.LinkState{
			Name:    f.state.Name,
			Present: true,
			Index:   li.index,
			Up:      li.flags&unix.IFF_UP != 0,
			Carrier: li.flags&unix.IFF_LOWER_UP != 0,
		}
	case f.state.Present && li.index == f.state.Index:
		// Our interface was deleted, or renamed to another name.
		f.state = netif.LinkState{Name: f.state.Name}
	}
}
