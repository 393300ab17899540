package labtest

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/vipd/vipd/internal/lab"
)

// Config is what one test package sets for all its tests, in Main.
type Config struct {
	// Wait bounds every wait for an election or a state (WaitState,
	// SoleAnswerer): loose, it only catches a lab that does not converge
	// (0: 30 s).
	Wait time.Duration
	// Profile is the timing profile of labs whose Options name none
	// (zero: the lab's default profile).
	Profile lab.Profile
	// ProbeInterval and SweepInterval are how often the client probes the
	// VIPs in labs whose Options set no rate (0: the lab's defaults).
	ProbeInterval, SweepInterval time.Duration
	// Parallel, when not 0, is how many tests run at once unless the
	// command line sets -test.parallel.
	Parallel int
}

// The test process's state, written by Main before any test runs.
var (
	config Config
	// vipdBin is the binary under test, or "" when the build failed
	// (buildErr says why).
	vipdBin  string
	buildErr error
)

// Main runs a test package's tests, for its TestMain: it builds vipd once
// into a temporary directory (unless VIPD_BIN names a binary to test
// instead, for runs where the go tool is not usable, such as an
// unprivileged user under unshare -rn), runs m with c, removes the build
// and exits with m's result. A failed build fails each test that asks for
// the binary (Bin), not the process, so the reason is reported per test.
func Main(m *testing.M, c Config) {
	if c.Parallel != 0 {
		setParallel(c.Parallel)
	}
	config = c
	os.Exit(run(m))
}

// run runs m with vipd built or named, and returns m's exit code.
func run(m *testing.M) int {
	if bin := os.Getenv("VIPD_BIN"); bin != "" {
		vipdBin = bin
		return m.Run()
	}
	dir, err := os.MkdirTemp("", "vipd-labtest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "labtest:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	// Readable by the daemons whatever user they end up as.
	_ = os.Chmod(dir, 0o755)
	bin := filepath.Join(dir, "vipd")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/vipd/vipd/cmd/vipd").CombinedOutput()
	if err != nil {
		buildErr = fmt.Errorf("go build ./cmd/vipd: %w\n%s", err, out)
	} else {
		vipdBin = bin
	}
	return m.Run()
}

// setParallel sets -test.parallel to n unless the command line set it.
func setParallel(n int) {
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set {
		_ = flag.Set("test.parallel", strconv.Itoa(n))
	}
}

// Bin returns the vipd binary under test. It fails t when vipd could not
// be built, or when the package's TestMain did not call Main.
func Bin(t testing.TB) string {
	t.Helper()
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	if vipdBin == "" {
		t.Fatal("labtest: no vipd binary: the package's TestMain must call labtest.Main")
	}
	return vipdBin
}

// wait is Config.Wait or its default.
func wait() time.Duration {
	if config.Wait > 0 {
		return config.Wait
	}
	return 30 * time.Second
}
