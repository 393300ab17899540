//go:build e2e

package e2e

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vipd/vipd/internal/lab"
	"github.com/vipd/vipd/internal/lab/labtest"
)

// TestBadConfigRefused starts vipd with a configuration whose group id is
// out of range: it must name the file, the line and the field, exit with
// code 2 and leave the host's interfaces exactly as they were.
func TestBadConfigRefused(t *testing.T) {
	t.Parallel()
	ctx := labtest.Context(t, time.Minute)
	l := labtest.NewLab(t, lab.Options{Hosts: 2})
	h1 := l.Host("h1")
	path := filepath.Join(h1.Dir(), "bad.yaml")
	// Line 8 holds the bad id.
	yaml := strings.Join([]string{
		"node: h1",
		"state_file: " + filepath.Join(h1.Dir(), "state.json"),
		"control_socket: " + h1.ControlSocket(),
		"groups:",
		"  - name: lab",
		"    interface: eth0",
		"    protocol: vrrp3",
		"    id: 300",
		"    priority: 250",
		"    vips: [192.0.2.100/24]",
		"",
	}, "\n")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	before := ipState(t, h1)

	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, labtest.Bin(t), "run", "-c", path)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := h1.Start(cmd); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 2 {
		t.Errorf("vipd run with a bad config: %v, want exit status 2\nstderr: %s", err, stderr.String())
	}
	msg := stderr.String()
	t.Logf("vipd said: %s", strings.TrimSpace(msg))
	if want := path + ":8: groups[0].id:"; !strings.Contains(msg, want) {
		t.Errorf("message %q does not name the file, line and field (%q)", msg, want)
	}
	if !strings.Contains(msg, "300") {
		t.Errorf("message %q does not say what was wrong (300)", msg)
	}
	if after := ipState(t, h1); after != before {
		t.Errorf("vipd touched h1's interfaces although its config was refused:\nbefore: %s\nafter:  %s", before, after)
	}
	if _, err := os.Stat(h1.ControlSocket()); !os.IsNotExist(err) {
		t.Errorf("vipd created its control socket although its config was refused: %v", err)
	}
}

// ipState returns `ip -j addr show` in h's namespace: every link with its
// flags and every address.
func ipState(t *testing.T, h *lab.Host) string {
	t.Helper()
	ctx := labtest.Context(t, 10*time.Second)
	addr, err := h.Run(ctx, ipBin(t), "-j", "addr", "show")
	if err != nil {
		t.Fatal(err)
	}
	return string(addr)
}

// ipBin finds iproute2's ip, also where PATH lacks the sbin directories.
func ipBin(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"ip", "/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	labtest.Skip(t, "iproute2's ip is not installed")
	return ""
}
