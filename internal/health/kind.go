package health

// Kind is what a check probes.
type Kind uint8

// The kinds of check.
const (
	// KindPing sends one ICMP or ICMPv6 echo request and waits for the reply.
	KindPing Kind = iota + 1
	// KindARP sends one ARP request for an IPv4 address on a link and
	// waits for the reply: the classic split-brain guard, aimed at the
	// gateway.
	KindARP
	// KindTCP opens a TCP connection and closes it.
	KindTCP
	// KindHTTP makes an HTTP request and checks the status and, optionally,
	// the body.
	KindHTTP
	// KindHTTPS is KindHTTP over TLS, certificates verified by default.
	KindHTTPS
	// KindExec runs a program: exit status 0 is healthy.
	KindExec
)

var kindNames = [...]string{"", "ping", "arp", "tcp", "http", "https", "exec"}

// String returns the kind as the configuration writes it.
func (k Kind) String() string {
	if k != 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}
