package ucarpcli

import (
	"fmt"
	"os"
	"testing"
)

// TestLockNetns: a second lock in the same network namespace is refused
// with ucarp's start-failure status, and the name is free again once the
// first lets go.
func TestLockNetns(t *testing.T) {
	name := fmt.Sprintf("vipd-ucarp-test-%d", os.Getpid()) // not a running vipd ucarp's
	unlock, err := LockNetns(name)
	if err != nil {
		t.Fatal(err)
	}
	_, err = LockNetns(name)
	wantError(t, err, StatusStart, "another vipd ucarp runs in this network namespace")
	unlock()
	unlock, err = LockNetns(name)
	if err != nil {
		t.Fatalf("after unlock: %v", err)
	}
	unlock()
}
