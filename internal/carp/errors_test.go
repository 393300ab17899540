package carp

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestReasonOf(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"nil is no rejection", nil, ""},
		{"parse error keeps its cause", &ParseError{Field: "checksum", Offset: 6, Err: fmt.Errorf("%w: got 1, want 2", ErrChecksum)}, "bad-checksum"},
		{"VRRPv2 on protocol 112", &ParseError{Field: "authlen", Offset: 3, Err: ErrNotCARP}, "not-carp"},
		{"wrapped by a caller", fmt.Errorf("group web: %w", ErrReplay), "replay"},
		{"bad HMAC", ErrBadHMAC, "bad-hmac"},
		{"stale", ErrStale, "stale"},
		{"untagged", ErrUntagged, "untagged"},
		{"someone else's error", errors.New("boom"), "other"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ReasonOf(tt.err); got != tt.want {
				t.Errorf("ReasonOf(%v) = %q, want %q", tt.err, got, tt.want)
			}
		})
	}
}

// TestReasons: every sentinel has its own word, and Reasons lists them all
// (bounded metric labels).
func TestReasons(t *testing.T) {
	words := Reasons()
	want := []string{
		"too-short", "bad-length", "bad-version", "bad-type", "bad-authlen", "bad-checksum",
		"not-carp", "bad-hmac", "replay", "stale", "untagged", "bad-password", "other",
	}
	if diff := cmp.Diff(want, words); diff != "" {
		t.Errorf("Reasons() mismatch (-want +got):\n%s", diff)
	}
	for _, r := range reasons {
		if got := ReasonOf(r.err); got != r.word {
			t.Errorf("ReasonOf(%v) = %q, want %q", r.err, got, r.word)
		}
		if !slices.Contains(words, ReasonOf(r.err)) {
			t.Errorf("Reasons() lacks %q", r.word)
		}
	}
}

func TestErrorsArePrefixed(t *testing.T) {
	for _, r := range reasons {
		if msg := r.err.Error(); !strings.HasPrefix(msg, "carp: ") {
			t.Errorf("error %q lacks the carp: prefix", msg)
		}
	}
}
