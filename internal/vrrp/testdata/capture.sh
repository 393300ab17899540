#!/usr/bin/env bash
# Captures VRRP adverts from the real keepalived for the golden files in this
# directory. Run as root on a machine with keepalived and tcpdump installed:
#
#   internal/vrrp/testdata/capture.sh OUTDIR
#   ONLY='^v3-' internal/vrrp/testdata/capture.sh OUTDIR   (a subset, by regexp)
#
# For each scenario it builds two throwaway network namespaces
# (vipdcap-vrrp-a, vipdcap-vrrp-b) joined by a veth pair and linked to nothing
# else (no default route, addresses only from 192.0.2.0/24 and 2001:db8::/32
# plus the automatic fe80:: ones), runs keepalived (or, for the ucarp
# scenario, ucarp) in the first, captures protocol 112 with tcpdump in the
# second, stops the daemon by its pid with SIGTERM, so that the priority-0
# advert keepalived sends on leaving is captured too, and deletes both
# namespaces. OUTDIR receives per scenario the config, the daemon's log, the
# pcap and its `tcpdump -n -v -xx` text.
#
# Each golden file NAME.txt in this directory is one packet cut from that
# text: the first advert sent as master, or the priority-0 one for *-resign.
# It holds a provenance line, the tcpdump summary and the config as comments,
# then the Ethernet header (eth), the IP header (ip), the packet's source and
# destination (src, dst) and the VRRP message (vrrp), as hex. golden_test.go
# checks each against its own IP header.
set -euo pipefail

out=${1:?usage: capture.sh OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)

a=vipdcap-vrrp-a
b=vipdcap-vrrp-b

pids=() # daemons and captures still running, stopped by pid on exit

cleanup() {
	for pid in "${pids[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	pids=()
	ip netns del "$a" 2>/dev/null || true
	ip netns del "$b" 2>/dev/null || true
}
trap cleanup EXIT

setup() {
	cleanup
	ip netns add "$a"
	ip netns add "$b"
	ip link add va netns "$a" type veth peer name vb netns "$b"
	for ns in "$a" "$b"; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.accept_dad=0
		ip -n "$ns" link set lo up
	done
	ip netns exec "$a" sysctl -qw net.ipv6.conf.va.accept_dad=0
	ip netns exec "$b" sysctl -qw net.ipv6.conf.vb.accept_dad=0
	ip -n "$a" addr add 192.0.2.1/24 dev va
	ip -n "$a" addr add 2001:db8::1/64 dev va nodad
	ip -n "$b" addr add 192.0.2.2/24 dev vb
	ip -n "$b" addr add 2001:db8::2/64 dev vb nodad
	ip -n "$a" link set va up
	ip -n "$b" link set vb up
}

# run NAME SECONDS: runs keepalived with $out/NAME.conf (for NAME ucarp*:
# ucarp) in namespace a for SECONDS, then SIGTERM, capturing in namespace b.
run() {
	local name=$1 secs=$2
	if [[ -n ${ONLY:-} && ! $name =~ $ONLY ]]; then
		return
	fi
	setup
	ip netns exec "$b" tcpdump -i vb -n -U -w "$out/$name.pcap" 'ip proto 112 or ip6 proto 112' \
		2>"$out/$name.tcpdump.log" &
	local tpid=$!
	pids+=("$tpid")
	sleep 1
	if [[ $name == ucarp* ]]; then
		# ucarp, not keepalived: a CARP advert that VRRPv2 must refuse.
		ip netns exec "$a" ucarp --interface=va --srcip=192.0.2.1 --vhid=51 --pass=vipdpass \
			--addr=192.0.2.100 --upscript=/bin/true --downscript=/bin/true \
			>"$out/$name.ucarp.log" 2>&1 &
	else
		ip netns exec "$a" keepalived --dont-fork --log-console --log-detail --vrrp --no-syslog \
			-f "$out/$name.conf" -p "$out/$name.pid" -r "$out/$name.vrrp.pid" \
			>"$out/$name.keepalived.log" 2>&1 &
	fi
	local kpid=$!
	pids+=("$kpid")
	sleep "$secs"
	kill -TERM "$kpid"
	wait "$kpid" || true
	sleep 1
	kill -INT "$tpid"
	wait "$tpid" || true
	pids=()
	tcpdump -r "$out/$name.pcap" -n -v -xx >"$out/$name.txt" 2>/dev/null
	cleanup
}

