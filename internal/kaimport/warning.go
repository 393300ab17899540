package kaimport

import "fmt"

// Pos is where something is in the keepalived configuration.
type Pos struct {
	// File is the path of the file, as given or as an include found it.
	File string
	// Line is the 1-based line, or 0 for the file as a whole.
	Line int
}

// String returns "FILE:LINE", or FILE when the line is 0.
func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d", p.File, p.Line)
}

// Warning is a keepalived setting that Import could not carry over, or
// carried over with a difference the operator should know about.
type Warning struct {
	// Pos is the setting's file and line.
	Pos Pos
	// Text says what happened to it and why, lower-case.
	Text string
}

// String returns "FILE:LINE: TEXT".
func (w Warning) String() string { return w.Pos.String() + ": " + w.Text }

// SyntaxError is a keepalived.conf that cannot be read at all: an
// unterminated quote, unbalanced braces, an include that loops.
type SyntaxError struct {
	// Pos is where the problem is.
	Pos Pos
	// Msg says what it is, lower-case.
	Msg string
}

// Error returns "kaimport: FILE:LINE: MSG".
func (e *SyntaxError) Error() string { return "kaimport: " + e.Pos.String() + ": " + e.Msg }
