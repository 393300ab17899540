package lab

import (
	"encoding/binary"
	"errors"
)

// ProbePort is the UDP port every host's responder answers on.
const ProbePort = 7777

// The probe datagram, client to VIP (16 bytes):
//
//	0-3   magic "vlp1"
//	4     kind: 0 = stream probe (routed normally), 1 = sweep probe (sent
//	      to one host's MAC address directly)
//	5     target: index of the probed VIP
//	6     host: for a sweep probe, index of the host whose MAC it was sent to
//	7     reserved, 0
//	8-15  sequence number, big-endian, per target and kind
//
// A reply is the probe's 16 bytes followed by the answering host's name.
const probeLen = 16

var probeMagic = [4]byte{'v', 'l', 'p', '1'}

// Probe kinds.
const (
	kindStream = 0
	kindSweep  = 1
)

// probe is one decoded probe or reply.
type probe struct {
	kind   byte
	target byte
	host   byte
	seq    uint64
	// from is the answering host's name (replies only).
	from string
}

// errNotProbe says a datagram is not a lab probe.
var errNotProbe = errors.New("lab: not a probe")

// appendProbe appends p's 16-byte probe encoding to b.
func appendProbe(b []byte, p probe) []byte {
	b = append(b, probeMagic[:]...)
	b = append(b, p.kind, p.target, p.host, 0)
	return binary.BigEndian.AppendUint64(b, p.seq)
}

// parseProbe decodes a probe or a reply (whose name follows the probe).
func parseProbe(b []byte) (probe, error) {
	if len(b) < probeLen || [4]byte(b[:4]) != probeMagic {
		return probe{}, errNotProbe
	}
	return probe{kind: b[4], target: b[5], host: b[6], seq: binary.BigEndian.Uint64(b[8:16]), from: string(b[probeLen:])}, nil
}
