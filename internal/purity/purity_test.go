package purity

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// allowed lists, per pure package, every import it may use. Anything else
// (os, net, syscall, sync, log, another vipd package that is not itself pure)
// fails the test, so that a new dependency is a deliberate decision.
var allowed = map[string][]string{
	"github.com/vipd/vipd/internal/carp": {
		"crypto/hmac", "crypto/sha1", "crypto/subtle", "encoding/binary", "encoding/hex",
		"errors", "fmt", "math/bits", "net/netip", "slices", "strconv", "strings", "time",
	},
	"github.com/vipd/vipd/internal/vrrp": {
		"encoding/binary", "encoding/hex", "errors", "fmt", "math/bits", "net/netip",
		"slices", "strconv", "strings", "time",
	},
	"github.com/vipd/vipd/internal/fsm": {
		"cmp", "errors", "fmt", "math", "net/netip", "slices", "strconv", "strings", "time",
	},
}

// forbiddenCalls are package-level functions that would bring the wall clock,
// sleeping or timers into pure code; time is allowed for Time and Duration
// values only.
var forbiddenCalls = []string{
	"time.Now", "time.Since", "time.Until", "time.Sleep", "time.After",
	"time.AfterFunc", "time.NewTimer", "time.NewTicker", "time.Tick",
}

type listedPackage struct {
	ImportPath string
	Dir        string
	GoFiles    []string
	Imports    []string
}

func listPackages(t *testing.T, paths []string) []listedPackage {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list", "-json"}, paths...)...)
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("go list: %v\n%s", err, stderr)
	}
	var pkgs []listedPackage
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p listedPackage
		if err := dec.Decode(&p); err != nil {
			t.Fatalf("decode go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

func TestPurePackagesImportOnlyTheirAllowlist(t *testing.T) {
	var paths []string
	for p := range allowed {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	pkgs := listPackages(t, paths)
	if len(pkgs) != len(paths) {
		t.Fatalf("go list returned %d packages, want %d", len(pkgs), len(paths))
	}
	for _, p := range pkgs {
		for _, imp := range p.Imports {
			if !slices.Contains(allowed[p.ImportPath], imp) {
				t.Errorf("%s imports %s, which is not on its allowlist", p.ImportPath, imp)
			}
		}
	}
}

func TestPurePackagesDoNotReadTheClock(t *testing.T) {
	var paths []string
	for p := range allowed {
		paths = append(paths, p)
	}
	for _, p := range listPackages(t, paths) {
		for _, name := range p.GoFiles {
			file := filepath.Join(p.Dir, name)
			f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
			if err != nil {
				t.Fatalf("parse %s: %v", file, err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				pkg, ok := sel.X.(*ast.Ident)
				if !ok {
					return true
				}
				if call := pkg.Name + "." + sel.Sel.Name; slices.Contains(forbiddenCalls, call) {
					t.Errorf("%s uses %s: pure code takes time as an argument", file, call)
				}
				return true
			})
		}
	}
}
