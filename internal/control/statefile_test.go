package control

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestStateFileRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lib", "state.json")
	if _, err := ReadState(path); !errors.Is(err, ErrNoState) {
		t.Fatalf("missing file: %v, want ErrNoState", err)
	}
	st := AdminState{}.With("web", true).With("db", true).With("web", false).With("api", true)
	if err := WriteState(path, st); err != nil {
		t.Fatal(err)
	}
	got, err := ReadState(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(AdminState{Maintenance: []string{"api", "db"}}, got); diff != "" {
		t.Errorf("state (-want +got):\n%s", diff)
	}
	if !got.InMaintenance("db") || got.InMaintenance("web") {
		t.Errorf("InMaintenance wrong for %+v", got)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

func TestCorruptStateFileIsReportedWithItsName(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	if err := os.WriteFile(path, []byte(`{"maintenance": ["web"`), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := ReadState(path)
	if err == nil || errors.Is(err, ErrNoState) {
		t.Fatalf("corrupt file read as %v", err)
	}
	if want := path + " is corrupt"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not say %q", err, want)
	}
}
