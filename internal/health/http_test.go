package health

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// page serves the seeds' health page: a success code and a closing </html>.
func page(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/health":
		fmt.Fprint(w, "<html><body>ok</body></html>\n")
	case "/broken":
		fmt.Fprint(w, "<html><body>half a pa")
	case "/down":
		http.Error(w, "maintenance", http.StatusServiceUnavailable)
	case "/moved":
		http.Redirect(w, r, "/health", http.StatusFound)
	case "/created":
		w.WriteHeader(http.StatusCreated)
	case "/method":
		fmt.Fprint(w, r.Method)
	case "/slow":
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	default:
		http.NotFound(w, r)
	}
}

// httpCheck makes one probe with a timeout of 2s.
func httpCheck(t *testing.T, o HTTPOptions) error {
	return httpCheckWithin(t, o, 2*time.Second)
}

func httpCheckWithin(t *testing.T, o HTTPOptions, timeout time.Duration) error {
	t.Helper()
	c, err := NewHTTP(o)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), timeout)
	defer cancel()
	return c.Check(ctx)
}

func TestHTTP(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(page))
	t.Cleanup(srv.Close)
	html := regexp.MustCompile(`</html>`)
	for _, tc := range []struct {
		name    string
		o       HTTPOptions
		wantErr string
	}{
		{"page with a closing tag", HTTPOptions{URL: srv.URL + "/health", Body: html}, ""},
		{"page cut short", HTTPOptions{URL: srv.URL + "/broken", Body: html},
			`health: GET ` + srv.URL + `/broken: body (21 bytes read) does not match "</html>"`},
		{"503", HTTPOptions{URL: srv.URL + "/down"},
			"health: GET " + srv.URL + "/down: status 503, want 200-399"},
		{"404", HTTPOptions{URL: srv.URL + "/nothing"},
			"health: GET " + srv.URL + "/nothing: status 404, want 200-399"},
		{"redirect accepted by default, not followed", HTTPOptions{URL: srv.URL + "/moved", Body: regexp.MustCompile(`^$|Found`)}, ""},
		{"redirect refused by an explicit list", HTTPOptions{URL: srv.URL + "/moved", Status: []StatusRange{{200, 200}}},
			"health: GET " + srv.URL + "/moved: status 302, want 200"},
		{"status list with a range", HTTPOptions{URL: srv.URL + "/created", Status: []StatusRange{{200, 200}, {201, 204}}}, ""},
		{"503 accepted when listed", HTTPOptions{URL: srv.URL + "/down", Status: []StatusRange{{503, 503}}}, ""},
		{"method", HTTPOptions{Method: "POST", URL: srv.URL + "/method", Body: regexp.MustCompile(`^POST$`)}, ""},
		{"HEAD", HTTPOptions{Method: "HEAD", URL: srv.URL + "/health"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := errText(httpCheck(t, tc.o)); got != tc.wantErr {
				t.Errorf("Check = %q\nwant    %q", got, tc.wantErr)
			}
		})
	}
}

func TestHTTPTimeout(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(page))
	t.Cleanup(srv.Close)
	want := `health: Get "` + srv.URL + `/slow": context deadline exceeded`
	if got := errText(httpCheckWithin(t, HTTPOptions{URL: srv.URL + "/slow"}, 100*time.Millisecond)); got != want {
		t.Errorf("Check = %q\nwant    %q", got, want)
	}
}

func TestHTTPRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	want := `health: Get "http://` + addr + `/": dial tcp ` + addr + `: connect: connection refused`
	if got := errText(httpCheck(t, HTTPOptions{URL: "http://" + addr + "/"})); got != want {
		t.Errorf("Check = %q\nwant    %q", got, want)
	}
}

// TestHTTPS serves a page with a certificate from a test CA: it passes with
// the CA named, fails verification without it, and passes with
// verification off.
func TestHTTPS(t *testing.T) {
	caPEM, leaf := testCA(t)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(page))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{leaf}}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes
	srv.StartTLS()
	t.Cleanup(srv.Close)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, caPEM, 0o644); err != nil {
		t.Fatal(err)
	}
	url := srv.URL + "/health"
	html := regexp.MustCompile(`</html>`)

	if err := httpCheck(t, HTTPOptions{URL: url, CAFile: caFile, Body: html}); err != nil {
		t.Errorf("with the CA: %v", err)
	}
	err := httpCheck(t, HTTPOptions{URL: url, Body: html})
	if want := `health: Get "` + url + `": tls: failed to verify certificate: x509: certificate signed by unknown authority`; errText(err) != want {
		t.Errorf("without the CA: %v\nwant %s", err, want)
	}
	if err := httpCheck(t, HTTPOptions{URL: url, InsecureSkipVerify: true, Body: html}); err != nil {
		t.Errorf("without verification: %v", err)
	}
	// The name must match too: the certificate is for 127.0.0.1, not ::1
	// or a name.
	if err := httpCheck(t, HTTPOptions{URL: strings.Replace(url, "127.0.0.1", "localhost", 1), CAFile: caFile}); err == nil || !strings.Contains(err.Error(), "certificate is not valid for any names, but wanted to match localhost") {
		t.Errorf("with the wrong name: %v", err)
	}
}

func TestNewHTTPRefuses(t *testing.T) {
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(notPEM, []byte("not a certificate\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		o    HTTPOptions
		want string
	}{
		{"relative URL", HTTPOptions{URL: "/health"}, `health: "/health" is not an absolute http or https URL`},
		{"other scheme", HTTPOptions{URL: "ftp://127.0.0.1/"}, `health: "ftp://127.0.0.1/" is not an absolute http or https URL`},
		{"password redacted", HTTPOptions{URL: "gopher://u:secret@h/"}, `health: "gopher://u:xxxxx@h/" is not an absolute http or https URL`},
		{"missing CA file", HTTPOptions{URL: "https://127.0.0.1/", CAFile: filepath.Join(dir, "none.pem")},
			"health: CA file: open " + filepath.Join(dir, "none.pem") + ": no such file or directory"},
		{"CA file without certificates", HTTPOptions{URL: "https://127.0.0.1/", CAFile: notPEM},
			"health: CA file " + notPEM + ": no PEM certificate in it"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := NewHTTP(tc.o); errText(err) != tc.want {
				t.Errorf("NewHTTP = %v\nwant %s", err, tc.want)
			}
		})
	}
}

// testCA returns a CA certificate in PEM and a server certificate for
// 127.0.0.1 that it signed.
func testCA(t *testing.T) ([]byte, tls.Certificate) {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "vipd test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		t.Fatal(err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:    x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})
	return caPEM, tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}
