package config

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// maxFileSize bounds what Load reads: a configuration or password file
// larger than this is a mistake.
const maxFileSize = 1 << 20

// Load reads the configuration file at path, parses and validates it as
// Parse does, then reads each group's password_file: its first line, without
// the line ending, must be a valid password for the group's protocol, and
// the file must be a regular file not readable by all users. Problems with
// password files are reported with the line of their password_file. Last,
// it checks that each HTTPS check's ca_file holds a PEM certificate.
func Load(path string) (*Config, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, Errors{{File: path, Reason: err.reason, Err: err.err}}
	}
	cfg, d, infos := parse(path, data)
	if len(d.errs) == 0 {
		for i := range cfg.Groups {
			d.readPasswordFile(&cfg.Groups[i], &infos[i])
			d.checkCAFiles(&cfg.Groups[i], &infos[i])
		}
	}
	return d.result(cfg)
}

// fileError is why a file could not be read, in words for messages, and
// the cause.
type fileError struct {
	reason string
	err    error
}

// readFile reads a regular file of at most maxFileSize bytes.
func readFile(path string) ([]byte, *fileError) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &fileError{reason: describe(err), err: err}
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, &fileError{reason: describe(err), err: err}
	}
	if !st.Mode().IsRegular() {
		return nil, &fileError{reason: "is not a regular file"}
	}
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	switch {
	case err != nil:
		return nil, &fileError{reason: describe(err), err: err}
	case len(data) > maxFileSize:
		return nil, &fileError{reason: fmt.Sprintf("is larger than %d bytes", maxFileSize)}
	}
	return data, nil
}

// describe turns a file error into a reason: the cause without the path,
// which the message already names.
func describe(err error) string {
	if pe, ok := err.(*fs.PathError); ok {
		return "cannot " + pe.Op + ": " + pe.Err.Error()
	}
	return err.Error()
}

// readPasswordFile fills in g.Password from g.PasswordFile. Only the first
// line counts (as ucarp's --passfile reads it), so a trailing newline, CRLF
// included, is not part of the password.
func (d *decoder) readPasswordFile(g *Group, info *groupInfo) {
	if g.PasswordFile == "" {
		return
	}
	path, line := joinPath(info.path, "password_file"), info.passwordFileLine
	f, err := os.Open(g.PasswordFile)
	if err != nil {
		d.errs = append(d.errs, &Error{File: d.file, Line: line, Path: path, Reason: g.PasswordFile + ": " + describe(err), Err: err})
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		d.errs = append(d.errs, &Error{File: d.file, Line: line, Path: path, Reason: g.PasswordFile + ": " + describe(err), Err: err})
		return
	}
	switch mode := st.Mode(); {
	case !mode.IsRegular():
		d.errorf(line, path, "%s is not a regular file", g.PasswordFile)
		return
	case mode.Perm()&0o004 != 0:
		d.errorf(line, path, "%s is readable by every user (mode %04o): chmod o-r it", g.PasswordFile, mode.Perm())
		return
	}
	data, err := io.ReadAll(io.LimitReader(f, 4096))
	if err != nil {
		d.errs = append(d.errs, &Error{File: d.file, Line: line, Path: path, Reason: g.PasswordFile + ": " + describe(err), Err: err})
		return
	}
	pw, _, _ := bytes.Cut(data, []byte("\n"))
	pw = bytes.TrimSuffix(pw, []byte("\r"))
	if reason := checkPassword(g.Protocol, string(pw)); reason != "" {
		d.errorf(line, path, "the password in %s %s", g.PasswordFile, reason)
		return
	}
	g.Password = Secret(pw)
}
