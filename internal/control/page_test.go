package control

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// pageNow is the page's clock in these tests.
var pageNow = time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)

// timelineSource is a Source with a timeline.
type timelineSource struct {
	fixedSource
	transitions []Event
}

func (s timelineSource) Transitions() []Event { return s.transitions }

// pageFixture is a host with one group in each of the common states, a
// VRRP group whose priority a failing check lowered, a fault group whose
// fault check fails, and a timeline that got them there.
func pageFixture() timelineSource {
	at := func(ago time.Duration) time.Time { return pageNow.Add(-ago) }
	return timelineSource{
		fixedSource: fixedSource{st: Status{Node: "lb1", Groups: []GroupStatus{
			{
				Name: "web", Protocol: "vrrp3", ID: 51, Interface: "eth0", State: "master",
				Priority: 150, BasePriority: 200, IntervalMS: 1000, Source: "192.0.2.1",
				VIPs: []string{"192.0.2.100/24", "2001:db8::100/64"}, HoldingVIPs: true,
				Link: "eth0 index=2 up carrier", Counters: Counters{AdvertsSent: 120, LastTransition: at(90 * time.Second)},
				Checks: []CheckStatus{
					{Name: "nginx", Kind: "http", Weight: -50, State: "failing", LastProbe: at(time.Second), LatencyMS: 3.2, LastError: "status 503"},
					{Name: "gateway", Kind: "arp", Fault: true, State: "healthy", LastProbe: at(2 * time.Second), LastOK: true},
				},
			},
			{
				Name: "db", Protocol: "carp", ID: 7, Interface: "eth1", State: "backup",
				IntervalMS: 1003.90625, Source: "198.51.100.1", Master: "198.51.100.2",
				VIPs: []string{"198.51.100.50/24"}, Link: "eth1 index=3 up carrier",
				Checks: []CheckStatus{{Name: "pg", Kind: "tcp", Fault: true, State: "unknown"}},
			},
			{
				Name: "mail", Protocol: "vrrp2", ID: 9, Interface: "eth2", State: "fault", Priority: 100,
				VIPs: []string{"192.0.2.25/24"}, Link: "eth2 index=4 up carrier",
				Checks: []CheckStatus{{Name: "smtp", Kind: "tcp", Fault: true, State: "failing", LastProbe: at(3 * time.Second), LastError: "connection refused"}},
			},
			{
				Name: "dns", Protocol: "vrrp3", ID: 53, Interface: "eth0", State: "maintenance", Priority: 90,
				VIPs: []string{"2001:db8::53/64"}, Link: "eth0 index=2 up carrier",
			},
		}}},
		transitions: []Event{
			{Time: at(10 * time.Minute), Group: "web", Kind: "transition", From: "init", To: "backup", Reason: "startup"},
			{Time: at(90 * time.Second), Group: "web", Kind: "transition", From: "backup", To: "master", Reason: "master-down"},
			{Time: at(30 * time.Second), Group: "mail", Kind: "transition", From: "backup", To: "fault", Reason: "health-fault"},
		},
	}
}

