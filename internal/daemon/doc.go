// Package daemon is vipd's composition root: it turns a validated
// configuration into running groups with the real Linux implementations,
// each with its health monitor beside its loop, the hook runner and the
// control socket, and applies reloads and the graceful stop. It tells
// systemd when it is ready, reloading and stopping, and pings systemd's
// watchdog while every group's loop answers. It is the only package that
// knows which concrete implementations exist.
package daemon
