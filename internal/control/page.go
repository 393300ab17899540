package control

import (
	"bytes"
	_ "embed"
	"html/template"
	"log/slog"
	"net/http"
	"time"
)

//go:embed templates/status.html
var pageHTML string

// pageTemplate is parsed once; html/template escapes every value by its
// context, which matters because group names come from the configuration
// and reasons and errors from the network.
var pageTemplate = template.Must(template.New("status").Parse(pageHTML))

// pageSecurity forbids everything but the inline style sheet: the page
// runs no script, loads nothing and may not be framed.
const pageSecurity = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// page serves the status page at /: every group with its state, priority,
// VIPs and checks, from the same snapshot as /status, and the recent
// transitions when src is a TransitionSource.
type page struct {
	src Source
	now func() time.Time
	log *slog.Logger
}

func newPage(src Source, now func() time.Time, log *slog.Logger) *page {
	return &page{src: src, now: now, log: log}
}

// ServeHTTP renders the page; if the status cannot be read it still
// renders, with the problem and no groups, and answers 503.
func (p *page) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	code := http.StatusOK
	st, err := p.src.Status(r.Context())
	var transitions []Event
	ts, hasTimeline := p.src.(TransitionSource)
	if hasTimeline {
		transitions = ts.Transitions()
	}
	v := newPageView(st, transitions, hasTimeline, p.now())
	if err != nil {
		code = http.StatusServiceUnavailable
		v = newPageView(Status{Node: st.Node}, transitions, hasTimeline, p.now())
		v.Problem = err.Error()
	}
	v.Refresh = refreshSeconds(r.URL.Query().Get("refresh"))
	var b bytes.Buffer
	if err := pageTemplate.Execute(&b, v); err != nil {
		p.log.Error("control: rendering the status page failed", "err", err)
		http.Error(w, "rendering the status page failed", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", pageSecurity)
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	_, _ = w.Write(b.Bytes())
}
