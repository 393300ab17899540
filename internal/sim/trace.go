package sim

import (
	"fmt"
	"strings"
	"time"
)

// record is one trace line: what happened to whom, when.
type record struct {
	at   time.Duration
	who  string // "host/group", or empty for the segment
	text string
}

// note appends a trace line about m (nil: about the segment).
func (s *Sim) note(m *member, text string) {
	r := record{at: s.Elapsed(), text: text}
	if m != nil {
		r.who = m.name()
	}
	s.records = append(s.records, r)
}

// TraceLines returns the trace, one line per record: scripted actions
// (prefixed "> "), boots and crashes, transitions with their reasons, VIP
// changes and violations; with Config.TraceAdverts also every advert sent,
// received, lost or not delivered, announcements, hooks and drops.
func (s *Sim) TraceLines() []string {
	lines := make([]string, len(s.records))
	for i, r := range s.records {
		lines[i] = fmt.Sprintf("%s %-8s %s", fmtTime(r.at), r.who, r.text)
	}
	return lines
}

// Trace returns TraceLines joined, one per line.
func (s *Sim) Trace() string { return strings.Join(s.TraceLines(), "\n") }

// fmtTime renders an offset from Epoch with microseconds, aligned.
func fmtTime(d time.Duration) string { return fmt.Sprintf("%11.6fs", d.Seconds()) }

// fmtDur renders a duration compactly.
func fmtDur(d time.Duration) string { return d.Round(time.Microsecond).String() }
