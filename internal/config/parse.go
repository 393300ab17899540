package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Parse decodes and validates the configuration in data, which came from the
// file path (used in messages only). It returns every problem it finds as
// Errors, each with the file, line, field and reason, and nil; or the Config
// with defaults filled in.
//
// Parse is pure: it reads no files and touches no interfaces. A group's
// password_file is checked for form but not read (Load reads it), and Node
// stays empty when the file does not set it.
func Parse(path string, data []byte) (*Config, error) {
	cfg, d, _ := parse(path, data)
	return d.result(cfg)
}

// maxErrors is how many problems Parse reports before it summarises the
// rest: enough for any file a person wrote.
const maxErrors = 100

// result returns cfg, or the problems found.
func (d *decoder) result(cfg *Config) (*Config, error) {
	if len(d.errs) > 0 {
		sortErrors(d.errs)
		if n := len(d.errs) - maxErrors; n > 0 {
			d.errs = append(d.errs[:maxErrors], &Error{File: d.file, Reason: fmt.Sprintf("and %d more problems", n)})
		}
		return nil, d.errs
	}
	sortWarnings(d.warns)
	cfg.Warnings = d.warns
	return cfg, nil
}

// parse is Parse, keeping the decoder and the groups' positions for Load's
// second pass.
func parse(path string, data []byte) (*Config, *decoder, []groupInfo) {
	d := newDecoder(path)
	d.data = data
	root, ok := d.root(data)
	if !ok {
		return nil, d, nil
	}
	cfg, infos := d.config(root)
	return cfg, d, infos
}

// root parses data as one YAML document and returns its top value.
func (d *decoder) root(data []byte) (value, bool) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			d.errorf(0, "", "the file is empty: it needs at least one group")
		} else {
			d.syntaxError(err)
		}
		return value{}, false
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == nil:
		d.errorf(documentLine(&extra), "", "a second YAML document (after ---) is not allowed: put everything in one")
		return value{}, false
	case !errors.Is(err, io.EOF):
		d.syntaxError(err)
		return value{}, false
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		d.errorf(0, "", "the file is empty: it needs at least one group")
		return value{}, false
	}
	v := valueOf(doc.Content[0])
	switch {
	case v.isNull():
		d.errorf(0, "", "the file is empty: it needs at least one group")
		return value{}, false
	case v.n.Kind != yaml.MappingNode:
		d.errorf(v.line, "", "the file must be a mapping of settings (node, log, groups, ...), not %s", kindName(v.n))
		return value{}, false
	}
	return v, true
}

func documentLine(doc *yaml.Node) int {
	if len(doc.Content) > 0 {
		return doc.Content[0].Line
	}
	return doc.Line
}

var yamlLine = regexp.MustCompile(`^line (\d+): (.*)$`)

// syntaxError records an error of the YAML parser, which reads
// "yaml: line 3: did not find expected key".
func (d *decoder) syntaxError(err error) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	if l := d.syntaxLine(line, msg); l > 0 {
		line = l
	}
	d.errs = append(d.errs, &Error{File: d.file, Line: line, Reason: "invalid YAML: " + msg, Err: err})
}

// maxLinesToLocate bounds the file size for which syntaxLine searches.
const maxLinesToLocate = 2000

// syntaxLine finds the line of a YAML syntax error more precisely than the
// parser, which often names the line where the enclosing block starts (and
// counts it from 0): it is the first line, from the parser's line on, at
// which the file cut off after that line fails with the same message. It
// returns 0 if no cut fails that way.
func (d *decoder) syntaxLine(from int, msg string) int {
	lines := bytes.SplitAfter(d.data, []byte("\n"))
	if len(lines) > maxLinesToLocate {
		return 0
	}
	n := 0
	for k, l := range lines {
		n += len(l)
		if k+1 < from {
			continue
		}
		var doc yaml.Node
		err := yaml.Unmarshal(d.data[:n], &doc)
		if err == nil {
			continue
		}
		m := strings.TrimPrefix(err.Error(), "yaml: ")
		if sm := yamlLine.FindStringSubmatch(m); sm != nil {
			m = sm[2]
		}
		if m == msg {
			return k + 1
		}
	}
	return 0
}
