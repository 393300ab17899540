package hooks

import (
	"strconv"
	"strings"
)

// cleanPath is the PATH hooks get, and where bare program names are looked up.
const cleanPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// environ returns the whole environment of a hook for ev: the clean PATH and
// the VIPD_ variables, nothing from the daemon's own environment.
func environ(ev Event) []string {
	vips := make([]string, len(ev.VIPs))
	for i, p := range ev.VIPs {
		vips[i] = p.String()
	}
	return []string{
		"PATH=" + cleanPath,
		"VIPD_GROUP=" + ev.Group,
		"VIPD_STATE=" + ev.To.String(),
		"VIPD_PREV_STATE=" + ev.From.String(),
		"VIPD_REASON=" + ev.Reason.String(),
		"VIPD_VIPS=" + strings.Join(vips, " "),
		"VIPD_INTERFACE=" + ev.Interface,
		"VIPD_PROTOCOL=" + ev.Protocol,
		"VIPD_ID=" + strconv.Itoa(int(ev.ID)),
		"VIPD_PRIORITY=" + strconv.Itoa(int(ev.Priority)),
	}
}
