package config

import (
	"fmt"
	"net/netip"
)

// wireClass groups the adverts a receiver on one link cannot tell apart by
// their first byte and family. CARP and VRRPv2 both start with 0x21 on
// protocol 112 over IPv4 (PROTOCOLS.md: "first-byte collision"), so they
// share a class; VRRPv3 over IPv4 and over IPv6 are classes of their own.
type wireClass uint8

const (
	classV2Shaped wireClass = iota // CARP and VRRPv2
	classVRRP3IPv4
	classVRRP3IPv6
)

// wireKey is a group's identity on a link: no two groups may share one.
type wireKey struct {
	iface string
	class wireClass
	id    uint8
}

func keyOf(g *Group) wireKey {
	k := wireKey{iface: g.Interface, id: g.ID}
	switch {
	case g.Protocol == VRRP3 && g.IPv6():
		k.class = classVRRP3IPv6
	case g.Protocol == VRRP3:
		k.class = classVRRP3IPv4
	}
	return k
}

// idWord is what the protocol calls the group id.
func idWord(p Protocol) string {
	if p == CARP {
		return "vhid"
	}
	return "VRID"
}

// crossCheck checks what no single group can: unique names, no two groups
// with one identity on a link, no VIP in two groups.
func (d *decoder) crossCheck(groups []Group, infos []groupInfo) {
	names := map[string]int{}
	wires := map[wireKey]int{}
	vips := map[netip.Addr]struct{ group, vip int }{}
	for i := range groups {
		g, info := &groups[i], &infos[i]
		if g.Name != "" {
			if j, dup := names[g.Name]; dup {
				d.errorf(info.nameLine, joinPath(info.path, "name"), "%q is already the name of %s (line %d)", g.Name, infos[j].path, infos[j].line)
			} else {
				names[g.Name] = i
			}
		}
		// A VRRPv3 group's class depends on its family; without a valid VIP
		// it is unknown.
		if info.wireOK && (g.Protocol != VRRP3 || len(g.VIPs) > 0) {
			k := keyOf(g)
			if j, dup := wires[k]; dup {
				d.errorf(info.idLine, joinPath(info.path, "id"), "%s", clash(g, &groups[j], &infos[j]))
			} else {
				wires[k] = i
			}
		}
		for k, vip := range g.VIPs {
			a := vip.Addr()
			if prev, dup := vips[a]; dup {
				pg, pi := &groups[prev.group], &infos[prev.group]
				d.errorf(info.vips[k].line, info.vips[k].path, "%s is already a VIP of %s (line %d)",
					a, groupRef(pg, pi), pi.vips[prev.vip].line)
			} else {
				vips[a] = struct{ group, vip int }{i, k}
			}
		}
	}
}

// clash explains why g cannot share its identity with other.
func clash(g, other *Group, info *groupInfo) string {
	if g.Protocol != other.Protocol {
		return fmt.Sprintf("%d clashes with %s (line %d) on %s: %s and %s adverts share protocol 112 and the first byte 0x21, so one link must not carry vhid %d and VRID %d",
			g.ID, groupRef(other, info), info.idLine, g.Interface, other.Protocol, g.Protocol, g.ID, g.ID)
	}
	fam := ""
	if g.Protocol == VRRP3 {
		fam = " for " + family(g.VIPs[0].Addr())
	}
	return fmt.Sprintf("%s %d%s is already used on %s by %s (line %d)",
		idWord(g.Protocol), g.ID, fam, g.Interface, groupRef(other, info), info.idLine)
}

// groupRef names a group in a message: by name when it has a valid one.
func groupRef(g *Group, info *groupInfo) string {
	if g.Name != "" {
		return fmt.Sprintf("group %q", g.Name)
	}
	return info.path
}
