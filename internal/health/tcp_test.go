package health

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"
)

func TestTCP(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	open := ln.Addr().String()
	// A port that was just listening and is now closed refuses at once.
	closedLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := closedLn.Addr().String()
	closedLn.Close()
	t.Cleanup(func() { ln.Close() })

	for _, tc := range []struct {
		name, address, wantErr string
	}{
		{"listening port", open, ""},
		{"closed port", closed, "health: dial tcp " + closed + ": connect: connection refused"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := NewTCP(tc.address)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
			defer cancel()
			err = c.Check(ctx)
			if got := errText(err); got != tc.wantErr {
				t.Errorf("Check = %q, want %q", got, tc.wantErr)
			}
		})
	}
}

func TestNewTCPRefusesAddressWithoutPort(t *testing.T) {
	if _, err := NewTCP("127.0.0.1"); err == nil || !strings.HasPrefix(err.Error(), `health: tcp address "127.0.0.1": `) {
		t.Errorf("NewTCP: %v", err)
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
