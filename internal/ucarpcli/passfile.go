package ucarpcli

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
)

// passLineMax is how much of the first line ucarp reads: fgets into a
// 512-byte buffer.
const passLineMax = 511

// readPassFile reads the password as ucarp's -o does: the first line, up to
// its '\n' (a '\r' before it stays part of the password, as in ucarp, so
// that both hosts derive the same key from one file).
func readPassFile(name string, env Env) (string, error) {
	read := env.ReadFile
	if read == nil {
		read = os.ReadFile
	}
	data, err := read(name)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return "", invalidf("unable to open passfile %s for reading: %v", name, err)
	}
	if len(data) == 0 {
		return "", invalidf("error reading passfile %s: unexpected end of file", name)
	}
	line, _, _ := bytes.Cut(data[:min(len(data), passLineMax)], []byte("\n"))
	return string(line), nil
}
