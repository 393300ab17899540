package config

import (
	"log/slog"
	"net/netip"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
)

// maxSocketPath is the longest Unix socket path Linux accepts: sun_path is
// 108 bytes including the terminating NUL.
const maxSocketPath = 107

// logLevels are the log.level names, for messages and suggestions.
var logLevels = map[string]slog.Level{
	"debug": slog.LevelDebug, "info": slog.LevelInfo, "warn": slog.LevelWarn, "error": slog.LevelError,
}

// config decodes the top level.
func (d *decoder) config(root value) (*Config, []groupInfo) {
	cfg := &Config{
		Path:          d.file,
		Log:           Log{Format: LogText, Level: defaultLogLevel},
		StateFile:     DefaultStateFile,
		ControlSocket: DefaultControlSocket,
	}
	f, _ := d.mapping(root, "", &topSection)
	if v, ok := f.vals["node"]; ok {
		d.node(v, cfg)
	}
	if v, ok := f.vals["log"]; ok {
		d.log(v, &cfg.Log)
	}
	if v, ok := f.vals["state_file"]; ok {
		if p, ok := d.absPath(v, "state_file"); ok {
			cfg.StateFile = p
		}
	}
	if v, ok := f.vals["control_socket"]; ok {
		if p, ok := d.absPath(v, "control_socket"); ok {
			if len(p) > maxSocketPath {
				d.errorf(v.line, "control_socket", "is %d bytes long; Linux allows Unix socket paths of at most %d", len(p), maxSocketPath)
			} else {
				cfg.ControlSocket = p
			}
		}
	}
	if v, ok := f.vals["http"]; ok {
		d.http(v, &cfg.HTTP)
	}
	v, ok := f.vals["groups"]
	if !ok {
		d.errorf(f.line, "groups", "is required: the file needs at least one group")
		return cfg, nil
	}
	items, ok := d.list(v, "groups")
	if !ok {
		return cfg, nil
	}
	if len(items) == 0 {
		d.errorf(v.line, "groups", "is empty: the file needs at least one group")
		return cfg, nil
	}
	infos := make([]groupInfo, 0, len(items))
	for i, item := range items {
		g, info := d.group(item, i)
		cfg.Groups = append(cfg.Groups, g)
		infos = append(infos, info)
	}
	d.crossCheck(cfg.Groups, infos)
	return cfg, infos
}

// node checks the node name: what status output and switchover --to show.
func (d *decoder) node(v value, cfg *Config) {
	s, ok := d.str(v, "node")
	if !ok {
		return
	}
	if s == "" || len(s) > 64 || strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || !unicode.IsPrint(r) }) >= 0 {
		d.errorf(v.line, "node", "%q must be 1-64 printable characters without spaces", s)
		return
	}
	cfg.Node = s
}

func (d *decoder) log(v value, l *Log) {
	f, ok := d.mapping(v, "log", &logSection)
	if !ok {
		return
	}
	if v, ok := f.vals["format"]; ok {
		if i, ok := d.enum(v, "log.format", "log format", logFormatNames); ok {
			l.Format = LogFormat(i)
		}
	}
	if v, ok := f.vals["level"]; ok {
		if s, ok := d.str(v, "log.level"); ok {
			if lvl, ok := logLevels[s]; ok {
				l.Level = lvl
			} else {
				names := []string{"debug", "info", "warn", "error"}
				hint := didYouMean(s, names, map[string]string{"warning": "warn", "err": "error", "information": "info"})
				d.errorf(v.line, "log.level", "%q is not a log level: want %s%s", s, orList(names), hint)
			}
		}
	}
}

func (d *decoder) http(v value, h *HTTP) {
	f, ok := d.mapping(v, "http", &httpSection)
	if !ok {
		return
	}
	if v, ok := f.vals["listen"]; ok {
		if s, ok := d.str(v, "http.listen"); ok {
			if reason := checkListen(s); reason != "" {
				d.errorf(v.line, "http.listen", "%q %s", s, reason)
			} else {
				h.Listen = s
			}
		}
	}
}

// checkListen returns why s is not a host:port to listen on, or "".
func checkListen(s string) string {
	if s == "" {
		return ""
	}
	var host, port string
	if rest, ok := strings.CutPrefix(s, "["); ok {
		h, p, ok := strings.Cut(rest, "]:")
		if !ok {
			return "is not host:port (an IPv6 address is written [::1]:9650)"
		}
		if a, err := netip.ParseAddr(h); err != nil || !a.Is6() {
			return "has no IPv6 address between the brackets"
		}
		host, port = h, p
	} else {
		i := strings.LastIndexByte(s, ':')
		if i < 0 {
			return "is not host:port: add the port, e.g. 127.0.0.1:9650 or :9650"
		}
		host, port = s[:i], s[i+1:]
		if strings.Contains(host, ":") {
			return "is not host:port: write an IPv6 address in brackets, e.g. [::1]:9650"
		}
		if host != "" && !validHostName(host) {
			return "has a host that is neither an address nor a host name"
		}
	}
	n, err := strconv.ParseUint(port, 10, 16)
	if err != nil || n == 0 {
		return "has no valid port: want 1-65535"
	}
	return ""
}

// validHostName reports whether s is a dotted IPv4 address or a DNS name.
func validHostName(s string) bool {
	if len(s) > 253 {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// absPath reads an absolute file path. vipd runs from /, and vipd check from
// anywhere: relative paths would mean different files to each.
func (d *decoder) absPath(v value, path string) (string, bool) {
	s, ok := d.str(v, path)
	if !ok {
		return "", false
	}
	switch {
	case strings.ContainsRune(s, 0):
		d.errorf(v.line, path, "%q contains a NUL byte", s)
		return "", false
	case !filepath.IsAbs(s):
		d.errorf(v.line, path, "%q is not an absolute path", s)
		return "", false
	case strings.HasSuffix(s, "/"):
		d.errorf(v.line, path, "%q names a directory, not a file", s)
		return "", false
	}
	return s, true
}
