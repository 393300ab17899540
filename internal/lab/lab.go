package lab

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Lab is a running lab: the network, a probe responder on every host, the
// client probing every group's VIP, a watch on every host's addresses, and
// (once started) a failover daemon per host.
type Lab struct {
	opts    Options
	log     *slog.Logger
	dir     string
	targets []netip.Addr

	net    *network
	hosts  []*Host
	resp   []*responder
	prober *prober
	watch  *vipWatch

	closeOnce sync.Once
	closeErr  error
}

// New builds a lab: namespaces, bridge, veth pairs, addresses, responders
// and the client's probes. The daemons are not started (StartDaemons). On
// failure, and when ctx ends during the build, everything made so far is
// removed. Close removes it all.
func New(ctx context.Context, opts Options) (_ *Lab, err error) {
	opts, err = opts.withDefaults()
	if err != nil {
		return nil, err
	}
	l := &Lab{opts: opts, log: opts.Logger}
	staleOnce.Do(func() {
		removed, err := RemoveStale()
		if len(removed) > 0 {
			l.log.Info("lab: removed namespaces left by earlier runs", "names", removed)
		}
		if err != nil {
			l.log.Warn("lab: removing stale namespaces", "err", err)
		}
	})
	defer func() {
		if err != nil {
			err = errors.Join(err, l.Close())
		}
	}()
	if err := l.makeDir(); err != nil {
		return nil, err
	}
	stem := runName()
	if l.net, err = buildNetwork(stem, opts.Hosts, opts.Extra); err != nil {
		return nil, err
	}
	for i, n := range l.net.hosts {
		h := &Host{Node: n, Index: i, lab: l, dir: filepath.Join(l.dir, n.Name)}
		if err := os.MkdirAll(h.dir, 0o755); err != nil {
			return nil, fmt.Errorf("lab: %w", err)
		}
		l.hosts = append(l.hosts, h)
		r, err := startResponder(n)
		if err != nil {
			return nil, err
		}
		l.resp = append(l.resp, r)
	}
	if err := l.addSources(); err != nil {
		return nil, err
	}
	for _, g := range opts.Groups {
		l.targets = append(l.targets, g.VIP.Addr())
	}
	if l.watch, err = startVIPWatch(l.net.hosts, l.targets, func(err error) {
		l.log.Warn("lab: address watch", "err", err)
	}); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("lab: %w", err)
	}
	if l.prober, err = startProber(l.net.client, l.net.hosts, l.targets, opts.ProbeInterval, opts.SweepInterval); err != nil {
		return nil, err
	}
	l.log.Debug("lab: network up", "stem", stem, "named", l.net.sw.name != "", "dir", l.dir)
	return l, nil
}

// findVipd resolves the vipd binary: bin, else $VIPD_BIN, else vipd in
// PATH.
func findVipd(bin string) (string, error) {
	if bin == "" {
		bin = os.Getenv("VIPD_BIN")
	}
	if bin == "" {
		p, err := lookPath("vipd")
		if err != nil {
			return "", errors.New("lab: no vipd binary: set VipdBin or VIPD_BIN, or put vipd in PATH")
		}
		return p, nil
	}
	abs, err := filepath.Abs(bin)
	if err != nil {
		return "", fmt.Errorf("lab: vipd binary: %w", err)
	}
	if st, err := os.Stat(abs); err != nil || st.IsDir() || st.Mode()&0o111 == 0 {
		return "", fmt.Errorf("lab: vipd binary %s is not an executable file", abs)
	}
	return abs, nil
}

// makeDir creates the lab's working directory.
func (l *Lab) makeDir() error {
	if l.opts.Dir != "" {
		l.dir = l.opts.Dir
		if err := os.MkdirAll(l.dir, 0o755); err != nil {
			return fmt.Errorf("lab: %w", err)
		}
		return nil
	}
	dir, err := os.MkdirTemp("", Prefix)
	if err != nil {
		return fmt.Errorf("lab: %w", err)
	}
	// Daemons may drop privileges (keepalived's scripts); let them read.
	if err := os.Chmod(dir, 0o755); err != nil {
		return fmt.Errorf("lab: %w", err)
	}
	l.dir = dir
	return nil
}

// Close stops the daemons (SIGTERM, then SIGKILL), the probes and the
// responders, removes every namespace, and removes the working directory
// unless Options.KeepDir. It is safe on a partly built lab and returns
// every error it met; calling it again returns the same.
func (l *Lab) Close() error {
	l.closeOnce.Do(func() { l.closeErr = l.close() })
	return l.closeErr
}

func (l *Lab) close() error {
	var errs []error
	for _, h := range l.hosts {
		// A daemon that needs SIGKILL to go is worth a note, not a
		// failed teardown.
		if err := h.StopDaemon(5 * time.Second); err != nil {
			l.log.Warn("lab: stopping daemon", "host", h.Name, "err", err)
		}
	}
	if l.prober != nil {
		l.prober.close()
	}
	if l.watch != nil {
		l.watch.close()
	}
	for _, r := range l.resp {
		r.close()
	}
	if l.net != nil {
		errs = append(errs, l.net.close())
	}
	if l.dir != "" && !l.opts.KeepDir && l.opts.Dir == "" {
		errs = append(errs, os.RemoveAll(l.dir))
	}
	return errors.Join(errs...)
}

// Hosts returns the failover hosts, h1 first.
func (l *Lab) Hosts() []*Host { return l.hosts }

// Host returns the host called name ("h2"), or nil.
func (l *Lab) Host(name string) *Host {
	for _, h := range l.hosts {
		if h.Name == name {
			return h
		}
	}
	return nil
}

// Client returns the client's node.
func (l *Lab) Client() *Node { return l.net.client }

// Extra returns the extra node called name, or nil.
func (l *Lab) Extra(name string) *Node {
	for _, n := range l.net.extra {
		if n.Name == name {
			return n
		}
	}
	return nil
}

// Dir returns the lab's working directory (configurations, logs).
func (l *Lab) Dir() string { return l.dir }

// Options returns the lab's options with their defaults filled in.
func (l *Lab) Options() Options { return l.opts }

// Named reports whether the lab's namespaces are named under /run/netns
// (false when running unprivileged, where they stay anonymous).
func (l *Lab) Named() bool { return l.net.sw.name != "" }

// Targets returns the probed VIPs, one per group, in group order.
func (l *Lab) Targets() []netip.Addr { return l.targets }

// StartDaemons starts each host's implementation on it, h1 first.
func (l *Lab) StartDaemons(ctx context.Context) error {
	for _, h := range l.hosts {
		if err := h.StartDaemon(ctx); err != nil {
			return err
		}
	}
	return nil
}

// peers returns the addresses of the hosts other than h in g's family,
// as their adverts' sources, which unicast receivers check: for IPv4 their
// source addresses; for IPv6 their link-local addresses, the EUI-64 ones
// the kernel derives from their MAC addresses (addr_gen_mode 0, a new
// namespace's default), from which VRRPv3 sends. keepalived also binds its
// IPv6 unicast socket to that address, so it hears nothing sent to the
// host's global one.
func (l *Lab) peers(h *Host, g Group) []string {
	var out []string
	for _, o := range l.hosts {
		switch {
		case o == h:
		case g.VIP.Addr().Is4():
			out = append(out, o.Source().String())
		default:
			out = append(out, eui64LinkLocal(o.MAC).String())
		}
	}
	return out
}
