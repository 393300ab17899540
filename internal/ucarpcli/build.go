package ucarpcli

import (
	"fmt"
	"io/fs"
	"net/netip"
	"path/filepath"

	"go.yaml.in/yaml/v3"

	"github.com/vipd/vipd/internal/config"
)

// Source is the name of the configuration vipd ucarp builds, in messages
// where a file name would be ("(ucarp command line): groups[0].id: ...").
const Source = "(ucarp command line)"

// Target says what a configuration is built for.
type Target uint8

const (
	// ForDaemon is the configuration `vipd ucarp` runs: a control socket
	// and state file of its own, so that several can run side by side, and
	// the password inline (read from -o at start, as ucarp does).
	ForDaemon Target = iota
	// ForFile is a configuration file for `vipd run` (`vipd import
	// ucarp`): vipd's default paths, and -o as password_file.
	ForFile
)

// BuildOptions are what Build needs besides the options.
type BuildOptions struct {
	// Target is what the configuration is for.
	Target Target
	// Dir is the directory relative script paths are taken from: the
	// working directory ucarp would have run them from.
	Dir string
	// InterfaceOf returns the link that holds an address, for a command
	// line without -i. Nil refuses such command lines.
	InterfaceOf func(netip.Addr) (string, error)
	// Stat looks at a -o file for ForFile. Nil means os.Stat.
	Stat func(name string) (fs.FileInfo, error)
}

// Result is a command line turned into a vipd configuration.
type Result struct {
	// YAML is the configuration as a file would hold it.
	YAML []byte
	// Config is YAML parsed and validated by config.Parse; its Warnings
	// end with the Notes, as warnings of Source.
	Config *config.Config
	// Notes are the ways vipd will behave differently from ucarp with
	// these options, one per option concerned.
	Notes []Note
}

// Build turns checked options (see Check) into a configuration with one
// CARP group:
//
//	-i             interface (default: the link holding -s)
//	-s             source
//	-v             id
//	-p, -o         password (ForFile: password_file for -o)
//	-a             vips: the address, /32 unless -a gave a prefix
//	-b, -k         advbase, advskew
//	-r             down_adverts
//	-P             preempt: true; without it false, as ucarp (vipd's default is true)
//	-u             hooks.on_master
//	-d             hooks.on_backup and hooks.on_fault, filtered (see hooksFor)
//	-n             the filter skips the start
//	-z             hooks.on_stop: the down script, when stopping as master
//	-x             hooks.xparam, with hooks.ucarp_args: true (always on)
//	-D             log.level: debug
//	--vipd-peer    peers; -M needs them
//	--vipd-dir     state_file and control_socket in that directory
//	-f             note: logs go to stderr in the foreground
//	-S             track_link: false
//	-B, -h         handled by the caller
//
// The YAML goes through config.Parse, so every rule of a configuration
// file applies.
func Build(o *Options, bo BuildOptions) (*Result, error) {
	notes := append([]Note(nil), o.Notes...)
	iface := o.Interface
	if iface == "" {
		if bo.InterfaceOf == nil {
			return nil, invalidf("You must supply a network interface")
		}
		var err error
		if iface, err = bo.InterfaceOf(o.SrcIP); err != nil {
			return nil, invalidf("You must supply a network interface (none was given and no interface holds %s: %v)", o.SrcIP, err)
		}
		notes = append(notes, Note{"-i", fmt.Sprintf("not given: using %s, which holds %s (ucarp would take pcap's default device)", iface, o.SrcIP)})
	}
	name := groupName(iface, o.VHID)

	top := mapping()
	if o.Debug {
		lg := mapping()
		add(lg, "level", str("debug"))
		add(top, "log", lg)
	}
	switch {
	case o.RunDir != "":
		dir := absPath(o.RunDir, bo.Dir)
		add(top, "state_file", str(filepath.Join(dir, name+".json")))
		add(top, "control_socket", str(filepath.Join(dir, name+".sock")))
	case bo.Target == ForDaemon:
		add(top, "state_file", str("/var/lib/vipd/"+name+".json"))
		add(top, "control_socket", str("/run/vipd/"+name+".sock"))
	}
	g := mapping()
	add(g, "name", str(name))
	add(g, "interface", str(iface))
	if o.IgnoreIfState {
		add(g, "track_link", boolean(false))
	}
	add(g, "protocol", str("carp"))
	add(g, "id", num(int(o.VHID)))
	add(g, "advbase", num(o.AdvBase))
	add(g, "advskew", num(o.AdvSkew))
	add(g, "down_adverts", num(o.DeadRatio))
	vip := o.VIP.String()
	if o.VIP.Bits() == 32 {
		vip = o.VIP.Addr().String()
	}
	add(g, "vips", flow(vip))
	add(g, "source", str(o.SrcIP.String()))
	add(g, "preempt", boolean(o.Preempt))
	pw, pwNote := o.passwordNode(bo)
	add(g, pw.key, pw.val)
	if pwNote != nil {
		notes = append(notes, *pwNote)
	}
	if len(o.Peers) > 0 {
		peers := make([]string, len(o.Peers))
		for i, p := range o.Peers {
			peers[i] = p.String()
		}
		add(g, "peers", flow(peers...))
	}
	hk := add(g, "hooks", o.hooksNode(bo.Dir))
	if bo.Target == ForFile && o.DownScript != "" {
		hk.HeadComment = "The down script runs through /bin/sh only to skip the transitions ucarp\n" +
			"does not run it on (see docs/migrate-from-ucarp.md); without that filter\n" +
			"it would also run on each link flap."
	}
	groups := &yaml.Node{Kind: yaml.SequenceNode}
	groups.Content = append(groups.Content, g)
	add(top, "groups", groups)

	for _, n := range o.differences() {
		notes = mergeNote(notes, n)
	}
	data := encode(top, header(bo.Target))
	cfg, err := config.Parse(Source, data)
	if err != nil {
		return nil, invalidf("%v", err)
	}
	for _, n := range notes {
		cfg.Warnings = append(cfg.Warnings, config.Warning{File: Source, Path: n.Option, Reason: n.Text})
	}
	return &Result{YAML: data, Config: cfg, Notes: notes}, nil
}

func header(t Target) string {
	if t == ForDaemon {
		return "vipd ucarp: the configuration of this command line"
	}
	return "vipd configuration converted from a ucarp command line by vipd import ucarp.\n" +
		"Install it as /etc/vipd/vipd.yaml (several ucarp instances: one file, one\n" +
		"group each), check it with vipd check, and start vipd run."
}

// hooksNode maps the scripts; ucarp_args is always on, so hooks are called
// as ucarp calls its scripts.
func (o *Options) hooksNode(dir string) *yaml.Node {
	sh := o.hooksFor(dir)
	m := mapping()
	for _, h := range []struct {
		key  string
		argv []string
	}{
		{"on_master", sh.onMaster}, {"on_backup", sh.onBackup}, {"on_fault", sh.onFault}, {"on_stop", sh.onStop},
	} {
		if h.argv != nil {
			add(m, h.key, flow(h.argv...))
		}
	}
	if o.HookTimeout > 0 {
		add(m, "timeout", dur(o.HookTimeout))
	}
	add(m, "ucarp_args", boolean(true))
	if o.XParam != "" {
		add(m, "xparam", str(o.XParam))
	}
	return m
}
