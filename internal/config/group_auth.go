package config

import (
	"fmt"
	"strings"
)

// Password limits.
const (
	// MaxCARPPassword is the longest CARP password ucarp accepts: it copies
	// the password and its NUL into a 20-byte buffer.
	MaxCARPPassword = 19
	// MaxVRRP2Password is the length of VRRPv2's simple-text authentication
	// data (RFC 2338 §5.3.10). keepalived silently truncates longer
	// passwords; vipd refuses them.
	MaxVRRP2Password = 8
)

// auth decodes password and password_file: required for CARP, optional for
// VRRPv2, refused for VRRPv3 (RFC 5798 has no authentication).
func (gd *groupDecoder) auth() {
	g := &gd.g
	pv, pp, hasPW := gd.get("password")
	fv, fp, hasFile := gd.get("password_file")
	if !gd.protocolOK {
		return
	}
	switch {
	case g.Protocol == VRRP3 && hasPW:
		gd.errorf(pv.line, pp, "vrrp3 has no authentication (RFC 5798 §9 removed it); remove the password")
		return
	case g.Protocol == VRRP3 && hasFile:
		gd.errorf(fv.line, fp, "vrrp3 has no authentication (RFC 5798 §9 removed it); remove the password file")
		return
	case hasPW && hasFile:
		gd.errorf(fv.line, fp, "is set together with password: use one or the other")
		return
	case g.Protocol == CARP && !hasPW && !hasFile:
		gd.missing("password", " for carp (ucarp's --pass), or set password_file")
		return
	}
	if hasPW {
		if s, ok := gd.str(pv, pp); ok {
			if reason := checkPassword(g.Protocol, s); reason != "" {
				gd.errorf(pv.line, pp, "%s", reason)
			} else {
				g.Password = Secret(s)
			}
		}
	}
	if hasFile {
		if s, ok := gd.absPath(fv, fp); ok {
			g.PasswordFile, gd.info.passwordFileLine = s, fv.line
		}
	}
}

// checkPassword returns why pw cannot be a password of proto, or "". It
// never quotes the password.
func checkPassword(proto Protocol, pw string) string {
	limit, who := MaxCARPPassword, "ucarp allows"
	if proto == VRRP2 {
		limit, who = MaxVRRP2Password, "vrrp2 simple passwords have"
	}
	switch {
	case pw == "":
		return "is empty"
	case pw == redacted:
		return "is the placeholder vipd check prints for a hidden password: write the real one"
	case strings.IndexByte(pw, 0) >= 0:
		return "contains a NUL byte, which peers would read as its end"
	case len(pw) > limit:
		return fmt.Sprintf("is %d bytes long; %s at most %d", len(pw), who, limit)
	}
	return ""
}
