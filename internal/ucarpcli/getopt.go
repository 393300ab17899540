package ucarpcli

import (
	"strings"
)

// optSpec describes one option as getopt_long knows it.
type optSpec struct {
	id     optID
	short  byte   // 0: long form only
	long   string // "": short form only
	hasArg bool
	// exact options must be written in full: vipd's own, which must not
	// turn a unique abbreviation of a ucarp option into an ambiguous one.
	exact bool
}

// option is one option as it appeared on the command line.
type option struct {
	spec *optSpec
	name string // as written, for messages: "-v" or "--vhid"
	arg  string
}

// scanner walks a command line as glibc's getopt_long does with the
// default (permuting) ordering: options anywhere, operands set aside, "--"
// ends the options.
type scanner struct {
	specs    []optSpec
	args     []string
	next     int    // index of the next word
	cluster  string // short options left in the current word
	done     bool   // "--" seen
	operands []string
}

func newScanner(specs []optSpec, args []string) *scanner {
	return &scanner{specs: specs, args: args}
}

// scan returns the next option; ok is false at the end of the command line.
func (s *scanner) scan() (opt option, ok bool, err error) {
	for s.cluster == "" {
		if s.next >= len(s.args) {
			return option{}, false, nil
		}
		w := s.args[s.next]
		s.next++
		switch {
		case s.done || w == "-" || !strings.HasPrefix(w, "-"):
			s.operands = append(s.operands, w)
		case w == "--":
			s.done = true
		case strings.HasPrefix(w, "--"):
			return s.long(w)
		default:
			s.cluster = w[1:]
		}
	}
	c := s.cluster[0]
	s.cluster = s.cluster[1:]
	spec := s.byShort(c)
	if spec == nil {
		return option{}, false, usagef("invalid option -- '%s'%s", string(rune(c)), helpHint)
	}
	opt = option{spec: spec, name: "-" + string(rune(c))}
	if !spec.hasArg {
		return opt, true, nil
	}
	switch {
	case s.cluster != "":
		opt.arg, s.cluster = s.cluster, ""
	case s.next < len(s.args):
		opt.arg = s.args[s.next]
		s.next++
	default:
		return option{}, false, usagef("option requires an argument -- '%s'%s", string(rune(c)), helpHint)
	}
	return opt, true, nil
}

// long reads one "--name[=value]" word and, if the option needs one and the
// word has none, its argument from the next word.
func (s *scanner) long(word string) (option, bool, error) {
	name, val, hasVal := strings.Cut(word[2:], "=")
	spec, err := s.byLong(name, word)
	if err != nil {
		return option{}, false, err
	}
	opt := option{spec: spec, name: "--" + spec.long, arg: val}
	switch {
	case !spec.hasArg && hasVal:
		return option{}, false, usagef("option '--%s' doesn't allow an argument%s", spec.long, helpHint)
	case spec.hasArg && !hasVal && s.next < len(s.args):
		opt.arg = s.args[s.next]
		s.next++
	case spec.hasArg && !hasVal:
		return option{}, false, usagef("option '--%s' requires an argument%s", spec.long, helpHint)
	}
	return opt, true, nil
}

func (s *scanner) byShort(c byte) *optSpec {
	for i := range s.specs {
		if s.specs[i].short == c && c != 0 {
			return &s.specs[i]
		}
	}
	return nil
}

// byLong finds a long option by its name or, as getopt_long does, by a
// prefix of exactly one name.
func (s *scanner) byLong(name, word string) (*optSpec, error) {
	var matches []*optSpec
	for i := range s.specs {
		sp := &s.specs[i]
		switch {
		case sp.long == "":
		case sp.long == name:
			return sp, nil
		case name != "" && !sp.exact && strings.HasPrefix(sp.long, name):
			matches = append(matches, sp)
		}
	}
	switch len(matches) {
	case 0:
		return nil, usagef("unrecognized option '%s'%s", word, helpHint)
	case 1:
		return matches[0], nil
	}
	var b strings.Builder
	for _, m := range matches {
		b.WriteString(" '--" + m.long + "'")
	}
	return nil, usagef("option '--%s' is ambiguous; possibilities:%s%s", name, b.String(), helpHint)
}

// helpHint ends the messages of usage errors.
const helpHint = " (vipd ucarp --help lists the options)"
