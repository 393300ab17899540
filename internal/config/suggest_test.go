package config

import "testing"

func TestEditDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"abc", "", 3},
		{"", "abc", 3},
		{"password", "password", 0},
		{"passwrd", "password", 1},
		{"pasword", "password", 1},
		{"psasword", "password", 1}, // a swap of neighbours
		{"interfce", "interface", 1},
		{"vip", "vips", 1},
		{"kitten", "sitting", 3},
	} {
		t.Run(tc.a+"-"+tc.b, func(t *testing.T) {
			if got := editDistance(tc.a, tc.b); got != tc.want {
				t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
			}
		})
	}
}

func TestDidYouMean(t *testing.T) {
	keys := groupSection.keys
	for _, tc := range []struct {
		name string
		want string
	}{
		{"prority", " (did you mean priority?)"},
		{"Priority", " (did you mean priority?)"},
		{"advert_int", " (did you mean interval?)"},
		{"VIRTUAL_ROUTER_ID", " (did you mean id?)"},
		{"ip", " (did you mean vips?)"},
		{"dont_track_primary", " (did you mean track_link: false?)"},
		{"xy", ""},     // too short to guess at
		{"colour", ""}, // nothing close
		{"x", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := didYouMean(tc.name, keys, groupSection.hints); got != tc.want {
				t.Errorf("didYouMean(%q) = %q, want %q", tc.name, got, tc.want)
			}
		})
	}
}

// TestHintsNameRealKeys keeps the hints pointing at keys that exist.
func TestHintsNameRealKeys(t *testing.T) {
	sections := map[string]*section{
		"": &topSection, "log": &logSection, "http": &httpSection, "group": &groupSection,
		"announce": &announceSection, "hooks": &hooksSection,
	}
	for name, sec := range sections {
		for from, to := range sec.hints {
			key := to
			// "preempt: false" names a key and a value; "hooks.on_master" a
			// key of a nested section.
			for i, c := range to {
				if c == ':' || c == ' ' {
					key = to[:i]
					break
				}
			}
			if sec.known(key) {
				continue
			}
			if parent, child, ok := cut(key, '.'); ok {
				if sub, found := sections[parent]; found && sec.known(parent) && sub.known(child) {
					continue
				}
				if parent == "http" && httpSection.known(child) {
					continue
				}
			}
			t.Errorf("section %q: hint %q -> %q names no key", name, from, to)
		}
	}
}

func cut(s string, sep byte) (string, string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == sep {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}
