package ucarpcli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// groupName names the group after its link and vhid: unique among the
// ucarp instances of one host, and a valid vipd group name.
func groupName(iface string, vhid uint8) string {
	var b strings.Builder
	b.WriteString("ucarp-")
	for _, r := range strings.ToLower(iface) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	fmt.Fprintf(&b, "-%d", vhid)
	return b.String()
}

// Dir returns the working directory for BuildOptions.Dir, or "/".
func Dir() string {
	if d, err := os.Getwd(); err == nil {
		return d
	}
	return string(filepath.Separator)
}
