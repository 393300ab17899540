package daemon

import (
	"fmt"
	"log/slog"
	"regexp"

	"github.com/vipd/vipd/internal/config"
	"github.com/vipd/vipd/internal/health"
)

// healthChecks builds the checkers of a group's configured checks. It reads
// the CA files of HTTPS checks, so a file replaced since `vipd check` is
// read afresh whenever the group starts.
func healthChecks(g *config.Group, log *slog.Logger) ([]health.Check, error) {
	out := make([]health.Check, 0, len(g.Checks))
	for i := range g.Checks {
		c := &g.Checks[i]
		checker, kind, err := newChecker(g.Name, c, log)
		if err != nil {
			return nil, fmt.Errorf("daemon: group %s: check %s: %w", g.Name, c.Name, err)
		}
		out = append(out, health.Check{
			Name: c.Name, Kind: kind, Checker: checker,
			Interval: c.Interval, Timeout: c.Timeout, Rise: c.Rise, Fall: c.Fall,
			Fault: c.Fault, Weight: c.Weight,
		})
	}
	return out, nil
}

// newChecker builds the checker of one configured check.
func newChecker(group string, c *config.Check, log *slog.Logger) (health.Checker, health.Kind, error) {
	switch c.Kind {
	case config.CheckPing:
		p, err := health.NewPing(health.PingOptions{Target: c.Target, Interface: c.Interface})
		if err != nil {
			return nil, 0, err
		}
		return p, health.KindPing, nil
	case config.CheckARP:
		a, err := health.NewARP(health.ARPOptions{Target: c.Target, Interface: c.Interface})
		if err != nil {
			return nil, 0, err
		}
		return a, health.KindARP, nil
	case config.CheckTCP:
		t, err := health.NewTCP(c.Address)
		if err != nil {
			return nil, 0, err
		}
		return t, health.KindTCP, nil
	case config.CheckHTTP, config.CheckHTTPS:
		h, err := newHTTPChecker(c)
		if err != nil {
			return nil, 0, err
		}
		kind := health.KindHTTP
		if c.Kind == config.CheckHTTPS {
			kind = health.KindHTTPS
		}
		return h, kind, nil
	case config.CheckExec:
		e, err := health.NewExec(health.ExecOptions{Argv: c.Argv, Group: group, Check: c.Name, Logger: log.With("group", group)})
		if err != nil {
			return nil, 0, err
		}
		return e, health.KindExec, nil
	}
	return nil, 0, fmt.Errorf("unknown check kind %s", c.Kind)
}

// newHTTPChecker builds an HTTP or HTTPS checker; the configuration has
// validated the body pattern already.
func newHTTPChecker(c *config.Check) (*health.HTTP, error) {
	var body *regexp.Regexp
	if c.Body != "" {
		var err error
		if body, err = regexp.Compile(c.Body); err != nil {
			return nil, err
		}
	}
	var status []health.StatusRange
	for _, r := range c.Status {
		status = append(status, health.StatusRange{Lo: r.Lo, Hi: r.Hi})
	}
	return health.NewHTTP(health.HTTPOptions{
		Method: c.Method, URL: c.URL, Status: status, Body: body,
		CAFile: c.CAFile, InsecureSkipVerify: c.InsecureSkipVerify,
	})
}