// getPage serves the page for src and returns the response and its
// parsed body.
func getPage(t *testing.T, src Source, target string) (*http.Response, *html.Node) {
	t.Helper()
	rec := httptest.NewRecorder()
	newPage(src, func() time.Time { return pageNow }, slog.New(slog.DiscardHandler)).
		ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	resp := rec.Result()
	doc, err := html.Parse(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, doc
}

func TestPageShowsEveryGroup(t *testing.T) {
	src := pageFixture()
	resp, doc := getPage(t, src, "/")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d, want 200", resp.StatusCode)
	}
	if got := resp.Header.Get("Content-Type"); got != "text/html; charset=utf-8" {
		t.Errorf("Content-Type %q", got)
	}
	groups := pageGroups(doc)
	if len(groups) != len(src.st.Groups) {
		t.Fatalf("page shows %d groups, want %d", len(groups), len(src.st.Groups))
	}
	for i, want := range src.st.Groups {
		got := groups[i]
		if got.name != want.Name || got.state != want.State {
			t.Errorf("group %d: page shows %q %q, want %q %q", i, got.name, got.state, want.Name, want.State)
		}
		if got.class != stateClass(want.State) || !strings.HasPrefix(got.class, "s-") || got.class == "s-unknown" {
			t.Errorf("group %s: state class %q, want %q", want.Name, got.class, stateClass(want.State))
		}
		if strings.Join(got.vips, " ") != strings.Join(want.VIPs, " ") {
			t.Errorf("group %s: VIPs %q, want %q", want.Name, got.vips, want.VIPs)
		}
		if len(got.checks) != len(want.Checks) {
			t.Errorf("group %s: %d checks shown, want %d", want.Name, len(got.checks), len(want.Checks))
			continue
		}
		for j, c := range want.Checks {
			if got.checks[j][0] != c.Name || got.checks[j][1] != c.State {
				t.Errorf("group %s: check %d shows %q, want %s %s", want.Name, j, got.checks[j], c.Name, c.State)
			}
		}
	}
	body := text(doc)
	for _, want := range []string{
		"vipd on lb1",
		"150 (configured 200, -50 from checks)", // web's priority and what the check did
		"vrrp3 id 51 on eth0",
		"carp id 7 on eth1", "1003.906 ms (advbase 1, advskew 1)", "198.51.100.2", // db: CARP has no priority
		"weight -50", "status 503", "not yet", // checks: role, error, no result yet
		"1m ago (2026-03-14 11:58:30 UTC)",                 // last change
		"1 master", "1 backup", "1 fault", "1 maintenance", // summary
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(groups[1].facts, "priority") {
		t.Errorf("CARP group db shows a priority: %q", groups[1].facts)
	}
}

func TestPageTimelineNewestFirst(t *testing.T) {
	_, doc := getPage(t, pageFixture(), "/")
	var got []string
	for _, tr := range findAll(doc, "transition") {
		got = append(got, strings.Join(strings.Fields(text(tr)), " "))
	}
	want := []string{
		"2026-03-14 11:59:30 UTC 30s ago mail backup → fault health-fault",
		"2026-03-14 11:58:30 UTC 1m ago web backup → master master-down",
		"2026-03-14 11:50:00 UTC 10m ago web init → backup startup",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("timeline:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	chips := findAll(doc, "to")
	if len(chips) != 3 || attr(chips[0], "class") != "chip to s-fault" {
		t.Errorf("newest transition's target chip is not coloured as fault: %d chips", len(chips))
	}
}

func TestPageWithoutTimeline(t *testing.T) {
	_, doc := getPage(t, fixedSource{st: Status{Node: "lb1"}}, "/")
	body := text(doc)
	for _, want := range []string{"No groups.", "This daemon keeps no timeline."} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	_, doc = getPage(t, timelineSource{fixedSource: fixedSource{st: Status{Node: "lb1"}}}, "/")
	if !strings.Contains(text(doc), "No transitions since the daemon started.") {
		t.Errorf("empty timeline not said")
	}
}

// TestPageEscapes feeds markup through every field that comes from the
// configuration or the network.
func TestPageEscapes(t *testing.T) {
	const evil = `<script>alert("x")</script><img src=x onerror=alert(1)>`
	src := timelineSource{
		fixedSource: fixedSource{st: Status{Node: evil, Groups: []GroupStatus{{
			Name: evil, State: evil, Protocol: evil, Interface: evil, Source: evil, Master: evil, Link: evil,
			VIPs:   []string{evil},
			Checks: []CheckStatus{{Name: evil, Kind: evil, State: evil, LastError: evil, LastProbe: pageNow}},
		}}}},
		transitions: []Event{{Time: pageNow, Group: evil, Kind: "transition", From: evil, To: evil, Reason: evil}},
	}
	rec := httptest.NewRecorder()
	newPage(src, func() time.Time { return pageNow }, slog.New(slog.DiscardHandler)).
		ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	body := rec.Body.String()
	for _, bad := range []string{"<script", "<img"} {
		if strings.Contains(body, bad) {
			t.Errorf("page contains unescaped %q", bad)
		}
	}
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	// Escaped, the text reads back as it was: 1 node title + 1 heading,
	// and name, state, where, VIP, check name, kind, state, error, group,
	// from, to, reason.
	if n := strings.Count(text(doc), evil); n < 14 {
		t.Errorf("markup shown as text %d times, want at least 14", n)
	}
	g := pageGroups(doc)
	if len(g) != 1 || g[0].class != "s-unknown" {
		t.Errorf("a state the page does not know must get the neutral class, got %+v", g)
	}
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("Content-Security-Policy %q allows scripts", csp)
	}
}

func TestPageStatusError(t *testing.T) {
	resp, doc := getPage(t, fixedSource{err: errors.New("daemon <busy>")}, "/")
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("status %d, want 503", resp.StatusCode)
	}
	if !strings.Contains(text(doc), "Status unavailable: daemon <busy>") {
		t.Errorf("page does not say why: %q", text(doc))
	}
}

func TestPageRefresh(t *testing.T) {
	for _, tc := range []struct {
		query string
		want  string // the meta refresh content, "" for none
	}{
		{"", "5"},
		{"?refresh=30", "30"},
		{"?refresh=0", ""},
		{"?refresh=-1", "5"},
		{"?refresh=x", "5"},
	} {
		_, doc := getPage(t, fixedSource{}, "/"+tc.query)
		got := ""
		walk(doc, func(n *html.Node) {
			if n.Type == html.ElementNode && n.Data == "meta" && attr(n, "http-equiv") == "refresh" {
				got = attr(n, "content")
			}
		})
		if got != tc.want {
			t.Errorf("%q: refresh %q, want %q", tc.query, got, tc.want)
		}
	}
}

// TestPageRoute checks that the metrics listener serves the page at / and
// nothing at other unknown paths.
func TestPageRoute(t *testing.T) {
	srv, err := ListenHTTP("127.0.0.1:0", pageFixture(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve()
	t.Cleanup(func() { srv.Close() })
	for path, want := range map[string]int{"/": http.StatusOK, "/nope": http.StatusNotFound} {
		resp, err := http.Get("http://" + srv.Addr().String() + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s: %d, want %d", path, resp.StatusCode, want)
		}
		if want == http.StatusOK && !strings.Contains(string(body), "Recent transitions") {
			t.Errorf("GET %s is not the status page", path)
		}
	}
}

func TestStatePalette(t *testing.T) {
	seen := map[string]string{}
	for _, s := range States {
		c, ok := stateColours[s]
		if !ok {
			t.Errorf("state %s has no colour", s)
		}
		if other, dup := seen[c]; dup {
			t.Errorf("states %s and %s share colour %s", s, other, c)
		}
		seen[c] = s
	}
	for _, s := range CheckStates {
		if _, ok := checkColours[s]; !ok {
			t.Errorf("check state %s has no colour", s)
		}
	}
	if !strings.Contains(string(pageCSS), ".s-master{--c:#1a7f37}") {
		t.Errorf("style sheet lacks the master colour rule")
	}
}

// pageGroup is what the page shows of one group.
type pageGroup struct {
	name, state, class, facts string
	vips                      []string
	checks                    [][2]string // name, state
}

// pageGroups reads the groups from a rendered page, by the classes the
// template gives them.
func pageGroups(doc *html.Node) []pageGroup {
	var out []pageGroup
	for _, g := range findAll(doc, "group") {
		pg := pageGroup{name: text(first(g, "group-name")), facts: text(first(g, "facts"))}
		if s := first(g, "state"); s != nil {
			pg.state = text(s)
			for _, c := range strings.Fields(attr(s, "class")) {
				if strings.HasPrefix(c, "s-") {
					pg.class = c
				}
			}
		}
		for _, v := range findAll(g, "vip") {
			pg.vips = append(pg.vips, text(v))
		}
		for _, c := range findAll(g, "check") {
			pg.checks = append(pg.checks, [2]string{text(first(c, "check-name")), text(first(c, "check-state"))})
		}
		out = append(out, pg)
	}
	return out
}

func walk(n *html.Node, f func(*html.Node)) {
	f(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClass(n *html.Node, class string) bool {
	return n.Type == html.ElementNode && strings.Contains(" "+attr(n, "class")+" ", " "+class+" ")
}

// findAll returns the elements under n (n included) with the class, in
// document order.
func findAll(n *html.Node, class string) []*html.Node {
	var out []*html.Node
	walk(n, func(m *html.Node) {
		if hasClass(m, class) {
			out = append(out, m)
		}
	})
	return out
}

func first(n *html.Node, class string) *html.Node {
	if all := findAll(n, class); len(all) > 0 {
		return all[0]
	}
	return nil
}

// text is the text under n, as a browser would copy it (roughly).
func text(n *html.Node) string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	walk(n, func(m *html.Node) {
		if m.Type == html.TextNode && (m.Parent == nil || (m.Parent.Data != "style" && m.Parent.Data != "title")) {
			b.WriteString(m.Data)
		}
	})
	return strings.TrimSpace(b.String())
}
