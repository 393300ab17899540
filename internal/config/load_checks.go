package config

import "crypto/x509"

// checkCAFiles checks that the ca_file of each of g's HTTPS checks is a
// readable regular file holding at least one PEM certificate, so that
// vipd check finds what the daemon would otherwise find only when it
// starts the group. The daemon reads the file again when it starts the
// group's checks.
func (d *decoder) checkCAFiles(g *Group, info *groupInfo) {
	for i := range g.Checks {
		c, pos := &g.Checks[i], info.checks[i].caFile
		if c.CAFile == "" {
			continue
		}
		data, ferr := readFile(c.CAFile)
		if ferr != nil {
			d.errs = append(d.errs, &Error{File: d.file, Line: pos.line, Path: pos.path, Reason: c.CAFile + ": " + ferr.reason, Err: ferr.err})
			continue
		}
		if !x509.NewCertPool().AppendCertsFromPEM(data) {
			d.errorf(pos.line, pos.path, "%s holds no PEM certificate", c.CAFile)
		}
	}
}
