package control

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// AdminState is what the operator decided and vipd must remember across
// restarts and reboots: the groups in maintenance.
type AdminState struct {
	// Maintenance lists the groups in maintenance, sorted.
	Maintenance []string `json:"maintenance"`
}

// InMaintenance reports whether group is in maintenance.
func (s AdminState) InMaintenance(group string) bool {
	return slices.Contains(s.Maintenance, group)
}

// With returns the state with group's maintenance flag set to on.
func (s AdminState) With(group string, on bool) AdminState {
	out := AdminState{Maintenance: slices.DeleteFunc(slices.Clone(s.Maintenance), func(g string) bool { return g == group })}
	if on {
		out.Maintenance = append(out.Maintenance, group)
		slices.Sort(out.Maintenance)
	}
	return out
}

// ErrNoState says the state file does not exist yet: a first start.
var ErrNoState = errors.New("control: no state file")

// ReadState reads the state file. A missing file gives ErrNoState; an
// unreadable or corrupt one an error naming the file and the cause.
func ReadState(path string) (AdminState, error) {
	var s AdminState
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return s, ErrNoState
	}
	if err != nil {
		return s, fmt.Errorf("control: state file %s: %w", path, err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return s, fmt.Errorf("control: state file %s is corrupt: %w", path, err)
	}
	return s, nil
}

// WriteState replaces the state file atomically: a temporary file in the
// same directory, fsync, rename over the old one, fsync of the directory.
// A crash at any point leaves either the old or the new state, never a torn
// file.
func WriteState(path string, s AdminState) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("control: %w", err)
	}
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("control: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".vipd-state-*")
	if err != nil {
		return fmt.Errorf("control: %w", err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("control: writing %s: %w", tmp.Name(), err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("control: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("control: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("control: %w", err)
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("control: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("control: syncing %s: %w", dir, err)
	}
	return nil
}
