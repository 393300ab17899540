package ucarpcli

import (
	"net/netip"
	"time"
)

// Options is a ucarp command line, parsed. Zero values mean "not given".
type Options struct {
	// Interface is -i/--interface: the link to run on. Empty means the link
	// that holds SrcIP (ucarp takes pcap's default device instead).
	Interface string
	// SrcIP is -s/--srcip, this host's own address (required).
	SrcIP netip.Addr
	// McastIP is --mcastip; vipd accepts only 224.0.0.18.
	McastIP netip.Addr
	// VHID is -v/--vhid, 1-255 (required).
	VHID uint8
	// Password is from -p/--pass or the first line of -o/--passfile,
	// whichever came last (required).
	Password string
	// PassFile is the -o/--passfile the password was read from, or "" when
	// -p came last.
	PassFile string
	// Preempt is -P/--preempt.
	Preempt bool
	// Neutral is -n/--neutral: no down script when starting as backup.
	Neutral bool
	// VIP is -a/--addr (required). ucarp 1.5.2 takes an address; an
	// address/prefix as later ucarp versions take is accepted too. A bare
	// address gets /32.
	VIP netip.Prefix
	// AdvBase is -b/--advbase in seconds (default 1).
	AdvBase int
	// AdvSkew is -k/--advskew in 1/256 s (default 0).
	AdvSkew int
	// UpScript and DownScript are -u/--upscript and -d/--downscript.
	UpScript, DownScript string
	// DeadRatio is -r/--deadratio (default 3).
	DeadRatio int
	// Debug is -D/--debug.
	Debug bool
	// Shutdown is -z/--shutdown: run the down script at exit.
	Shutdown bool
	// Daemonize is -B/--daemonize.
	Daemonize bool
	// IgnoreIfState is -S/--ignoreifstate.
	IgnoreIfState bool
	// NoMcast is -M/--nomcast (broadcast adverts).
	NoMcast bool
	// Facility is -f/--facility, the syslog facility ("daemon" unless
	// given; "none" turns syslog off).
	Facility string
	// XParam is -x/--xparam, passed to the scripts after the address.
	XParam string
	// Help is -h/--help: print the usage and do nothing else.
	Help bool

	// Peers are vipd's --vipd-peer addresses: unicast adverts instead of
	// multicast (vipd's replacement for -M).
	Peers []netip.Addr
	// HookTimeout is vipd's --vipd-hook-timeout (0: vipd's default).
	HookTimeout time.Duration
	// RunDir is vipd's --vipd-dir: the directory of the control socket and
	// state file, instead of /run/vipd and /var/lib/vipd ("": those).
	RunDir string

	// Operands are the words that are not options, which ucarp ignores.
	Operands []string
	// Notes are what vipd does differently from ucarp with these options,
	// at most one per option.
	Notes []Note
}

// Note is something vipd does differently from ucarp with an option.
type Note struct {
	// Option names the option: "-M", "-f", or "arguments".
	Option string
	// Text says what vipd does, lower-case.
	Text string
}

// String returns "OPTION: TEXT".
func (n Note) String() string { return n.Option + ": " + n.Text }

// Defaults of ucarp 1.5.2.
const (
	defaultAdvBase   = 1
	defaultAdvSkew   = 0
	defaultDeadRatio = 3
	defaultFacility  = "daemon"
	// carpGroup is the one multicast group vipd sends CARP adverts to.
	carpGroup = "224.0.0.18"
)

type optID uint8

const (
	optInterface optID = iota + 1
	optSrcIP
	optMcastIP
	optVHID
	optPass
	optPreempt
	optNeutral
	optAddr
	optHelp
	optAdvBase
	optAdvSkew
	optUpScript
	optDownScript
	optDeadRatio
	optDebug
	optShutdown
	optFacility
	optDaemonize
	optIgnoreIfState
	optNoMcast
	optPassFile
	optXParam
	optVipdPeer
	optVipdHookTimeout
	optVipdDir
)

// specs are ucarp 1.5.2's options (short string "i:s:v:p:Pa:hb:k:x:nu:d:Dr:zf:Bo:SM",
// long options in the order of its long_options table, which getopt_long
// lists ambiguous abbreviations in), then vipd's own. ucarp's usage lists
// -m for --mcastip, but -m is not in its short options: "ucarp -m" is an
// invalid option.
var specs = []optSpec{
	{id: optInterface, short: 'i', long: "interface", hasArg: true},
	{id: optSrcIP, short: 's', long: "srcip", hasArg: true},
	{id: optMcastIP, long: "mcastip", hasArg: true},
	{id: optVHID, short: 'v', long: "vhid", hasArg: true},
	{id: optPass, short: 'p', long: "pass", hasArg: true},
	{id: optPreempt, short: 'P', long: "preempt"},
	{id: optNeutral, short: 'n', long: "neutral"},
	{id: optAddr, short: 'a', long: "addr", hasArg: true},
	{id: optHelp, short: 'h', long: "help"},
	{id: optAdvBase, short: 'b', long: "advbase", hasArg: true},
	{id: optAdvSkew, short: 'k', long: "advskew", hasArg: true},
	{id: optUpScript, short: 'u', long: "upscript", hasArg: true},
	{id: optDownScript, short: 'd', long: "downscript", hasArg: true},
	{id: optDeadRatio, short: 'r', long: "deadratio", hasArg: true},
	{id: optDebug, short: 'D', long: "debug"},
	{id: optShutdown, short: 'z', long: "shutdown"},
	{id: optFacility, short: 'f', long: "facility", hasArg: true},
	{id: optDaemonize, short: 'B', long: "daemonize"},
	{id: optIgnoreIfState, short: 'S', long: "ignoreifstate"},
	{id: optNoMcast, short: 'M', long: "nomcast"},
	{id: optPassFile, short: 'o', long: "passfile", hasArg: true},
	{id: optXParam, short: 'x', long: "xparam", hasArg: true},
	{id: optVipdPeer, long: "vipd-peer", hasArg: true, exact: true},
	{id: optVipdHookTimeout, long: "vipd-hook-timeout", hasArg: true, exact: true},
	{id: optVipdDir, long: "vipd-dir", hasArg: true, exact: true},
}

// Env is what Parse needs from the system, so that tests can replace it.
type Env struct {
	// ReadFile reads a -o/--passfile. Nil means os.ReadFile.
	ReadFile func(name string) ([]byte, error)
}

// Parse reads a ucarp command line (without the program name). Options are
// applied in order and the first bad one is reported as an *Error, as ucarp
// does; -h stops at once with Options.Help set. Parse does not check that
// the required options are present: Check does, after it.
func Parse(args []string, env Env) (*Options, error) {
	o := &Options{AdvBase: defaultAdvBase, AdvSkew: defaultAdvSkew, DeadRatio: defaultDeadRatio, Facility: defaultFacility}
	sc := newScanner(specs, args)
	for {
		opt, ok, err := sc.scan()
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		if err := o.apply(opt, env); err != nil {
			return nil, err
		}
		if o.Help {
			return o, nil
		}
	}
	o.Operands = sc.operands
	if len(o.Operands) > 0 {
		o.note("arguments", "ignored as ucarp ignores them: %q", o.Operands)
	}
	return o, nil
}
