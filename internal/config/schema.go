package config

// The keys of each mapping, in the order of docs/config.md, and the names
// other programs use for them, so that an unknown key can be answered with
// "did you mean".

var topSection = section{
	keys: []string{"node", "log", "state_file", "control_socket", "http", "groups"},
	hints: map[string]string{
		"group": "groups", "vrrp_instance": "groups", "instances": "groups",
		"hostname": "node", "router_id": "node", "name": "node",
		"logging": "log", "statefile": "state_file", "state": "state_file",
		"socket": "control_socket", "control": "control_socket",
		"metrics": "http", "listen": "http.listen", "status": "http",
	},
	extensions: true,
}

var logSection = section{
	keys:  []string{"format", "level"},
	hints: map[string]string{"json": "format: json", "debug": "level: debug", "verbose": "level: debug"},
}

var httpSection = section{
	keys:  []string{"listen"},
	hints: map[string]string{"address": "listen", "addr": "listen", "port": "listen: host:port"},
}

var groupSection = section{
	keys: []string{
		"name", "interface", "track_link", "protocol", "id", "priority", "advbase", "advskew",
		"interval", "down_adverts", "adverts_per_interval", "vips", "source", "preempt", "preempt_delay",
		"resign_skew", "password", "password_file", "peers", "vrrp3_checksum",
		"address_lifetime", "announce", "hooks", "checks",
	},
	hints: map[string]string{
		// keepalived
		"virtual_router_id": "id", "advert_int": "interval", "virtual_ipaddress": "vips",
		"unicast_peer": "peers", "unicast_src_ip": "source", "auth_pass": "password",
		"authentication": "password", "auth_type": "password",
		"nopreempt": "preempt: false", "down_timer_adverts": "down_adverts",
		"notify_master": "hooks.on_master", "notify_backup": "hooks.on_backup",
		"notify_fault": "hooks.on_fault", "notify_stop": "hooks.on_stop", "notify": "hooks.on_change",
		"garp_master_repeat": "announce.repeats", "garp_master_refresh": "announce.refresh",
		"garp_interval": "announce.spacing", "garp_master_delay": "announce.spacing",
		"version": "protocol", "vrrp_version": "protocol", "state": "priority", "dont_track_primary": "track_link: false",
		"v3_checksum_as_v2": "vrrp3_checksum: no-pseudo-header", "old_unicast_checksum": "vrrp3_checksum: group-pseudo-header",
		// ucarp
		"vhid": "id", "pass": "password", "passfile": "password_file", "addr": "vips",
		"srcip": "source", "deadratio": "down_adverts", "upscript": "hooks.on_master",
		"downscript": "hooks.on_backup", "xparam": "hooks.xparam", "ignoreifstate": "track_link: false",
		// slips
		"vrid": "id", "vip": "vips", "ip": "vips", "address": "vips", "addresses": "vips", "ips": "vips",
		"peer": "peers", "unicast_peers": "peers", "iface": "interface", "dev": "interface",
		"device": "interface", "link": "interface", "proto": "protocol", "prio": "priority",
		"src": "source", "checksum": "vrrp3_checksum", "lifetime": "address_lifetime",
		"garp": "announce", "ucarp_args": "hooks.ucarp_args", "timeout": "hooks.timeout",
		"on_master": "hooks.on_master", "on_backup": "hooks.on_backup", "on_fault": "hooks.on_fault",
		"on_stop": "hooks.on_stop", "on_change": "hooks.on_change", "secret": "password",
		"track_script": "checks", "vrrp_script": "checks",
		"check": "checks", "health": "checks", "healthchecks": "checks", "health_checks": "checks",
		"monitor": "checks", "monitors": "checks",
	},
}

var checkSection = section{
	keys: []string{
		"name", "kind", "target", "interface", "address", "url", "method", "status", "body",
		"ca_file", "insecure_skip_verify", "argv", "interval", "timeout", "rise", "fall",
		"fault", "weight",
	},
	hints: map[string]string{
		"type": "kind", "check": "kind", "script": "argv", "command": "argv", "cmd": "argv",
		"exec": "argv", "program": "argv", "host": "target or address", "ip": "target",
		"addr": "address", "port": "address: host:port", "connect_port": "address: host:port",
		"connect_ip": "address", "path": "url", "uri": "url", "status_code": "status",
		"status_codes": "status", "code": "status", "expect": "body", "regex": "body",
		"pattern": "body", "match": "body", "ca": "ca_file", "cacert": "ca_file",
		"ca_cert": "ca_file", "insecure": "insecure_skip_verify", "verify": "insecure_skip_verify",
		"every": "interval", "delay": "interval", "iface": "interface", "dev": "interface",
		"device": "interface", "link": "interface", "priority": "weight",
	},
}

var announceSection = section{
	keys:  []string{"repeats", "spacing", "refresh"},
	hints: map[string]string{"repeat": "repeats", "count": "repeats", "interval": "spacing", "delay": "spacing"},
}

var hooksSection = section{
	keys: []string{"on_master", "on_backup", "on_fault", "on_stop", "on_change", "timeout", "ucarp_args", "xparam"},
	hints: map[string]string{
		"master": "on_master", "backup": "on_backup", "fault": "on_fault", "stop": "on_stop",
		"change": "on_change", "up": "on_master", "down": "on_backup",
		"notify_master": "on_master", "notify_backup": "on_backup", "notify_fault": "on_fault",
		"notify_stop": "on_stop", "notify": "on_change", "upscript": "on_master", "downscript": "on_backup",
	},
}
