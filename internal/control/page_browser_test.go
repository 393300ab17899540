//go:build browser

package control

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// The browser test renders the status page in a real headless Chromium
// (Debian's chromium package) and checks what it shows against /status:
// the DOM's text, and the colours of a screenshot. It needs no network
// beyond a listener on 127.0.0.1. Run it with
//
//	go test -tags browser -run Chromium -count=3 ./internal/control
//
// Without chromium in PATH it skips, unless VIPD_REQUIRE_BROWSER=1 or
// VIPD_REQUIRE_NETNS=1 (as CI sets), when it fails.

// bandX is a column inside every group's state band: the band is 12 px
// wide and starts 24 px from the window's left edge (templates/status.css).
const bandX = 30

func TestPageInChromium(t *testing.T) {
	bin := requireChromium(t)
	src := pageFixture()
	base := servePage(t, src)
	api := getStatus(t, base)
	if len(api.Groups) < 4 {
		t.Fatalf("fixture has %d groups, want at least 4 states to tell apart", len(api.Groups))
	}

	t.Run("dom", func(t *testing.T) {
		out := runChromium(t, bin, "--dump-dom", base+"/")
		doc, err := html.Parse(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		shown := pageGroups(doc)
		if len(shown) != len(api.Groups) {
			t.Fatalf("Chromium shows %d groups, /status has %d", len(shown), len(api.Groups))
		}
		for i, g := range api.Groups {
			s := shown[i]
			if s.name != g.Name || s.state != g.State || !slices.Equal(s.vips, g.VIPs) {
				t.Errorf("group %d: Chromium shows %q %q %q, /status says %q %q %q",
					i, s.name, s.state, s.vips, g.Name, g.State, g.VIPs)
			}
			if len(s.checks) != len(g.Checks) {
				t.Errorf("group %s: Chromium shows %d checks, /status has %d", g.Name, len(s.checks), len(g.Checks))
			}
		}
		if n := len(findAll(doc, "transition")); n != len(src.transitions) {
			t.Errorf("Chromium shows %d transitions, want %d", n, len(src.transitions))
		}
	})

	t.Run("screenshot", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "page.png")
		runChromium(t, bin, "--screenshot="+file, "--window-size=1000,800", base+"/")
		img := readPNG(t, file)
		if b := img.Bounds(); b.Dx() != 1000 || b.Dy() != 800 {
			t.Errorf("screenshot is %dx%d, want 1000x800", b.Dx(), b.Dy())
		}
		requireNotBlank(t, img)

		bands := stateBands(img, bandX)
		var got, want []string
		for _, b := range bands {
			got = append(got, b.state)
		}
		for _, g := range api.Groups {
			want = append(want, g.State)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("state bands down the page, by colour: %q; /status says %q", got, want)
		}
		// The badge in each group's first line has the band's colour.
		for i, b := range bands {
			n := countColour(img, stateColours[b.state], image.Rect(bandX+10, b.top, 500, min(b.top+40, b.bottom)))
			if n < 300 {
				t.Errorf("group %s: badge colour %s found on %d pixels of its first line, want a badge",
					api.Groups[i].Name, stateColours[b.state], n)
			}
		}
	})
}

func requireChromium(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("chromium")
	if err != nil {
		reason := "chromium not in PATH (apt-get install chromium)"
		if os.Getenv("VIPD_REQUIRE_BROWSER") == "1" || os.Getenv("VIPD_REQUIRE_NETNS") == "1" {
			t.Fatalf("VIPD_REQUIRE_BROWSER or VIPD_REQUIRE_NETNS is 1 but %s", reason)
		}
		t.Skip(reason)
	}
	return bin
}

