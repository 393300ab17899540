package config

import (
	"fmt"
	"slices"
	"strings"
)

// Error is one problem with a configuration file: where it is and why it is
// wrong. Its text reads "FILE:LINE: PATH: REASON", for example
//
//	/etc/vipd/vipd.yaml:14: groups[1].id: 300 is out of range 1-255
//
// with ":LINE" left out when the problem has no line (an unreadable or empty
// file) and "PATH: " left out when it concerns the whole file.
type Error struct {
	// File is the configuration file's path as given to Load or Parse.
	File string
	// Line is the 1-based line of the offending value, or 0.
	Line int
	// Path is the field in the file, written as in the file:
	// "groups[1].vips[0]", "log.level"; empty for the file as a whole.
	Path string
	// Reason says what is wrong, lower-case, without a trailing period.
	Reason string
	// Err is the underlying cause, if any (an *fs.PathError when a
	// password_file cannot be read).
	Err error
}

// Error returns "FILE:LINE: PATH: REASON".
func (e *Error) Error() string { return locate(e.File, e.Line, e.Path) + e.Reason }

// Unwrap returns the underlying cause, if any.
func (e *Error) Unwrap() error { return e.Err }

// Errors is every problem found in one configuration file, in file order. Load
// and Parse return a non-empty Errors as their error, so callers can print
// each problem or inspect them with errors.As.
type Errors []*Error

// Error lists the problems, one a line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the problems, for errors.Is and errors.As.
func (es Errors) Unwrap() []error {
	errs := make([]error, len(es))
	for i, e := range es {
		errs[i] = e
	}
	return errs
}

// Warning is a setting that is valid but probably not what the operator
// wants (for example gratuitous ARP repeats closer than the Linux ARP lock
// time). Warnings never stop the daemon; it logs them and vipd check prints
// them.
type Warning struct {
	// File, Line and Path locate the setting as in Error.
	File string
	Line int
	Path string
	// Reason says what is odd about it, lower-case.
	Reason string
}

// String returns "FILE:LINE: PATH: REASON".
func (w Warning) String() string { return locate(w.File, w.Line, w.Path) + w.Reason }

func locate(file string, line int, path string) string {
	var b strings.Builder
	b.WriteString(file)
	if line > 0 {
		fmt.Fprintf(&b, ":%d", line)
	}
	b.WriteString(": ")
	if path != "" {
		b.WriteString(path)
		b.WriteString(": ")
	}
	return b.String()
}

// sortErrors orders problems by line, keeping the order in which they were
// found for problems on the same line.
func sortErrors(es Errors) {
	slices.SortStableFunc(es, func(a, b *Error) int { return a.Line - b.Line })
}

func sortWarnings(ws []Warning) {
	slices.SortStableFunc(ws, func(a, b Warning) int { return a.Line - b.Line })
}
