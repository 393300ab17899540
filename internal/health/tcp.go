package health

import (
	"context"
	"fmt"
	"net"
)

// TCP is a check that opens a TCP connection and closes it at once:
// healthy when the connection is established (KindTCP).
type TCP struct {
	address string
	dialer  net.Dialer
}

// NewTCP returns a TCP check of address, a host:port. A host name is
// resolved at every probe, within the probe's timeout.
func NewTCP(address string) (*TCP, error) {
	if _, _, err := net.SplitHostPort(address); err != nil {
		return nil, fmt.Errorf("health: tcp address %q: %w", address, err)
	}
	return &TCP{address: address}, nil
}

// Check connects and closes the connection.
func (t *TCP) Check(ctx context.Context) error {
	conn, err := t.dialer.DialContext(ctx, "tcp", t.address)
	if err != nil {
		return fmt.Errorf("health: %w", err)
	}
	_ = conn.Close() // connected is all the check asks
	return nil
}
