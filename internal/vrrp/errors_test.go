package vrrp

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
)

func TestReasonOf(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"nil", nil, "none"},
		{"ErrTooShort", ErrTooShort, "too-short"},
		{"ErrLength", ErrLength, "bad-length"},
		{"ErrVersion", ErrVersion, "bad-version"},
		{"ErrType", ErrType, "bad-type"},
		{"ErrChecksum", ErrChecksum, "bad-checksum"},
		{"ErrAddrCount", ErrAddrCount, "bad-addr-count"},
		{"ErrInterval", ErrInterval, "bad-interval"},
		{"ErrAuthAH", ErrAuthAH, "auth-ah"},
		{"ErrAuthType", ErrAuthType, "bad-auth-type"},
		{"ErrFamily", ErrFamily, "family-mismatch"},
		{"ErrCARP", ErrCARP, "is-carp"},
		{"wrapped in a ParseError and fmt.Errorf", fmt.Errorf("receive: %w", &ParseError{Field: "checksum", Offset: 6, Err: fmt.Errorf("%w: detail", ErrChecksum)}), "bad-checksum"},
		{"ErrPassword is not a drop reason", ErrPassword, "other"},
		{"foreign error", errors.New("socket closed"), "other"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ReasonOf(tt.err).String(); got != tt.want {
				t.Errorf("ReasonOf(%v) = %q, want %q", tt.err, got, tt.want)
			}
		})
	}
}

// TestReasonWords: metric labels must be short, bounded and distinct.
func TestReasonWords(t *testing.T) {
	word := regexp.MustCompile(`^[a-z][a-z0-9-]{0,19}$`)
	seen := map[string]Reason{}
	for r := ReasonNone; r <= ReasonOther; r++ {
		s := r.String()
		if !word.MatchString(s) {
			t.Errorf("Reason %d: %q is not a short lower-case word", r, s)
		}
		if prev, ok := seen[s]; ok {
			t.Errorf("Reasons %d and %d share %q", prev, r, s)
		}
		seen[s] = r
	}
	if got := Reason(200).String(); got != "reason(200)" {
		t.Errorf("Reason(200).String() = %q", got)
	}
}

func TestErrorMessages(t *testing.T) {
	for _, err := range []error{ErrTooShort, ErrLength, ErrVersion, ErrType, ErrChecksum, ErrAddrCount,
		ErrInterval, ErrAuthAH, ErrAuthType, ErrFamily, ErrCARP, ErrPassword} {
		msg := err.Error()
		rest, ok := strings.CutPrefix(msg, "vrrp: ")
		if !ok || rest == "" || rest[:1] != strings.ToLower(rest[:1]) || strings.HasSuffix(msg, ".") {
			t.Errorf("%q: want a message prefixed \"vrrp: \" starting in lower case, without a full stop", msg)
		}
	}
	_, err := Parse(v3Msg4()[:5], src4, grp4)
	want := "vrrp: message too short: 5 bytes, want at least 8 (field header, offset 5)"
	if err == nil || err.Error() != want {
		t.Errorf("Parse error %q, want %q", err, want)
	}
	var perr *ParseError
	if !errors.As(err, &perr) || !errors.Is(perr, ErrTooShort) || errors.Unwrap(perr) != perr.Err {
		t.Errorf("ParseError %#v does not unwrap to ErrTooShort", perr)
	}
}

func TestStringers(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{AuthNone.String(), "none"},
		{AuthSimple.String(), "simple"},
		{AuthAH.String(), "ah"},
		{AuthType(7).String(), "7"},
		{ChecksumPseudoHeader.String(), "pseudo-header"},
		{ChecksumNoPseudoHeader.String(), "no-pseudo-header"},
		{ChecksumGroupPseudoHeader.String(), "group-pseudo-header"},
		{ChecksumVariant(7).String(), "7"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("String() = %q, want %q", tt.got, tt.want)
		}
	}
}
