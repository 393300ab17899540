package ucarpcli

import "fmt"

// Exit statuses of Error, as ucarp 1.5.2 exits for the same mistakes.
const (
	// StatusInvalid is a missing or malformed option value: ucarp's main
	// returns 1.
	StatusInvalid = 1
	// StatusUsage is an unknown option or a missing argument. ucarp prints
	// its usage and exits 0; vipd exits 2 so that the mistake shows.
	StatusUsage = 2
	// StatusStart is a setting ucarp accepts on the command line but
	// refuses when it starts (a password longer than 19 bytes, an interface
	// name too long): docarp fails and ucarp exits 2.
	StatusStart = 2
)

// Error is a command line vipd ucarp refuses, with the exit status for it.
type Error struct {
	// Status is the process exit status: StatusInvalid, StatusUsage or
	// StatusStart.
	Status int
	// Msg says what is wrong, in ucarp's words where ucarp has some.
	Msg string
}

// Error returns the message prefixed with the package name.
func (e *Error) Error() string { return "ucarpcli: " + e.Msg }

func invalidf(format string, args ...any) *Error {
	return &Error{Status: StatusInvalid, Msg: fmt.Sprintf(format, args...)}
}

func usagef(format string, args ...any) *Error {
	return &Error{Status: StatusUsage, Msg: fmt.Sprintf(format, args...)}
}

func startf(format string, args ...any) *Error {
	return &Error{Status: StatusStart, Msg: fmt.Sprintf(format, args...)}
}
