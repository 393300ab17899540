// Package control is vipd's control socket: a small JSON API over HTTP on an
// owner-only Unix socket, served by the daemon and used by the CLI
// (`vipd status`).
package control