// servePage runs the real HTTP listener on loopback and returns its URL.
func servePage(t *testing.T, src Source) string {
	t.Helper()
	srv, err := ListenHTTP("127.0.0.1:0", src, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve() }()
	t.Cleanup(func() {
		srv.Close()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return "http://" + srv.Addr().String()
}

func getStatus(t *testing.T, base string) Status {
	t.Helper()
	resp, err := http.Get(base + "/status")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st Status
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	return st
}

// runChromium runs headless Chromium with a throwaway profile and home and
// returns its standard output. Chromium and its helper processes share a
// new process group, which is killed if it outlives its timeout.
func runChromium(t *testing.T, bin string, args ...string) []byte {
	t.Helper()
	home := t.TempDir()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute) // only to catch a hang
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, append([]string{
		"--headless=new", "--no-sandbox", "--disable-gpu", // root needs --no-sandbox
		"--user-data-dir=" + filepath.Join(home, "profile"),
		"--no-first-run", "--no-default-browser-check", "--disable-extensions",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--force-color-profile=srgb", // colours in the screenshot as the CSS says
		"--hide-scrollbars", "--force-device-scale-factor=1",
	}, args...)...)
	cmd.Env = []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "LANG=C.UTF-8",
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"), "XDG_CACHE_HOME=" + filepath.Join(home, ".cache")}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 10 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %s: %v\n%s", strings.Join(args, " "), err, tail(stderr.String(), 20))
	}
	return stdout.Bytes()
}

func tail(s string, lines int) string {
	l := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(l[max(0, len(l)-lines):], "\n")
}

func readPNG(t *testing.T, file string) image.Image {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// requireNotBlank fails unless the screenshot has a good share of
// non-white pixels in many colours: a page that rendered.
func requireNotBlank(t *testing.T, img image.Image) {
	t.Helper()
	b := img.Bounds()
	colours := map[[3]uint8]bool{}
	inked := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			p := rgb(img, x, y)
			colours[p] = true
			if p != [3]uint8{255, 255, 255} {
				inked++
			}
		}
	}
	if share := float64(inked) / float64(b.Dx()*b.Dy()); share < 0.05 || len(colours) < 20 {
		t.Fatalf("screenshot looks blank: %.1f%% non-white pixels in %d colours", 100*share, len(colours))
	}
}

// band is a run of one state's colour down a column of the screenshot.
type band struct {
	state       string
	top, bottom int
}

// stateBands walks down column x and returns the runs, at least 20 px
// tall, of pixels in a state's colour: a group's state band each. Text
// and anti-aliased edges make no run that tall.
func stateBands(img image.Image, x int) []band {
	var out []band
	cur := band{}
	flush := func(y int) {
		if cur.state != "" && y-cur.top >= 20 {
			cur.bottom = y
			out = append(out, cur)
		}
	}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		s := stateOf(rgb(img, x, y))
		if s != cur.state {
			flush(y)
			cur = band{state: s, top: y}
		}
	}
	flush(b.Max.Y)
	return out
}

// stateOf is the state whose colour p is (within a small tolerance for
// rounding), or "".
func stateOf(p [3]uint8) string {
	for s, c := range stateColours {
		if near(p, hexRGB(c)) {
			return s
		}
	}
	return ""
}

func countColour(img image.Image, hex string, r image.Rectangle) int {
	want := hexRGB(hex)
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if near(rgb(img, x, y), want) {
				n++
			}
		}
	}
	return n
}

func near(a, b [3]uint8) bool {
	for i := range a {
		if d := int(a[i]) - int(b[i]); d < -6 || d > 6 {
			return false
		}
	}
	return true
}

func rgb(img image.Image, x, y int) [3]uint8 {
	r, g, b, _ := img.At(x, y).RGBA()
	return [3]uint8{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8)}
}

func hexRGB(s string) [3]uint8 {
	v, err := strconv.ParseUint(strings.TrimPrefix(s, "#"), 16, 32)
	if err != nil || len(s) != 7 {
		panic(fmt.Sprintf("bad colour %q", s))
	}
	return [3]uint8{uint8(v >> 16), uint8(v >> 8), uint8(v)}
}
