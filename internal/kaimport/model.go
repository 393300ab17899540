package kaimport

import (
	"fmt"
	"math"
	"net/netip"
	"strconv"
	"time"
)

// The parts of keepalived.conf that Import carries over, as read.

// globals are the global_defs that matter to vipd.
type globals struct {
	routerID    string
	routerIDPos Pos
	version     int // vrrp_version, 0 if not set (keepalived: 2)
	versionPos  Pos
	downAdverts int           // vrrp_down_timer_adverts
	garpRefresh time.Duration // vrrp_garp_master_refresh
	garpPos     Pos
}

// script is a vrrp_script.
type script struct {
	name     string
	pos      Pos
	argv     []string
	argvPos  Pos
	interval time.Duration // default 1s
	timeout  time.Duration // 0: not set
	weight   int
	rise     int // default 1
	fall     int // default 1
}

// track is one entry of a track_script or track_interface block.
type track struct {
	name      string
	weight    int
	hasWeight bool
	pos       Pos
}

// notifyKind is which notify keyword a command came from.
type notifyKind uint8

const (
	notifyMaster notifyKind = iota
	notifyBackup
	notifyFault
	notifyStop
	notifyAny // "notify": four extra arguments
	numNotify
)

var notifyKeywords = [numNotify]string{"notify_master", "notify_backup", "notify_fault", "notify_stop", "notify"}

// command is a script to run, as keepalived would run it.
type command struct {
	argv []string
	pos  Pos
}

// vip is one line of virtual_ipaddress.
type vip struct {
	prefix netip.Prefix
	dev    string
	pos    Pos
}

// instance is a vrrp_instance.
type instance struct {
	name          string
	pos           Pos
	state         string // MASTER, BACKUP or ""
	statePos      Pos
	iface         string
	vrid          int
	dontTrack     bool // dont_track_primary: no fault on carrier loss
	dontTrackPos  Pos
	priority      int // 0: not set
	advert        time.Duration
	advertPos     Pos
	version       int
	versionPos    Pos
	nopreempt     bool
	nopreemptPos  Pos
	preemptDelay  time.Duration
	authType      string
	authPass      string
	authPos       Pos
	vips          []vip
	source        netip.Addr
	sourcePos     Pos
	peers         []vip // prefix /32 or /128; dev unused
	trackIfaces   []track
	trackScripts  []track
	notify        [numNotify]*command
	downAdverts   int
	garpRefresh   time.Duration
	garpPos       Pos
	oldChecksum   bool
	oldChecksumAt Pos
	syncGroup     string // the vrrp_sync_group it is in, if any
	syncWeights   bool   // the sync group keeps tracking weights
}

// syncGroup is a vrrp_sync_group.
type syncGroup struct {
	name         string
	pos          Pos
	members      []string
	trackIfaces  []track
	trackScripts []track
	keepWeights  bool // sync_group_tracking_weight
}

// number reads a whole number in [lo, hi].
func number(s string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a whole number", s)
	}
	if n < lo || n > hi {
		return 0, fmt.Errorf("%d is out of range %d-%d", n, lo, hi)
	}
	return n, nil
}

// seconds reads keepalived's <TIMER>: seconds, fractions allowed, in
// [0, max].
func seconds(s string, max float64) (time.Duration, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) {
		return 0, fmt.Errorf("%q is not a number of seconds", s)
	}
	if f < 0 || f > max {
		return 0, fmt.Errorf("%s is out of range 0-%g seconds", s, max)
	}
	return time.Duration(math.Round(f * float64(time.Second))), nil
}
