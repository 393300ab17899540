package health

import "strings"

// maxTailBytes bounds the line of output quoted in a failure's error.
const maxTailBytes = 200

// capped keeps the first max bytes written to it and counts the rest. One
// goroutine writes it (exec.Cmd copies a shared stdout and stderr with one).
type capped struct {
	max     int
	buf     []byte
	dropped int
}

// Write implements io.Writer; it never fails.
func (c *capped) Write(p []byte) (int, error) {
	keep := min(len(p), c.max-len(c.buf))
	c.buf = append(c.buf, p[:keep]...)
	c.dropped += len(p) - keep
	return len(p), nil
}

// lines returns the kept output as lines, without line endings.
func (c *capped) lines() []string {
	text := strings.TrimRight(string(c.buf), "\r\n")
	if text == "" {
		return nil
	}
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}

// tail returns ": " and the last non-empty line of the kept output, cut to
// maxTailBytes, or "" when there is none.
func (c *capped) tail() string {
	lines := c.lines()
	for i := len(lines) - 1; i >= 0; i-- {
		l := strings.TrimSpace(lines[i])
		if l == "" {
			continue
		}
		if len(l) > maxTailBytes {
			l = strings.ToValidUTF8(l[:maxTailBytes], "") + "…"
		}
		return ": " + l
	}
	return ""
}
