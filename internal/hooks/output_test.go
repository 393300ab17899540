package hooks

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type loggedLine struct {
	Stream, Line string
	Cut          bool
}

func loggedLines(t *testing.T, s *logSink) []loggedLine {
	t.Helper()
	var out []loggedLine
	for _, rec := range s.records(t, map[string]any{"msg": "hook output"}) {
		l := loggedLine{Stream: rec["stream"].(string), Line: rec["line"].(string)}
		l.Cut, _ = rec["cut"].(bool)
		out = append(out, l)
	}
	return out
}

func TestLineWriter(t *testing.T) {
	tests := []struct {
		name     string
		maxLine  int
		maxTotal int
		writes   []string
		want     []loggedLine
		dropped  bool
	}{
		{
			name:     "lines split across writes",
			maxLine:  100,
			maxTotal: 1000,
			writes:   []string{"hel", "lo\nwor", "ld\r\n\nlast"},
			want:     []loggedLine{{"stdout", "hello", false}, {"stdout", "world", false}, {"stdout", "", false}, {"stdout", "last", false}},
		},
		{
			name:     "long line cut, rest skipped up to the newline",
			maxLine:  4,
			maxTotal: 1000,
			writes:   []string{"abcdefgh", "ij\nok\n", "abcd\n"},
			want:     []loggedLine{{"stdout", "abcd", true}, {"stdout", "ok", false}, {"stdout", "abcd", false}},
		},
		{
			name:     "budget per run",
			maxLine:  100,
			maxTotal: 8, // "one\n" and "two\n"
			writes:   []string{"one\ntwo\nthree\nfour\n"},
			want:     []loggedLine{{"stdout", "one", false}, {"stdout", "two", false}},
			dropped:  true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sink := &logSink{}
			o := newOutput(sink.logger(), tt.maxLine, tt.maxTotal)
			w := o.stream("stdout")
			for _, s := range tt.writes {
				if n, err := w.Write([]byte(s)); n != len(s) || err != nil {
					t.Fatalf("Write(%q) = %d, %v", s, n, err)
				}
			}
			w.close()
			o.close()
			if diff := cmp.Diff(tt.want, loggedLines(t, sink)); diff != "" {
				t.Errorf("logged lines (-want +got):\n%s", diff)
			}
			recs := sink.records(t, map[string]any{"msg": "hook output over the limit, rest not logged"})
			if got := len(recs) > 0; got != tt.dropped {
				t.Errorf("over-limit record logged = %v, want %v", got, tt.dropped)
			}
		})
	}
}

func TestLineWriterBoundedMemory(t *testing.T) {
	sink := &logSink{}
	o := newOutput(sink.logger(), 16, 1<<20)
	w := o.stream("stderr")
	chunk := []byte(strings.Repeat("x", 4096))
	for range 256 { // 1 MiB without a newline
		w.Write(chunk)
	}
	if cap(w.buf) > 256 {
		t.Errorf("line buffer grew to %d bytes, want at most the line limit", cap(w.buf))
	}
	w.close()
	want := []loggedLine{{"stderr", strings.Repeat("x", 16), true}}
	if diff := cmp.Diff(want, loggedLines(t, sink)); diff != "" {
		t.Errorf("logged lines (-want +got):\n%s", diff)
	}
}
