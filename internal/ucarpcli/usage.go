package ucarpcli

// Usage is what `vipd ucarp --help` prints: ucarp 1.5.2's option summary,
// then vipd's additions.
const Usage = `vipd ucarp - ucarp 1.5.2's command line, run by vipd

--interface=<if> (-i <if>): bind interface <if>
--srcip=<ip> (-s <ip>): source (real) IP address of that host
--mcastip=<ip>: multicast group IP address (224.0.0.18, the only one vipd uses)
--vhid=<id> (-v <id>): virtual IP identifier (1-255)
--pass=<pass> (-p <pass>): password
--passfile=<file> (-o <file>): read password from file
--preempt (-P): becomes a master as soon as possible
--neutral (-n): don't run downscript at start if backup
--addr=<ip> (-a <ip>): virtual shared IP address
--help (-h): summary of command-line options
--advbase=<seconds> (-b <seconds>): advertisement frequency
--advskew=<skew> (-k <skew>): advertisement skew (0-254)
--upscript=<file> (-u <file>): run <file> to become a master
--downscript=<file> (-d <file>): run <file> to become a backup
--deadratio=<ratio> (-r <ratio>): ratio to consider a host as dead
--debug (-D): enable debug output
--shutdown (-z): call shutdown script at exit
--daemonize (-B): run in background
--ignoreifstate (-S): ignore unplugged network cables
--nomcast (-M): no multicast: needs --vipd-peer (vipd cannot broadcast)
--facility=<facility> (-f): set syslog facility (default=daemon), used with -B
--xparam=<value> (-x): extra parameter to send to up/down scripts

vipd's own options (written in full):
--vipd-peer=<ip>: send adverts by unicast to <ip> instead of multicast
                  (once per other host; every host must then run vipd)
--vipd-hook-timeout=<duration>: kill a script still running after this
                  (default 30s; ucarp waits for its scripts forever)
--vipd-dir=<dir>: keep the control socket and state file in <dir>
                  (default /run/vipd and /var/lib/vipd)

Sample usage:

vipd ucarp --interface=eth0 --srcip=10.1.1.1 --vhid=1 --pass=mypassword \
      --addr=10.1.1.252 \
      --upscript=/etc/vip-up.sh --downscript=/etc/vip-down.sh

vipd adds and removes the address itself (as 10.1.1.252/32, with a short
kernel lifetime while it is master) and also runs the scripts as ucarp does.
SIGTERM, SIGINT, SIGQUIT and SIGHUP stop vipd as they stop ucarp, after it
hands the address to a backup; SIGUSR1 logs the state; SIGUSR2 steps down.
vipd import ucarp [options] prints the same settings as a vipd.yaml.
See docs/migrate-from-ucarp.md for every difference.
`
