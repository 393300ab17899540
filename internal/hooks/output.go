package hooks

import (
	"bytes"
	"log/slog"
	"sync"
)

// Default bounds on the output of one hook run.
const (
	// DefaultMaxLineBytes is where a longer output line is cut.
	DefaultMaxLineBytes = 2048
	// DefaultMaxOutputBytes is how much output of one run is logged.
	DefaultMaxOutputBytes = 64 << 10
)

// output logs one run's standard output and error line by line, within a
// byte budget shared by both streams. Each line costs its length plus one,
// so a flood of empty lines is bounded too.
type output struct {
	log     *slog.Logger
	maxLine int

	mu           sync.Mutex
	budget       int // bytes still to be logged
	droppedLines int
	droppedBytes int
}

func newOutput(log *slog.Logger, maxLine, maxTotal int) *output {
	return &output{log: log, maxLine: maxLine, budget: maxTotal}
}

// stream returns the writer for one stream ("stdout" or "stderr"). A stream
// is written by one goroutine; the budget is shared.
func (o *output) stream(name string) *lineWriter {
	return &lineWriter{o: o, name: name, buf: make([]byte, 0, min(o.maxLine, 256))}
}

func (o *output) emit(stream string, line []byte, cut bool) {
	line = bytes.TrimSuffix(line, []byte{'\r'})
	cost := len(line) + 1
	o.mu.Lock()
	if cost > o.budget {
		o.budget = 0
		o.droppedLines++
		o.droppedBytes += cost
		o.mu.Unlock()
		return
	}
	o.budget -= cost
	o.mu.Unlock()
	if cut {
		o.log.Info("hook output", "stream", stream, "line", string(line), "cut", true)
		return
	}
	o.log.Info("hook output", "stream", stream, "line", string(line))
}

// close logs how much output was over the budget, if any.
func (o *output) close() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.droppedLines > 0 {
		o.log.Warn("hook output over the limit, rest not logged",
			"dropped_lines", o.droppedLines, "dropped_bytes", o.droppedBytes)
	}
}

// lineWriter splits a stream into lines of at most maxLine bytes; the rest
// of a longer line is discarded.
type lineWriter struct {
	o    *output
	name string
	buf  []byte
	skip bool // discarding the rest of a cut line
}

// Write implements io.Writer; it never fails.
func (w *lineWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		chunk := p
		i := bytes.IndexByte(p, '\n')
		if i >= 0 {
			chunk, p = p[:i], p[i+1:]
		} else {
			p = nil
		}
		if !w.skip {
			if room := w.o.maxLine - len(w.buf); len(chunk) > room {
				w.buf = append(w.buf, chunk[:room]...)
				w.flush(true)
				w.skip = true
			} else {
				w.buf = append(w.buf, chunk...)
			}
		}
		if i >= 0 {
			if !w.skip {
				w.flush(false)
			}
			w.skip = false
		}
	}
	return n, nil
}

// close logs a last line that had no newline.
func (w *lineWriter) close() {
	if len(w.buf) > 0 && !w.skip {
		w.flush(false)
	}
}

func (w *lineWriter) flush(cut bool) {
	w.o.emit(w.name, w.buf, cut)
	w.buf = w.buf[:0]
}