conf() { # conf NAME: reads the config from stdin
	cat >"$out/$1.conf"
}

conf v2-noauth <<'C'
global_defs {
	router_id vipdcap
	vrrp_version 2
}
vrrp_instance v2noauth {
	state MASTER
	interface va
	virtual_router_id 51
	priority 150
	advert_int 1
	virtual_ipaddress {
		192.0.2.100/24
	}
}
C
run v2-noauth 6

conf v2-pass <<'C'
global_defs {
	router_id vipdcap
	vrrp_version 2
}
vrrp_instance v2pass {
	state MASTER
	interface va
	virtual_router_id 52
	priority 100
	advert_int 1
	authentication {
		auth_type PASS
		auth_pass s3cret
	}
	virtual_ipaddress {
		192.0.2.100/24
	}
}
C
run v2-pass 6

conf v3-ipv4 <<'C'
global_defs {
	router_id vipdcap
	vrrp_version 3
}
vrrp_instance v3ipv4 {
	state MASTER
	interface va
	virtual_router_id 53
	priority 200
	advert_int 1
	virtual_ipaddress {
		192.0.2.100/24
		192.0.2.101/24
	}
}
C
run v3-ipv4 6

conf v3-ipv6 <<'C'
global_defs {
	router_id vipdcap
	vrrp_version 3
}
vrrp_instance v3ipv6 {
	state MASTER
	interface va
	virtual_router_id 54
	priority 100
	advert_int 1
	virtual_ipaddress {
		fe80::54/64
		2001:db8::54/64
	}
}
C
run v3-ipv6 6

conf v3-ipv4-unicast <<'C'
global_defs {
	router_id vipdcap
	vrrp_version 3
}
vrrp_instance v3unicast {
	state MASTER
	interface va
	virtual_router_id 55
	priority 150
	advert_int 1
	unicast_src_ip 192.0.2.1
	unicast_peer {
		192.0.2.2
	}
	virtual_ipaddress {
		192.0.2.100/24
	}
}
C
run v3-ipv4-unicast 6

conf v3-ipv4-unicast-old <<'C'
global_defs {
	router_id vipdcap
	vrrp_version 3
}
vrrp_instance v3unicastold {
	state MASTER
	interface va
	virtual_router_id 55
	priority 150
	advert_int 1
	unicast_src_ip 192.0.2.1
	unicast_peer {
		192.0.2.2
	}
	old_unicast_checksum
	virtual_ipaddress {
		192.0.2.100/24
	}
}
C
run v3-ipv4-unicast-old 6

conf v3-ipv4-fast <<'C'
global_defs {
	router_id vipdcap
	vrrp_version 3
}
vrrp_instance v3fast {
	state MASTER
	interface va
	virtual_router_id 56
	priority 150
	advert_int 0.05
	virtual_ipaddress {
		192.0.2.100/24
	}
}
C
run v3-ipv4-fast 3

# How keepalived turns a configured interval into wire units.
conf v2-interval-1.5 <<'C'
global_defs {
	router_id vipdcap
	vrrp_version 2
}
vrrp_instance v2round {
	state MASTER
	interface va
	virtual_router_id 57
	priority 150
	advert_int 1.5
	virtual_ipaddress {
		192.0.2.100/24
	}
}
C
run v2-interval-1.5 7

conf v3-interval-0.055 <<'C'
global_defs {
	router_id vipdcap
	vrrp_version 3
}
vrrp_instance v3round {
	state MASTER
	interface va
	virtual_router_id 58
	priority 150
	advert_int 0.055
	virtual_ipaddress {
		192.0.2.100/24
	}
}
C
run v3-interval-0.055 2

# What keepalived does with a PASS password longer than 8 characters.
conf v2-pass-long <<'C'
global_defs {
	router_id vipdcap
	vrrp_version 2
}
vrrp_instance v2passlong {
	state MASTER
	interface va
	virtual_router_id 59
	priority 100
	advert_int 1
	authentication {
		auth_type PASS
		auth_pass abcdefghij
	}
	virtual_ipaddress {
		192.0.2.100/24
	}
}
C
run v2-pass-long 6

# ucarp 1.5.2 on the same link: CARP shares protocol 112 and byte 0x21 with
# VRRPv2, so the VRRP decoder must recognise and refuse it.
run ucarp-vhid51 6
