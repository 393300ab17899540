// Package daemon is vipd's composition root: it turns a validated
// configuration into running groups with the real Linux implementations,
// the hook runner and the control socket, and applies reloads and the
// graceful stop. It is the only package that knows which concrete
// implementations exist.
package daemon
