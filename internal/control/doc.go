// Package control is vipd's control socket: a small JSON API over HTTP on an
// owner-only Unix socket, served by the daemon and used by the CLI
// (`vipd status`); and the opt-in HTTP listener: Prometheus `/metrics`, the
// `/status` JSON, `/healthz`, and a status page at `/` with each group's
// state and a timeline of recent transitions.
package control
