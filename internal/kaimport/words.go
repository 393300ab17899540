package kaimport

import (
	"strconv"
	"strings"
)

// scriptWords splits a script command string into argv as keepalived does
// (alloc_strvec_quoted_escaped): blanks separate words, '"' and '\” group
// and are removed, and backslash escapes as in the shell's $'...' are
// decoded: \a \b \E \f \n \r \t \v, \nnn octal, \xXX hex, \cC control, and
// \C for any other C. ok is false for an unterminated quote.
func scriptWords(s string) (words []string, ok bool) {
	var b strings.Builder
	inWord := false
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			n := unescape(s[i+1:], &b)
			i += n
			inWord = true
		case quote != 0 && c == quote:
			quote = 0
		case quote != 0:
			b.WriteByte(c)
		case c == '"' || c == '\'':
			quote, inWord = c, true
		case isBlank(c):
			if inWord {
				words = append(words, b.String())
				b.Reset()
				inWord = false
			}
		default:
			b.WriteByte(c)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, false
	}
	if inWord {
		words = append(words, b.String())
	}
	return words, true
}

// unescape decodes the escape that s starts (s follows the backslash) into
// b and returns how many bytes of s it used.
func unescape(s string, b *strings.Builder) int {
	simple := map[byte]byte{'a': '\a', 'b': '\b', 'E': 0x1b, 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t', 'v': '\v'}
	c := s[0]
	if r, ok := simple[c]; ok {
		b.WriteByte(r)
		return 1
	}
	switch {
	case c >= '0' && c <= '7':
		n := 1
		for n < 3 && n < len(s) && s[n] >= '0' && s[n] <= '7' {
			n++
		}
		v, _ := strconv.ParseUint(s[:n], 8, 8)
		b.WriteByte(byte(v))
		return n
	case c == 'x':
		n := 1
		for n < len(s) && n < 3 && isHex(s[n]) {
			n++
		}
		if n == 1 {
			b.WriteByte('x')
			return 1
		}
		v, _ := strconv.ParseUint(s[1:n], 16, 8)
		b.WriteByte(byte(v))
		return n
	case c == 'c' && len(s) > 1:
		b.WriteByte(s[1] & 0x1f)
		return 2
	}
	b.WriteByte(c)
	return 1
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}
