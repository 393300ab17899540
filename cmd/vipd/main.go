// Command vipd keeps virtual IP addresses alive across hosts: CARP (as
// ucarp speaks it) and VRRPv2/v3 (as keepalived speaks them) in one daemon.
//
// Run `vipd --help` for the commands.
package main

import (
	"errors"
	"fmt"
	"os"
)

// exitError carries a process exit code with its message.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageErr marks bad input: a wrong config or arguments exit 2.
func usageErr(err error) error { return &exitError{code: 2, err: err} }

func main() {
	cmd := newRootCommand()
	if err := cmd.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "vipd:", err)
		var ee *exitError
		if errors.As(err, &ee) {
			os.Exit(ee.code)
		}
		os.Exit(1)
	}
}
