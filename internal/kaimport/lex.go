package kaimport

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// token is one word of keepalived.conf, or an unquoted brace.
type token struct {
	text  string
	brace byte // '{' or '}' for an unquoted brace, else 0
	pos   Pos
}

// maxIncludeDepth bounds nested includes, as a loop guard of last resort.
const maxIncludeDepth = 32

// includeKeywords are include and its variants, which differ only in how
// keepalived reports files that are missing or unreadable.
var includeKeywords = []string{"include", "includer", "includem", "includew", "includeb", "includea"}

// lexer turns files into one stream of tokens, expanding includes where
// they stand, as keepalived reads them.
type lexer struct {
	configID string
	toks     []token
	open     []string // files being read, for loop detection
	order    []string // files in the order they were first read
	warns    []Warning
}

// file appends the tokens of path; from is the include line that named it.
func (l *lexer) file(path string, from Pos) error {
	if slices.Contains(l.open, path) || len(l.open) >= maxIncludeDepth {
		return &SyntaxError{Pos: from, Msg: fmt.Sprintf("include of %s loops", path)}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		if len(l.open) == 0 {
			return fmt.Errorf("kaimport: %w", err)
		}
		l.warn(from, "include: cannot read %s: %v; keepalived would skip it too", path, err)
		return nil
	}
	l.open = append(l.open, path)
	if !slices.Contains(l.order, path) {
		l.order = append(l.order, path)
	}
	defer func() { l.open = l.open[:len(l.open)-1] }()
	for i, line := range strings.Split(string(data), "\n") {
		pos := Pos{File: path, Line: i + 1}
		line, keep := l.conditional(strings.TrimSuffix(line, "\r"))
		if !keep {
			continue
		}
		if err := l.line(line, pos); err != nil {
			return err
		}
	}
	return nil
}

// line reads one line: an include, or tokens.
func (l *lexer) line(line string, pos Pos) error {
	trimmed := strings.TrimLeft(line, " \t")
	if strings.HasPrefix(trimmed, "$") || strings.HasPrefix(trimmed, "~") {
		l.warn(pos, "parameter definitions and substitutions ($NAME=, ~SEQ) are not supported: the line is skipped")
		return nil
	}
	toks, err := splitLine(line, pos)
	if err != nil {
		return err
	}
	if len(toks) > 0 && toks[0].brace == 0 && slices.Contains(includeKeywords, toks[0].text) {
		return l.include(toks, pos)
	}
	l.toks = append(l.toks, toks...)
	return nil
}

// include reads the files a pattern matches, relative to the directory of
// the including file, in name order.
func (l *lexer) include(toks []token, pos Pos) error {
	if len(toks) < 2 || toks[1].brace != 0 {
		l.warn(pos, "%s without a file name is ignored", toks[0].text)
		return nil
	}
	pattern := toks[1].text
	if !filepath.IsAbs(pattern) {
		pattern = filepath.Join(filepath.Dir(pos.File), pattern)
	}
	matches, err := filepath.Glob(pattern)
	if err != nil {
		l.warn(pos, "%s %s: %v", toks[0].text, toks[1].text, err)
		return nil
	}
	if len(matches) == 0 {
		l.warn(pos, "%s %s matches no file", toks[0].text, toks[1].text)
		return nil
	}
	for _, m := range matches {
		if err := l.file(m, pos); err != nil {
			return err
		}
	}
	return nil
}

// conditional applies keepalived's configuration ids: a line starting with
// @ID is kept only when ID is the configuration id, one starting with @^ID
// only when it is not. It returns the line without the prefix.
func (l *lexer) conditional(line string) (string, bool) {
	trimmed := strings.TrimLeft(line, " \t")
	if !strings.HasPrefix(trimmed, "@") {
		return line, true
	}
	id, rest := trimmed[1:], ""
	if n := strings.IndexAny(id, " \t"); n >= 0 {
		id, rest = id[:n], id[n+1:]
	}
	negate := strings.HasPrefix(id, "^")
	id = strings.TrimPrefix(id, "^")
	if (id == l.configID) != negate {
		return rest, true
	}
	return "", false
}

func (l *lexer) warn(pos Pos, format string, args ...any) {
	l.warns = append(l.warns, Warning{Pos: pos, Text: fmt.Sprintf(format, args...)})
}

// splitLine splits one line into words and braces: blanks separate words,
// '{' and '}' are tokens of their own unless quoted, an unquoted '#' or '!'
// starts a comment, and quoted parts (with '"' or '\”) join the unquoted
// parts next to them into one word, without their quotes. Backslashes stay
// for the script word splitter.
func splitLine(s string, pos Pos) ([]token, error) {
	var toks []token
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case isBlank(c):
			i++
			continue
		case c == '#' || c == '!':
			return toks, nil
		case c == '{' || c == '}':
			toks = append(toks, token{text: string(c), brace: c, pos: pos})
			i++
			continue
		}
		var b strings.Builder
	word:
		for i < len(s) {
			c := s[i]
			switch {
			case c == '"' || c == '\'':
				end := closingQuote(s, i)
				if end < 0 {
					return nil, &SyntaxError{Pos: pos, Msg: "unterminated quoted string"}
				}
				b.WriteString(s[i+1 : end])
				i = end + 1
			case isBlank(c) || c == '{' || c == '}' || c == '#' || c == '!':
				break word
			default:
				b.WriteByte(c)
				i++
			}
		}
		toks = append(toks, token{text: b.String(), pos: pos})
	}
	return toks, nil
}

// closingQuote returns the index of the quote that closes the one at
// s[open], skipping backslash-escaped ones, or -1.
func closingQuote(s string, open int) int {
	q := s[open]
	for i := open + 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case q:
			return i
		}
	}
	return -1
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r' }
