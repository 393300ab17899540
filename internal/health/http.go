package health

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
)

// StatusRange is an inclusive range of HTTP status codes.
type StatusRange struct{ Lo, Hi int }

// String writes "200" or "200-299".
func (r StatusRange) String() string {
	if r.Lo == r.Hi {
		return strconv.Itoa(r.Lo)
	}
	return strconv.Itoa(r.Lo) + "-" + strconv.Itoa(r.Hi)
}

// DefaultStatus is the status codes an HTTP check accepts unless told
// otherwise: success and redirection. Redirects are not followed (the check
// is of this server, not of where it points), and a redirect proves the
// server answers.
var DefaultStatus = []StatusRange{{200, 399}}

// maxBodyBytes is how much of a response body is searched for the body
// pattern; the rest is not read.
const maxBodyBytes = 1 << 20

// userAgent is sent with every request, so that server logs can tell
// health checks from clients.
const userAgent = "vipd-health-check"

// HTTPOptions configures an HTTP or HTTPS check.
type HTTPOptions struct {
	// Method is the request method; "" means GET.
	Method string
	// URL is the absolute http:// or https:// URL requested.
	URL string
	// Status are the accepted status codes; nil means DefaultStatus.
	Status []StatusRange
	// Body, if set, must match the first 1 MiB of the response body.
	Body *regexp.Regexp
	// CAFile, if set, names a PEM file of the certificate authorities
	// trusted for HTTPS instead of the system's, read by NewHTTP.
	CAFile string
	// InsecureSkipVerify accepts any server certificate. It makes the
	// check easy to fool; the configuration warns about it.
	InsecureSkipVerify bool
}

// HTTP is a check that makes one HTTP request on a new connection and
// checks the response's status code and, optionally, its body (KindHTTP,
// KindHTTPS). It uses no proxy, whatever the daemon's environment says,
// and follows no redirects.
type HTTP struct {
	method string
	url    *url.URL
	status []StatusRange
	body   *regexp.Regexp
	client *http.Client
}

// NewHTTP returns an HTTP check; it reads o.CAFile.
func NewHTTP(o HTTPOptions) (*HTTP, error) {
	u, err := url.Parse(o.URL)
	if err != nil {
		return nil, fmt.Errorf("health: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("health: %q is not an absolute http or https URL", u.Redacted())
	}
	method := o.Method
	if method == "" {
		method = http.MethodGet
	}
	status := o.Status
	if status == nil {
		status = DefaultStatus
	}
	tc := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: o.InsecureSkipVerify}
	if o.CAFile != "" {
		if tc.RootCAs, err = readCAFile(o.CAFile); err != nil {
			return nil, err
		}
	}
	tr := &http.Transport{
		Proxy:                  nil,
		DialContext:            (&net.Dialer{}).DialContext,
		TLSClientConfig:        tc,
		DisableKeepAlives:      true, // each probe tests a fresh connection
		MaxResponseHeaderBytes: 64 << 10,
	}
	return &HTTP{
		method: method,
		url:    u,
		status: status,
		body:   o.Body,
		client: &http.Client{
			Transport:     tr,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}, nil
}

// readCAFile reads a PEM file of certificates into a pool.
func readCAFile(path string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("health: CA file: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("health: CA file %s: no PEM certificate in it", path)
	}
	return pool, nil
}

// Check makes the request and checks the response.
func (h *HTTP) Check(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, h.method, h.url.String(), nil)
	if err != nil {
		return fmt.Errorf("health: %w", err)
	}
	req.Header.Set("User-Agent", userAgent)
	resp, err := h.client.Do(req)
	if err != nil {
		return fmt.Errorf("health: %w", err)
	}
	defer resp.Body.Close()
	if !statusOK(resp.StatusCode, h.status) {
		return fmt.Errorf("health: %s %s: status %d, want %s", h.method, h.url.Redacted(), resp.StatusCode, statusText(h.status))
	}
	if h.body == nil {
		return nil
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBodyBytes))
	if err != nil {
		return fmt.Errorf("health: %s %s: reading the body: %w", h.method, h.url.Redacted(), err)
	}
	if !h.body.Match(body) {
		return fmt.Errorf("health: %s %s: body (%d bytes read) does not match %q", h.method, h.url.Redacted(), len(body), h.body)
	}
	return nil
}

func statusOK(code int, ranges []StatusRange) bool {
	for _, r := range ranges {
		if code >= r.Lo && code <= r.Hi {
			return true
		}
	}
	return false
}

func statusText(ranges []StatusRange) string {
	words := make([]string, len(ranges))
	for i, r := range ranges {
		words[i] = r.String()
	}
	return strings.Join(words, ", ")
}
