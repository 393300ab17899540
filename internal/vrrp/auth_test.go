package vrrp

import (
	"errors"
	"testing"
)

func TestSimplePassword(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    [8]byte
		wantErr bool
	}{
		{
			name: "RFC 2338 §5.3.10: shorter than 8 bytes is zero-padded (keepalived PASS s3cret)",
			in:   "s3cret",
			want: [8]byte{'s', '3', 'c', 'r', 'e', 't', 0, 0},
		},
		{
			name: "RFC 2338 §5.3.6.1: exactly 8 bytes",
			in:   "abcdefgh",
			want: [8]byte{'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'},
		},
		{
			name:    "keepalived truncates 9 or more characters to 8; vipd refuses",
			in:      "abcdefghij",
			wantErr: true,
		},
		{
			name:    "empty",
			in:      "",
			wantErr: true,
		},
		{
			name:    "a NUL byte would read as padding",
			in:      "ab\x00cd",
			wantErr: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := SimplePassword(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("SimplePassword(%q): error %v, want error %v", tt.in, err, tt.wantErr)
			}
			if err != nil {
				if !errors.Is(err, ErrPassword) {
					t.Errorf("error %v does not wrap ErrPassword", err)
				}
				return
			}
			if got != tt.want {
				t.Errorf("SimplePassword(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMatchesPassword(t *testing.T) {
	pass := readGolden(t, "keepalived-v2-pass")
	noauth := readGolden(t, "keepalived-v2-noauth")
	truncated := readGolden(t, "keepalived-v2-pass-truncated")
	tests := []struct {
		name string
		g    golden
		pw   string
		want bool
	}{
		{"keepalived auth_pass s3cret", pass, "s3cret", true},
		{"a prefix of the password", pass, "s3cre", false},
		{"case matters", pass, "S3cret", false},
		{"keepalived auth_pass abcdefghij is sent as abcdefgh", truncated, "abcdefgh", true},
		{"RFC 3768 §5.3.6: no authentication never matches a password", noauth, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Parse(tt.g.msg, tt.g.src, tt.g.dst)
			if err != nil {
				t.Fatal(err)
			}
			var pw [8]byte
			copy(pw[:], tt.pw)
			if got := a.MatchesPassword(pw); got != tt.want {
				t.Errorf("MatchesPassword(%q) = %v, want %v", tt.pw, got, tt.want)
			}
		})
	}
	t.Run("RFC 5798: VRRPv3 has no authentication", func(t *testing.T) {
		a := Advert{Version: 3, Type: 1, AuthType: AuthSimple, AuthData: [8]byte{'x'}}
		if a.MatchesPassword([8]byte{'x'}) {
			t.Errorf("a VRRPv3 advert matched a password")
		}
	})
}
