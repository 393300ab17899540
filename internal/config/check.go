package config

import (
	"net/netip"
	"slices"
	"strconv"
	"time"
)

// Health check defaults (YAML groups[].checks[]).
const (
	DefaultCheckInterval = 2 * time.Second
	// DefaultCheckTimeout is the timeout of a check at the default
	// interval; a shorter interval halves it (see Check.Timeout).
	DefaultCheckTimeout = time.Second
	DefaultCheckRise    = 2 // as HAProxy
	DefaultCheckFall    = 3 // as HAProxy
	DefaultCheckMethod  = "GET"
)

// MinCheckInterval is the shortest interval of a check.
const MinCheckInterval = 100 * time.Millisecond

// DefaultCheckStatus is the status codes an HTTP check accepts by default:
// success and redirection (redirects are not followed).
var DefaultCheckStatus = []StatusRange{{200, 399}}

// CheckKind is what a health check probes (YAML checks[].kind).
type CheckKind uint8

// The check kinds.
const (
	// CheckPing sends an ICMP (IPv4) or ICMPv6 echo request to Target.
	CheckPing CheckKind = iota + 1
	// CheckARP asks for Target, an IPv4 address, with ARP on Interface.
	CheckARP
	// CheckTCP connects to Address.
	CheckTCP
	// CheckHTTP requests URL over HTTP.
	CheckHTTP
	// CheckHTTPS requests URL over HTTPS.
	CheckHTTPS
	// CheckExec runs Argv.
	CheckExec
)

var checkKindNames = []string{"", "ping", "arp", "tcp", "http", "https", "exec"}

// String returns the kind as the file writes it.
func (k CheckKind) String() string {
	if int(k) < len(checkKindNames) && k != 0 {
		return checkKindNames[k]
	}
	return "unknown"
}

// StatusRange is an inclusive range of HTTP status codes, 100-599.
type StatusRange struct{ Lo, Hi int }

// String writes "200" or "200-299".
func (r StatusRange) String() string {
	if r.Lo == r.Hi {
		return strconv.Itoa(r.Lo)
	}
	return strconv.Itoa(r.Lo) + "-" + strconv.Itoa(r.Hi)
}

// Check is one health check of a group (YAML groups[].checks[]). Fields
// that do not apply to its Kind hold their zero value.
type Check struct {
	// Name identifies the check in logs, events and metrics (YAML name,
	// required): 1-63 of a-z, 0-9, '_' and '-', unique in the group.
	Name string
	// Kind is what the check probes (YAML kind, required).
	Kind CheckKind
	// Target is the address pinged or asked for with ARP (YAML target;
	// ping: IPv4 or IPv6, arp: IPv4).
	Target netip.Addr
	// Interface is the link of an ARP check (YAML interface, default the
	// group's), or the link a ping goes out on (YAML interface: default
	// none, the routing table decides, except that a link-local target
	// gets the group's).
	Interface string
	// Address is the host:port a TCP check connects to (YAML address).
	Address string
	// URL is what an HTTP(S) check requests: http:// for http, https://
	// for https (YAML url).
	URL string
	// Method is the HTTP request method (YAML method: GET, HEAD or POST,
	// default GET).
	Method string
	// Status are the accepted HTTP status codes (YAML status, default
	// 200-399).
	Status []StatusRange
	// Body, if set, is a regular expression (RE2 syntax, validated) that
	// the first 1 MiB of the response body must match (YAML body).
	Body string
	// CAFile names a PEM file of the authorities trusted for an HTTPS
	// check instead of the system's (YAML ca_file). Load checks that it
	// holds a certificate.
	CAFile string
	// InsecureSkipVerify accepts any certificate (YAML
	// insecure_skip_verify, default false; warns).
	InsecureSkipVerify bool
	// Argv is the program an exec check runs and its arguments (YAML
	// argv): exit status 0 is healthy.
	Argv []string
	// Interval is the time between the starts of two probes (YAML
	// interval, 100ms-24h, default 2s).
	Interval time.Duration
	// Timeout ends a probe as failed; shorter than Interval (YAML timeout,
	// default 1s, or half the interval if that is shorter).
	Timeout time.Duration
	// Rise is how many passed probes in a row make a failing check healthy
	// (YAML rise, 1-255, default 2).
	Rise int
	// Fall is how many failed probes in a row make a healthy check failing
	// (YAML fall, 1-255, default 3).
	Fall int
	// Fault puts the group in Fault while the check fails (YAML fault,
	// the default effect). Exactly one of Fault and Weight is set.
	Fault bool
	// Weight moves the priority as keepalived's weight does (YAML weight,
	// -254 to 254, not 0): a positive weight is added while the check is
	// healthy, a negative one while it fails. On CARP groups a step of
	// weight is a step of advskew the other way.
	Weight int
}

// equal reports whether c and o are the same check.
func (c *Check) equal(o *Check) bool {
	return c.Name == o.Name && c.Kind == o.Kind && c.Target == o.Target && c.Interface == o.Interface &&
		c.Address == o.Address && c.URL == o.URL && c.Method == o.Method &&
		slices.Equal(c.Status, o.Status) && c.Body == o.Body && c.CAFile == o.CAFile &&
		c.InsecureSkipVerify == o.InsecureSkipVerify && slices.Equal(c.Argv, o.Argv) &&
		c.Interval == o.Interval && c.Timeout == o.Timeout && c.Rise == o.Rise && c.Fall == o.Fall &&
		c.Fault == o.Fault && c.Weight == o.Weight
}
