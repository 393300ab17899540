package config

import "time"

// MaxAdvertsPerInterval bounds adverts_per_interval (fsm enforces the same).
const MaxAdvertsPerInterval = 10

// timing decodes the protocol's advert timing: advbase and advskew for
// CARP, priority and interval for VRRP; and down_adverts.
func (gd *groupDecoder) timing() {
	g := &gd.g
	gd.timingOK = gd.protocolOK
	if gd.protocolOK {
		if g.Protocol == CARP {
			gd.carpTiming()
		} else {
			gd.vrrpTiming()
		}
	}
	g.DownAdverts = DefaultDownAdverts
	if v, p, ok := gd.get("down_adverts"); ok {
		n, ok := gd.integer(v, p, 1, 255)
		g.DownAdverts = n
		gd.timingOK = gd.timingOK && ok
	}
	g.AdvertsPerInterval = 1
	if v, p, ok := gd.get("adverts_per_interval"); ok {
		g.AdvertsPerInterval, _ = gd.integer(v, p, 1, MaxAdvertsPerInterval)
	}
}

func (gd *groupDecoder) carpTiming() {
	g := &gd.g
	if v, p, ok := gd.get("priority"); ok {
		gd.errorf(v.line, p, "carp has no priority: hosts rank by advskew (lower is preferred), then advbase")
	}
	if v, p, ok := gd.get("interval"); ok {
		gd.errorf(v.line, p, "carp has no interval: it advertises every advbase + advskew/256 seconds")
	}
	g.AdvBase, g.AdvSkew = DefaultAdvBase, DefaultAdvSkew
	for _, field := range []struct {
		key string
		to  *uint8
	}{{"advbase", &g.AdvBase}, {"advskew", &g.AdvSkew}} {
		if v, p, ok := gd.get(field.key); ok {
			n, ok := gd.integer(v, p, 0, 254)
			*field.to = uint8(n)
			gd.timingOK = gd.timingOK && ok
		}
	}
	if gd.timingOK && g.AdvBase == 0 && g.AdvSkew == 0 {
		v, p, _ := gd.get("advbase")
		gd.errorf(v.line, p, "advbase 0 with advskew 0 would advertise continuously: raise either (advbase 0, advskew 1 is every 3.9ms)")
		gd.timingOK = false
	}
}

func (gd *groupDecoder) vrrpTiming() {
	g := &gd.g
	for _, key := range []string{"advbase", "advskew"} {
		if v, p, ok := gd.get(key); ok {
			gd.errorf(v.line, p, "%s is for carp groups: %s sets the advert interval with interval and ranks hosts by priority", key, g.Protocol)
		}
	}
	g.Priority = DefaultPriority
	if v, p, ok := gd.get("priority"); ok {
		n, ok := gd.integer(v, p, 1, 255)
		g.Priority = uint8(n)
		gd.timingOK = gd.timingOK && ok
	}
	g.Interval = DefaultInterval
	v, p, ok := gd.get("interval")
	if !ok {
		return
	}
	d, ok := gd.duration(v, p)
	if !ok {
		gd.timingOK = false
		return
	}
	var reason string
	switch {
	case g.Protocol == VRRP3 && (d < 10*time.Millisecond || d > 4095*10*time.Millisecond):
		reason = "is out of range 10ms-40.95s"
	case g.Protocol == VRRP3 && d%(10*time.Millisecond) != 0:
		reason = "is not a multiple of 10ms (vrrp3 counts the interval in centiseconds, RFC 5798 §5.2.7)"
	case g.Protocol == VRRP2 && (d < time.Second || d > 255*time.Second):
		reason = "is out of range 1s-255s"
	case g.Protocol == VRRP2 && d%time.Second != 0:
		reason = "is not whole seconds (vrrp2 counts the interval in seconds, RFC 3768 §5.3.7)"
	}
	if reason != "" {
		gd.errorf(v.line, p, "%s %s", v.n.Value, reason)
		gd.timingOK = false
		return
	}
	g.Interval = d
}

// election decodes preempt, preempt_delay and resign_skew.
func (gd *groupDecoder) election() {
	g := &gd.g
	g.Preempt = DefaultPreempt
	if v, p, ok := gd.get("preempt"); ok {
		g.Preempt, _ = gd.boolean(v, p)
	}
	if v, p, ok := gd.get("preempt_delay"); ok {
		if d, ok := gd.duration(v, p); ok {
			g.PreemptDelay = d
			if d > 0 && !g.Preempt {
				gd.warnf(v.line, p, "has no effect with preempt: false")
			}
		}
	}
	v, p, ok := gd.get("resign_skew")
	if !ok {
		return
	}
	d, ok := gd.duration(v, p)
	if !ok || !gd.protocolOK {
		return
	}
	// The base the protocol itself uses for the wait after a resign:
	// resign_skew may shorten it, never lengthen it.
	limit, what := time.Second, "1s"
	if g.Protocol == VRRP3 {
		if !gd.timingOK {
			return
		}
		limit, what = g.Interval, "the advert interval "+g.Interval.String()
	}
	if d > limit {
		gd.errorf(v.line, p, "%s is longer than %s, the base %s itself uses: resign_skew may only shorten the wait", v.n.Value, what, g.Protocol)
		return
	}
	g.ResignSkew = d
}

// lifetime decodes address_lifetime and fills in its default.
//
// The master renews its VIPs every third of their lifetime, so after it
// dies they live between two thirds of the lifetime and all of it. Backups take
// over no sooner than (down_adverts − 1) intervals after the death (the last
// advert may have gone out up to an interval before it). A lifetime within
// that bound means a master daemon killed outright has lost its VIPs by the
// time a backup holds them: two hosts never answer for a VIP. The kernel
// counts whole seconds and checks lifetimes on rounded-up second boundaries,
// so the default keeps a second in hand, 1s is the floor, and groups faster
// than that accept an overlap of up to about a second.
func (gd *groupDecoder) lifetime() {
	g := &gd.g
	var bound time.Duration
	if gd.timingOK {
		bound = time.Duration(g.DownAdverts-1)*g.AdvertInterval() - time.Second
	}
	v, p, ok := gd.get("address_lifetime")
	if !ok {
		g.AddressLifetime = max(time.Second, min(DefaultAddressLifetime, bound.Truncate(time.Second)))
		return
	}
	d, ok := gd.duration(v, p)
	switch {
	case !ok:
	case d == 0:
		g.AddressLifetime = 0
	case d < time.Second:
		gd.errorf(v.line, p, "%s is under 1s: the kernel counts address lifetimes in whole seconds (0 keeps the VIPs forever)", v.n.Value)
	default:
		g.AddressLifetime = d
		if gd.timingOK && d > max(time.Second, bound) {
			gd.warnf(v.line, p, "%s outlasts the backups' wait less a second (%s): if the master daemon is killed, two hosts hold the VIPs for up to %s",
				v.n.Value, bound, d-bound)
		}
	}
}
