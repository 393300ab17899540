package control

import (
	"fmt"
	"html/template"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// pageView is what the status page template renders: every value is
// already text, so the template only lays it out (and escapes it).
type pageView struct {
	CSS       template.CSS
	Node      string
	Generated string
	// Refresh is the meta refresh interval in seconds; 0 for none.
	Refresh int
	// Problem says why the status could not be read.
	Problem     string
	Summary     []stateCount
	Groups      []groupView
	HasTimeline bool
	Timeline    []transitionView
}

type stateCount struct {
	State, Class string
	N            int
}

type groupView struct {
	Name, State, Class string
	HandingOver        bool
	HoldingVIPs        bool
	Where              string // "vrrp3 id 51 on eth0"
	Facts              []fact
	VIPs               []string
	Checks             []checkView
}

type fact struct{ Name, Value string }

type checkView struct {
	Name, Kind, Role, State, Class, LastProbe, Error string
}

type transitionView struct {
	Time, ISO, Age, Group, Reason string
	From, FromClass, To, ToClass  string
}

// newPageView turns a status snapshot and the timeline (oldest first) into
// the page's values; now is when the page is made, for ages ("5m ago").
func newPageView(st Status, transitions []Event, hasTimeline bool, now time.Time) pageView {
	v := pageView{CSS: pageCSS, Node: st.Node, Generated: stamp(now), HasTimeline: hasTimeline}
	counts := map[string]int{}
	for _, g := range st.Groups {
		counts[g.State]++
		v.Groups = append(v.Groups, newGroupView(g, now))
	}
	// Known states, the ones that matter most first, then any others by
	// name.
	order := []string{"master", "backup", "fault", "maintenance", "init", "stopped", "not-running"}
	for _, s := range slices.Sorted(maps.Keys(counts)) {
		if !slices.Contains(order, s) {
			order = append(order, s)
		}
	}
	for _, s := range order {
		if counts[s] > 0 {
			v.Summary = append(v.Summary, stateCount{State: s, Class: stateClass(s), N: counts[s]})
		}
	}
	for _, ev := range slices.Backward(transitions) {
		v.Timeline = append(v.Timeline, transitionView{
			Time: stamp(ev.Time), ISO: ev.Time.Format(time.RFC3339Nano), Age: age(now, ev.Time),
			Group: ev.Group, Reason: ev.Reason,
			From: ev.From, FromClass: stateClass(ev.From), To: ev.To, ToClass: stateClass(ev.To),
		})
	}
	return v
}

func newGroupView(g GroupStatus, now time.Time) groupView {
	v := groupView{
		Name: g.Name, State: g.State, Class: stateClass(g.State),
		HandingOver: g.HandingOver, HoldingVIPs: g.HoldingVIPs, VIPs: g.VIPs,
	}
	if g.Protocol != "" {
		v.Where = g.Protocol + " id " + strconv.Itoa(g.ID)
		if g.Interface != "" {
			v.Where += " on " + g.Interface
		}
	}
	add := func(name, value string) {
		if value != "" {
			v.Facts = append(v.Facts, fact{name, value})
		}
	}
	add("priority", priority(g))
	add("interval", interval(g))
	add("source", g.Source)
	add("master heard", g.Master)
	add("link", g.Link)
	if t := g.Counters.LastTransition; !t.IsZero() {
		add("last change", age(now, t)+" ("+stamp(t)+")")
	}
	if g.State != "not-running" {
		add("adverts", fmt.Sprintf("%d sent, %d received, %d dropped",
			g.Counters.AdvertsSent, g.Counters.AdvertsReceived, sum(g.Counters.Dropped)))
	}
	for _, c := range g.Checks {
		v.Checks = append(v.Checks, newCheckView(c, now))
	}
	return v
}

// priority is the VRRP priority with what the checks did to it; CARP has
// none (advbase and advskew make its interval).
func priority(g GroupStatus) string {
	switch {
	case g.Protocol == "carp" || (g.Priority == 0 && g.BasePriority == 0):
		return ""
	case g.BasePriority != 0 && g.BasePriority != g.Priority:
		return fmt.Sprintf("%d (configured %d, %+d from checks)", g.Priority, g.BasePriority, g.Priority-g.BasePriority)
	}
	return strconv.Itoa(g.Priority)
}

// interval is the advert interval; for CARP also as the advbase and
// advskew that make it, which is how ucarp users know it.
func interval(g GroupStatus) string {
	if g.IntervalMS <= 0 {
		return ""
	}
	ms := strconv.FormatFloat(math.Round(g.IntervalMS*1000)/1000, 'f', -1, 64) + " ms"
	if g.Protocol != "carp" {
		return ms
	}
	base := math.Floor(g.IntervalMS / 1000)
	skew := math.Round((g.IntervalMS - base*1000) * 256 / 1000)
	return fmt.Sprintf("%s (advbase %.0f, advskew %.0f)", ms, base, skew)
}

func newCheckView(c CheckStatus, now time.Time) checkView {
	v := checkView{Name: c.Name, Kind: c.Kind, State: c.State, Class: checkClass(c.State), Error: c.LastError}
	switch {
	case c.Fault:
		v.Role = "fault"
	case c.Weight != 0:
		v.Role = fmt.Sprintf("weight %+d", c.Weight)
	default:
		v.Role = "watch only"
	}
	if !c.LastProbe.IsZero() {
		v.LastProbe = age(now, c.LastProbe)
		if c.LatencyMS > 0 {
			v.LastProbe += ", took " + strconv.FormatFloat(c.LatencyMS, 'f', 1, 64) + " ms"
		}
	}
	return v
}

// stamp is a time as a person reads it, to the second, in the daemon's
// time zone.
func stamp(t time.Time) string { return t.Format("2006-01-02 15:04:05 MST") }

// age is how long before now t was, in its largest whole unit.
func age(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < 0:
		return "just now"
	case d < time.Minute:
		return strconv.Itoa(int(d/time.Second)) + "s ago"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + "m ago"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + "h ago"
	}
	return strconv.Itoa(int(d/(24*time.Hour))) + "d ago"
}

func sum(m map[string]uint64) uint64 {
	var n uint64
	for _, v := range m {
		n += v
	}
	return n
}

// refreshSeconds reads ?refresh=N (0 turns it off, at most an hour);
// anything else gets the default.
func refreshSeconds(q string) int {
	const def = 5
	if q == "" {
		return def
	}
	n, err := strconv.Atoi(strings.TrimSpace(q))
	if err != nil || n < 0 || n > 3600 {
		return def
	}
	return n
}
