package lab

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"
)

// Switchover moves target's VIP from its preferred host to the next in
// line with `vipd switchover GROUP --to HOST`, run on that host as the
// command requires, and measures the hand-over the client saw; then runs
// `vipd recover GROUP` there, which gives the VIP back to the preferred
// host, without waiting for it. Only vipd has the command.
func Switchover(ctx context.Context, l *Lab, target int) (Result, error) {
	old, advert, err := l.start(ctx, target)
	if err != nil {
		return Result{}, err
	}
	g := l.opts.Groups[target]
	to := l.ranked(g, 1)
	if to == nil || to.Impl() != Vipd {
		return Result{}, fmt.Errorf("lab: switchover needs a second vipd host in group %s", g.Name)
	}
	r, err := l.Change(ctx, target, SwitchoverScenario.String(), old, func() error {
		return l.vipdCtl(ctx, to, "switchover", g.Name, "--to", to.Name)
	}, is(to))
	r = l.placed(r, advert)
	if err != nil {
		return r, err
	}
	return r, l.vipdCtl(ctx, to, "recover", g.Name)
}

// ranked returns the host at rank r of g, or nil.
func (l *Lab) ranked(g Group, r int) *Host {
	for _, h := range l.hosts {
		if g.rank(h.Index) == r {
			return h
		}
	}
	return nil
}

// vipdCtl runs a vipd control command against h's daemon.
func (l *Lab) vipdCtl(ctx context.Context, h *Host, args ...string) error {
	bin, err := findVipd(l.opts.VipdBin)
	if err != nil {
		return err
	}
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, append(args, "--socket", h.ControlSocket())...)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("lab: vipd %s on %s: %w: %s", strings.Join(args, " "), h.Name, err, strings.TrimSpace(out.String()))
	}
	return nil
}
