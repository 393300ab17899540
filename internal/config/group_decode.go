package config

import (
	"regexp"
	"strings"
)

// groupInfo keeps where a group's settings are in the file, and which of
// them are valid, for the checks across groups and Load's second pass.
type groupInfo struct {
	path     string
	line     int
	nameLine int
	idLine   int
	// wireOK says Interface, Protocol, ID and the VIPs' family are all
	// valid, so the group's identity on the link is known.
	wireOK bool
	// vips are the positions of Group.VIPs, index by index.
	vips []position
	// passwordFileLine is the line of password_file, if set.
	passwordFileLine int
	// checks are the positions in Group.Checks, index by index.
	checks []checkInfo
}

// position is where a list element is: its path and line.
type position struct {
	path string
	line int
}

// groupDecoder decodes one group. The ok flags record which settings parsed,
// so that a bad value is reported once and not again by the checks that
// depend on it.
type groupDecoder struct {
	*decoder
	f    fields
	g    Group
	info groupInfo

	protocolOK, timingOK, familyOK bool
}

// get returns the value of key and its path, if the group sets it.
func (gd *groupDecoder) get(key string) (value, string, bool) {
	v, ok := gd.f.vals[key]
	return v, joinPath(gd.info.path, key), ok
}

// missing reports a required key the group lacks, at the group's line.
func (gd *groupDecoder) missing(key, why string) {
	gd.errorf(gd.f.line, joinPath(gd.info.path, key), "is required%s", why)
}

var groupName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,62}$`)

// group decodes and validates the i-th group.
func (d *decoder) group(v value, i int) (Group, groupInfo) {
	gd := &groupDecoder{decoder: d, info: groupInfo{path: indexPath("groups", i), line: v.line}}
	f, ok := d.mapping(v, gd.info.path, &groupSection)
	if !ok {
		return Group{}, gd.info
	}
	gd.f = f
	gd.identity()
	gd.trackLink()
	gd.timing()
	gd.addresses()
	gd.election()
	gd.auth()
	gd.checksum()
	gd.lifetime()
	gd.announce()
	gd.hooks()
	gd.checks()
	return gd.g, gd.info
}

// identity decodes name, interface, protocol and id.
func (gd *groupDecoder) identity() {
	g := &gd.g
	if v, p, ok := gd.get("name"); !ok {
		gd.missing("name", " (it names the group in logs, metrics and hooks)")
	} else if s, ok := gd.str(v, p); ok {
		if groupName.MatchString(s) {
			g.Name, gd.info.nameLine = s, v.line
		} else {
			gd.errorf(v.line, p, "%q must be 1-63 of a-z, 0-9, '_' and '-', starting with a letter or digit", s)
		}
	}
	ifaceOK := false
	if v, p, ok := gd.get("interface"); !ok {
		gd.missing("interface", "")
	} else if s, ok := gd.str(v, p); ok {
		if reason := checkInterfaceName(s); reason != "" {
			gd.errorf(v.line, p, "%q %s", s, reason)
		} else {
			g.Interface, ifaceOK = s, true
		}
	}
	g.Protocol, gd.protocolOK = CARP, true
	if v, p, ok := gd.get("protocol"); ok {
		i, ok := gd.enum(v, p, "protocol", protocolNames)
		g.Protocol, gd.protocolOK = Protocol(i), ok
	}
	idOK := false
	if v, p, ok := gd.get("id"); !ok {
		gd.missing("id", " (the vhid or VRID, 1-255, the same on every host of the group)")
	} else if n, ok := gd.integer(v, p, 1, 255); ok {
		g.ID, gd.info.idLine, idOK = uint8(n), v.line, true
	}
	gd.info.wireOK = ifaceOK && gd.protocolOK && idOK
}

// trackLink decodes track_link.
func (gd *groupDecoder) trackLink() {
	gd.g.TrackLink = DefaultTrackLink
	if v, p, ok := gd.get("track_link"); ok {
		gd.g.TrackLink, _ = gd.boolean(v, p)
	}
}

// checkInterfaceName returns why s cannot be a Linux interface name, or "".
// Linux allows up to 15 bytes (IFNAMSIZ - 1) other than '/', ':' and
// white space, and not "." or "..".
func checkInterfaceName(s string) string {
	switch {
	case s == "":
		return "is empty"
	case len(s) > 15:
		return "is longer than the 15 bytes Linux allows in an interface name"
	case s == "." || s == ".." || strings.ContainsAny(s, "/: \t\n\r\x00"):
		return "is not a valid Linux interface name"
	}
	return ""
}

// checksum decodes vrrp3_checksum.
func (gd *groupDecoder) checksum() {
	g := &gd.g
	v, p, ok := gd.get("vrrp3_checksum")
	if !ok {
		return
	}
	i, ok := gd.enum(v, p, "checksum variant", checksumNames)
	switch {
	case !ok || !gd.protocolOK:
	case g.Protocol != VRRP3:
		gd.errorf(v.line, p, "applies to vrrp3 groups only (%s has one checksum)", g.Protocol)
	case gd.familyOK && g.IPv6():
		gd.errorf(v.line, p, "applies to IPv4 groups only: vrrp3 over IPv6 always uses the IPv6 pseudo-header")
	default:
		g.Checksum = Checksum(i)
		if g.Checksum == ChecksumGroupPseudoHeader && len(g.Peers) == 0 {
			gd.warnf(v.line, p, "group-pseudo-header differs from pseudo-header only for unicast peers, and this group has none")
		}
	}
}
