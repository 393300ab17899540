package daemon

import (
	"net/netip"

	"github.com/vipd/vipd/internal/config"
	"github.com/vipd/vipd/internal/driver"
	"github.com/vipd/vipd/internal/fsm"
	"github.com/vipd/vipd/internal/hooks"
	"github.com/vipd/vipd/internal/vrrp"
)

// driverConfig maps one configured group onto the driver's settings. The
// source address comes from the configuration; when it names none, source
// is invalid and the driver finds the address on the interface each time
// it opens its connection, waiting in Fault while there is none (the
// interface is missing at start, or has no address yet).
func driverConfig(g *config.Group, source netip.Addr) driver.Config {
	self := fsm.Advert{From: source, Priority: g.Priority, Interval: g.AdvertInterval()}
	mc := fsm.Config{
		Self:               self,
		Preempt:            g.Preempt,
		PreemptDelay:       g.PreemptDelay,
		AdvertsPerInterval: g.AdvertsPerInterval,
		Announce: fsm.AnnounceSchedule{
			Repeats: g.Announce.Repeats,
			Spacing: g.Announce.Spacing,
			Refresh: g.Announce.Refresh,
		},
	}
	dc := driver.Config{
		Name:            g.Name,
		Link:            g.Interface,
		IgnoreCarrier:   !g.TrackLink,
		ID:              g.ID,
		VIPs:            g.VIPs,
		Peers:           g.Peers,
		Password:        g.Password.Reveal(),
		AddressLifetime: g.AddressLifetime,
	}
	switch g.Protocol {
	case config.CARP:
		dc.Protocol = driver.CARP
		mc.Self.Priority = 0
		mc.Policy = fsm.CARP{DeadRatio: g.DownAdverts, ResignSkewBase: g.ResignSkew}
	case config.VRRP2:
		dc.Protocol = driver.VRRP2
		mc.Policy = fsm.VRRP{Version: 2, DownAdverts: g.DownAdverts, ResignSkewBase: g.ResignSkew}
	default:
		dc.Protocol = driver.VRRP3
		mc.Policy = fsm.VRRP{Version: 3, DownAdverts: g.DownAdverts, ResignSkewBase: g.ResignSkew}
	}
	if g.Checksum == config.ChecksumNoPseudoHeader {
		dc.Checksum = vrrp.ChecksumNoPseudoHeader
	}
	dc.Machine = mc
	return dc
}

// hookSet maps a group's configured hooks onto the runner's.
func hookSet(h *config.Hooks) hooks.Set {
	mode := hooks.ModeArgv
	if h.UcarpArgs {
		mode = hooks.ModeUcarp
	}
	hook := func(argv []string) hooks.Hook {
		return hooks.Hook{Argv: argv, Mode: mode, XParam: h.XParam, Timeout: h.Timeout}
	}
	return hooks.Set{
		OnMaster: hook(h.OnMaster),
		OnBackup: hook(h.OnBackup),
		OnFault:  hook(h.OnFault),
		OnStop:   hook(h.OnStop),
		OnChange: hook(h.OnChange),
	}
}

// hookSink hands a group's hook events to the runner with its hooks.
type hookSink struct {
	runner *hooks.Runner
	set    hooks.Set
}

func (s hookSink) Submit(ev driver.HookEvent) {
	s.runner.Submit(hooks.Event{
		Group:     ev.Group,
		Protocol:  ev.Protocol.String(),
		ID:        ev.ID,
		Priority:  ev.Priority,
		Interface: ev.Interface,
		VIPs:      ev.VIPs,
		From:      ev.From,
		To:        ev.To,
		Reason:    ev.Reason,
		Hooks:     s.set,
	})
}
