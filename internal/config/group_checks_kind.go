package config

import (
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// target decodes the target and interface of ping and ARP checks.
func (cd *checkDecoder) target() {
	c := &cd.c
	if c.Kind != CheckPing && c.Kind != CheckARP {
		return
	}
	if v, p, ok := cd.get("interface"); ok {
		if s, ok := cd.str(v, p); ok {
			if reason := checkInterfaceName(s); reason != "" {
				cd.errorf(v.line, p, "%q %s", s, reason)
			} else {
				c.Interface = s
			}
		}
	}
	v, p, ok := cd.get("target")
	if !ok {
		what := "the address to ping"
		if c.Kind == CheckARP {
			what = "the IPv4 address to ask for, such as the gateway's"
		}
		cd.required("target", what)
		return
	}
	s, ok := cd.str(v, p)
	if !ok {
		return
	}
	a, err := netip.ParseAddr(s)
	reason := ""
	switch {
	case err != nil:
		reason = "is not an IP address"
	case a.Zone() != "":
		reason = "has a zone: set interface instead"
	case a.Is4In6():
		reason = "is an IPv4-mapped IPv6 address: write " + a.Unmap().String()
	default:
		reason = unicastReason(a)
	}
	if reason == "" && c.Kind == CheckARP && a.Is6() {
		reason = "is IPv6: ARP asks for IPv4 addresses only (ping IPv6 neighbours instead)"
	}
	if reason != "" {
		cd.errorf(v.line, p, "%q %s", s, reason)
		return
	}
	c.Target = a
	if c.Interface == "" && (c.Kind == CheckARP || a.IsLinkLocalUnicast()) {
		c.Interface = cd.g.Interface
	}
}

// address decodes a TCP check's host:port.
func (cd *checkDecoder) address() {
	if cd.c.Kind != CheckTCP {
		return
	}
	v, p, ok := cd.get("address")
	if !ok {
		cd.required("address", "the host:port to connect to")
		return
	}
	s, ok := cd.str(v, p)
	if !ok {
		return
	}
	if reason := checkDialAddress(s); reason != "" {
		cd.errorf(v.line, p, "%q %s", s, reason)
		return
	}
	cd.c.Address = s
}

// checkDialAddress returns why s is not a host:port to connect to, or "".
func checkDialAddress(s string) string {
	var host, port string
	if rest, ok := strings.CutPrefix(s, "["); ok {
		h, pt, ok := strings.Cut(rest, "]:")
		if !ok {
			return "is not host:port (an IPv6 address is written [2001:db8::1]:5432)"
		}
		if a, err := netip.ParseAddr(h); err != nil || !a.Is6() || a.Zone() != "" {
			return "has no IPv6 address between the brackets"
		}
		host, port = h, pt
	} else {
		i := strings.LastIndexByte(s, ':')
		if i < 0 {
			return "is not host:port: add the port, e.g. 127.0.0.1:5432"
		}
		host, port = s[:i], s[i+1:]
		switch {
		case host == "":
			return "has no host: write 127.0.0.1:" + port + " for this host"
		case strings.Contains(host, ":"):
			return "is not host:port: write an IPv6 address in brackets, e.g. [2001:db8::1]:5432"
		case !validHostName(host):
			return "has a host that is neither an address nor a host name"
		}
	}
	if n, err := strconv.ParseUint(port, 10, 16); err != nil || n == 0 {
		return "has no valid port: want 1-65535"
	}
	return ""
}

// checkMethods are the HTTP methods a check may use.
var checkMethods = []string{"", "GET", "HEAD", "POST"}

// http decodes url, method, status, body, ca_file and
// insecure_skip_verify.
func (cd *checkDecoder) http() {
	c := &cd.c
	if c.Kind != CheckHTTP && c.Kind != CheckHTTPS {
		return
	}
	cd.url()
	c.Method = DefaultCheckMethod
	if v, p, ok := cd.get("method"); ok {
		if i, ok := cd.enum(v, p, "method", checkMethods); ok {
			c.Method = checkMethods[i]
		}
	}
	c.Status = DefaultCheckStatus
	if v, p, ok := cd.get("status"); ok {
		c.Status = cd.status(v, p)
	}
	if v, p, ok := cd.get("body"); ok {
		if s, ok := cd.str(v, p); ok {
			if _, err := regexp.Compile(s); err != nil {
				cd.errorf(v.line, p, "%q is not a regular expression: %s", s, strings.TrimPrefix(err.Error(), "error parsing regexp: "))
			} else if c.Method == "HEAD" {
				cd.errorf(v.line, p, "cannot match: the response to a HEAD request has no body")
			} else {
				c.Body = s
			}
		}
	}
	if v, p, ok := cd.get("insecure_skip_verify"); ok {
		if b, ok := cd.boolean(v, p); ok && b {
			c.InsecureSkipVerify = true
			cd.warnf(v.line, p, "the server's certificate is not verified: anything that answers at the address passes the check (name its CA with ca_file instead)")
		}
	}
	if v, p, ok := cd.get("ca_file"); ok {
		if s, ok := cd.absPath(v, p); ok {
			if c.InsecureSkipVerify {
				cd.errorf(v.line, p, "is set together with insecure_skip_verify: true, which would ignore it")
			} else {
				c.CAFile = s
			}
		}
	}
}

func (cd *checkDecoder) url() {
	c := &cd.c
	v, p, ok := cd.get("url")
	if !ok {
		cd.required("url", "the URL to request")
		return
	}
	s, ok := cd.str(v, p)
	if !ok {
		return
	}
	u, err := url.Parse(s)
	switch {
	case err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https"):
		cd.errorf(v.line, p, "%q is not an absolute %s:// URL", s, c.Kind)
	case u.Scheme != c.Kind.String():
		cd.errorf(v.line, p, "%q is an %s URL: write kind: %s", s, u.Scheme, u.Scheme)
	case strings.ContainsAny(s, " \t\n\r\x00"):
		cd.errorf(v.line, p, "%q contains white space: write it as %%20", s)
	default:
		c.URL = s
	}
}

// status decodes a list of status codes (200) and ranges (200-299).
func (cd *checkDecoder) status(v value, path string) []StatusRange {
	items, ok := cd.list(v, path)
	if !ok {
		return DefaultCheckStatus
	}
	if len(items) == 0 {
		cd.errorf(v.line, path, "is empty: leave it out for 200-399")
		return DefaultCheckStatus
	}
	var out []StatusRange
	for i, item := range items {
		ip := indexPath(path, i)
		s, ok := cd.str(item, ip)
		if !ok {
			continue
		}
		r, reason := parseStatusRange(s)
		if reason != "" {
			cd.errorf(item.line, ip, "%q %s", s, reason)
			continue
		}
		out = append(out, r)
	}
	if len(out) < len(items) {
		return DefaultCheckStatus
	}
	return out
}

// parseStatusRange parses "200" or "200-299" and returns why it cannot be
// a range of status codes, if it cannot.
func parseStatusRange(s string) (StatusRange, string) {
	lo, hi, isRange := strings.Cut(s, "-")
	if !isRange {
		hi = lo
	}
	a, errA := strconv.Atoi(strings.TrimSpace(lo))
	b, errB := strconv.Atoi(strings.TrimSpace(hi))
	switch {
	case errA != nil || errB != nil:
		return StatusRange{}, "is not a status code or range: write 200 or 200-299"
	case a < 100 || a > 599 || b < 100 || b > 599:
		return StatusRange{}, "is out of range 100-599"
	case a > b:
		return StatusRange{}, "is backwards: write the lower code first"
	}
	return StatusRange{a, b}, ""
}

// exec decodes an exec check's argv.
func (cd *checkDecoder) exec() {
	if cd.c.Kind != CheckExec {
		return
	}
	v, p, ok := cd.get("argv")
	if !ok {
		cd.required("argv", "the program to run and its arguments")
		return
	}
	cd.c.Argv = cd.argv(v, p, "check programs")
}
