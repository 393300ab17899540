package ucarpcli

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"
)

// apply records one option, checking its value as ucarp does on the spot.
func (o *Options) apply(opt option, env Env) error {
	arg := opt.arg
	switch opt.spec.id {
	case optHelp:
		o.Help = true
	case optInterface:
		o.Interface = arg
	case optSrcIP:
		a, err := parseIPv4(opt, arg)
		if err != nil {
			return err
		}
		o.SrcIP = a.Addr()
	case optMcastIP:
		a, err := netip.ParseAddr(arg)
		if err != nil || !a.Is4() {
			return invalidf("Invalid address: [%s]", arg)
		}
		if a.String() != carpGroup {
			return invalidf("--mcastip %s: vipd sends and receives CARP adverts on %s only", arg, carpGroup)
		}
		o.McastIP = a
	case optVHID:
		n, err := parseNumber(arg)
		if err != nil || n < 1 || n > 255 {
			return invalidf("vhid must be between 1 and 255.")
		}
		o.VHID = uint8(n)
	case optPass:
		o.Password, o.PassFile = arg, ""
	case optPassFile:
		pw, err := readPassFile(arg, env)
		if err != nil {
			return err
		}
		o.Password, o.PassFile = pw, arg
	case optPreempt:
		o.Preempt = true
	case optNeutral:
		o.Neutral = true
	case optAddr:
		p, err := parseIPv4(opt, arg)
		if err != nil {
			return err
		}
		o.VIP = p
	case optAdvBase:
		n, err := parseRange(opt, arg, 0, 254, "255 together with advskew 255 is how a ucarp master says it is leaving")
		if err != nil {
			return err
		}
		o.AdvBase = n
	case optAdvSkew:
		n, err := parseRange(opt, arg, 0, 254, "255 together with advbase 255 is how a ucarp master says it is leaving; 254 ranks the same against every other value")
		if err != nil {
			return err
		}
		o.AdvSkew = n
	case optUpScript:
		o.UpScript = arg
	case optDownScript:
		o.DownScript = arg
	case optDeadRatio:
		n, err := parseNumber(arg)
		switch {
		case err != nil:
			return invalidf("%s: %q is not a number", opt.name, arg)
		case n == 0:
			return invalidf("Dead ratio can't be zero")
		case n > 255:
			return invalidf("%s: %d is more than vipd's 255 advert intervals", opt.name, n)
		}
		o.DeadRatio = int(n)
	case optDebug:
		o.Debug = true
	case optShutdown:
		o.Shutdown = true
	case optFacility:
		o.facility(arg)
	case optDaemonize:
		o.Daemonize = true
	case optIgnoreIfState:
		o.IgnoreIfState = true
	case optNoMcast:
		o.NoMcast = true
	case optXParam:
		o.XParam = arg
		if arg == "" {
			// ucarp execs the scripts with an empty fourth argument; a vipd
			// hook has no way to say "an empty xparam" apart from none.
			o.note("-x", "an empty parameter is not passed to the scripts (ucarp passes an empty argument)")
		} else {
			o.Notes = slices.DeleteFunc(o.Notes, func(n Note) bool { return n.Option == "-x" })
		}
	case optVipdPeer:
		a, err := parseIPv4(opt, arg)
		if err != nil {
			return err
		}
		if a.Bits() != 32 {
			return invalidf("%s %s: a peer is an address, not a prefix", opt.name, arg)
		}
		if !slices.Contains(o.Peers, a.Addr()) {
			o.Peers = append(o.Peers, a.Addr())
		}
	case optVipdHookTimeout:
		d, err := time.ParseDuration(arg)
		if err != nil || d <= 0 {
			return invalidf("%s: %q is not a positive duration such as 30s or 5m", opt.name, arg)
		}
		o.HookTimeout = d
	case optVipdDir:
		if arg == "" {
			return invalidf("%s: the directory is empty", opt.name)
		}
		o.RunDir = arg
	default:
		panic(fmt.Sprintf("ucarpcli: option %s has no handler", opt.name))
	}
	return nil
}

// parseIPv4 reads an IPv4 address as ucarp 1.5.2's inet_pton does, or an
// address/prefix as later ucarp versions also accept.
func parseIPv4(opt option, s string) (netip.Prefix, error) {
	if strings.HasPrefix(s, "[") || strings.Contains(s, ":") {
		return netip.Prefix{}, invalidf("%s %s: ucarp and vipd's carp are IPv4 only (an IPv6 group needs a vipd configuration with protocol: vrrp3)", opt.name, s)
	}
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil || !p.Addr().Is4() {
			return netip.Prefix{}, invalidf("Invalid address: [%s]", s)
		}
		return p, nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is4() {
		return netip.Prefix{}, invalidf("Invalid address: [%s]", s)
	}
	return netip.PrefixFrom(a, 32), nil
}

// parseNumber reads an unsigned number as ucarp's strtoul(s, NULL, 0) does
// (decimal, 0x hex, 0 octal, surrounding blanks), but refuses what strtoul
// would quietly read as something else: trailing text, signs, nothing.
func parseNumber(s string) (uint64, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "_") || len(s) > 1 && s[0] == '0' && strings.ContainsRune("bBoO", rune(s[1])) {
		return 0, strconv.ErrSyntax // Go's spellings, not strtoul's
	}
	return strconv.ParseUint(s, 0, 64)
}

// parseRange reads a number in [lo, hi]; why explains values above hi that
// ucarp takes.
func parseRange(opt option, s string, lo, hi uint64, why string) (int, error) {
	n, err := parseNumber(s)
	switch {
	case err != nil:
		return 0, invalidf("%s: %q is not a number", opt.name, s)
	case n < lo || n > hi:
		msg := fmt.Sprintf("%s: %d is out of vipd's range %d-%d", opt.name, n, lo, hi)
		if n == hi+1 {
			msg += ": " + why
		}
		return 0, invalidf("%s", msg)
	}
	return int(n), nil
}

// facilities are the syslog facility names ucarp accepts (glibc's
// facilitynames, compared without case).
var facilities = []string{
	"auth", "authpriv", "cron", "daemon", "ftp", "kern", "lpr", "mail", "mark", "news",
	"security", "syslog", "user", "uucp", "local0", "local1", "local2", "local3",
	"local4", "local5", "local6", "local7",
}

// facility records -f as ucarp does: an unknown name is reported and the
// setting kept as it was.
func (o *Options) facility(name string) {
	lower := strings.ToLower(name)
	switch {
	case lower == "none" || slices.Contains(facilities, lower):
		o.Facility = lower
	default:
		o.note("-f", "Unknown syslog facility: [%s]; keeping %s", name, o.Facility)
	}
}

// note records a difference from ucarp, once per option.
func (o *Options) note(opt, format string, args ...any) {
	o.Notes = slices.DeleteFunc(o.Notes, func(n Note) bool { return n.Option == opt })
	o.Notes = append(o.Notes, Note{Option: opt, Text: fmt.Sprintf(format, args...)})
}
