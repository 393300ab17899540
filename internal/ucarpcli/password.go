package ucarpcli

import (
	"fmt"
	"os"
	"strings"

	"go.yaml.in/yaml/v3"
)

type keyValue struct {
	key string
	val *yaml.Node
}

// passwordNode is the password, or for a file configuration the
// password_file it came from when vipd reads that file as ucarp does.
func (o *Options) passwordNode(bo BuildOptions) (keyValue, *Note) {
	inline := keyValue{"password", str(o.Password)}
	if bo.Target != ForFile || o.PassFile == "" {
		return inline, nil
	}
	path := absPath(o.PassFile, bo.Dir)
	if strings.HasSuffix(o.Password, "\r") {
		return inline, &Note{"-o", fmt.Sprintf("%s ends its first line with CR LF: ucarp keeps the CR in the password and vipd's password_file would not, so the password is written inline", o.PassFile)}
	}
	stat := bo.Stat
	if stat == nil {
		stat = os.Stat
	}
	if fi, err := stat(path); err == nil && fi.Mode().Perm()&0o004 != 0 {
		return keyValue{"password_file", str(path)}, &Note{"-o", fmt.Sprintf("every user can read %s: vipd refuses such a password file; chmod o-r it", path)}
	}
	return keyValue{"password_file", str(path)}, nil
}
