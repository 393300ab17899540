package control

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// States are the values of vipd_group_state's state label.
var States = []string{"init", "backup", "master", "fault", "maintenance", "stopped", "not-running"}

// collector turns status snapshots into metrics at scrape time, so nothing
// is counted twice and no global registry is needed. Labels are bounded:
// group names from the configuration, closed sets of states, reasons and
// hooks; never addresses.
type collector struct {
	src Source

	state, priority, holding, lastChange            *prometheus.Desc
	sent, received, sendErrors, dropped, relayed    *prometheus.Desc
	transitions, announcements, hookRuns, hookFails *prometheus.Desc
	checkHealthy, checkProbes, checkDuration        *prometheus.Desc
	conflicts                                       *prometheus.Desc
}

func newCollector(src Source) *collector {
	d := func(name, help string, labels ...string) *prometheus.Desc {
		return prometheus.NewDesc("vipd_"+name, help, append([]string{"group"}, labels...), nil)
	}
	return &collector{
		src:           src,
		state:         d("group_state", "1 for the group's current state on this host, 0 for the others.", "state"),
		priority:      d("group_priority", "VRRP priority advertised now (health weights included); 0 for CARP."),
		holding:       d("group_holding_vips", "1 while the group's VIPs are on this host's interface."),
		lastChange:    d("group_last_transition_timestamp_seconds", "When the group last changed state (Unix time)."),
		sent:          d("adverts_sent_total", "Adverts sent."),
		relayed:       d("adverts_relayed_total", "Adverts the relay sent from another CPU while the group's loop was stalled."),
		received:      d("adverts_received_total", "Adverts received and accepted."),
		sendErrors:    d("advert_send_errors_total", "Adverts that could not be sent."),
		dropped:       d("adverts_dropped_total", "Adverts received and dropped, by reason.", "reason"),
		transitions:   d("transitions_total", "State transitions, by reason.", "reason"),
		announcements: d("announcements_total", "Gratuitous ARP / unsolicited NA rounds sent."),
		conflicts:     d("conflicts_total", "Claims of the group's VIPs from another host's MAC address (ARP, neighbour advertisements) seen while master."),
		hookRuns:      d("hook_runs_total", "Hook runs, by hook.", "hook"),
		hookFails:     d("hook_failures_total", "Hook runs that failed (non-zero exit, timeout, could not start), by hook.", "hook"),
		checkHealthy:  d("check_healthy", "1 while the health check is healthy, 0 while it fails (rise and fall applied); absent before its first result.", "check"),
		checkProbes:   d("check_probes_total", "Health check probes, by result (pass, fail).", "check", "result"),
		checkDuration: d("check_probe_duration_seconds", "Time health check probes took.", "check"),
	}
}

// Describe implements prometheus.Collector.
func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.state, c.priority, c.holding, c.lastChange, c.sent, c.received,
		c.sendErrors, c.dropped, c.transitions, c.announcements, c.hookRuns, c.hookFails,
		c.checkHealthy, c.checkProbes, c.checkDuration, c.conflicts, c.relayed} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c *collector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	st, err := c.src.Status(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.state, err)
		return
	}
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	counter := func(d *prometheus.Desc, v uint64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), labels...)
	}
	for _, g := range st.Groups {
		for _, s := range States {
			v := 0.0
			if s == g.State {
				v = 1
			}
			gauge(c.state, v, g.Name, s)
		}
		gauge(c.priority, float64(g.Priority), g.Name)
		holding := 0.0
		if g.HoldingVIPs {
			holding = 1
		}
		gauge(c.holding, holding, g.Name)
		if !g.Counters.LastTransition.IsZero() {
			gauge(c.lastChange, float64(g.Counters.LastTransition.UnixNano())/1e9, g.Name)
		}
		counter(c.sent, g.Counters.AdvertsSent, g.Name)
		counter(c.received, g.Counters.AdvertsReceived, g.Name)
		counter(c.relayed, g.Counters.AdvertsRelayed, g.Name)
		counter(c.sendErrors, g.Counters.SendErrors, g.Name)
		counter(c.announcements, g.Counters.Announcements, g.Name)
		counter(c.conflicts, g.Counters.Conflicts, g.Name)
		for reason, n := range g.Counters.Dropped {
			counter(c.dropped, n, g.Name, reason)
		}
		for reason, n := range g.Counters.Transitions {
			counter(c.transitions, n, g.Name, reason)
		}
		for hook, n := range g.Counters.HookRuns {
			counter(c.hookRuns, n, g.Name, hook)
		}
		for hook, n := range g.Counters.HookFailures {
			counter(c.hookFails, n, g.Name, hook)
		}
		for _, k := range g.Checks {
			switch k.State {
			case "healthy":
				gauge(c.checkHealthy, 1, g.Name, k.Name)
			case "failing":
				gauge(c.checkHealthy, 0, g.Name, k.Name)
			}
			counter(c.checkProbes, k.Probes-k.Failures, g.Name, k.Name, "pass")
			counter(c.checkProbes, k.Failures, g.Name, k.Name, "fail")
			ch <- prometheus.MustNewConstSummary(c.checkDuration, k.Probes, k.ProbeSeconds, nil, g.Name, k.Name)
		}
	}
}
