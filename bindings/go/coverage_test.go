package spx_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestEveryCFunctionIsMentioned enforces the house rule: every function
// declared in spx.h is bound by this package (called as C.spx_...) or named
// in its documentation (doc.go says why it is not bound). A function added
// to the C API therefore fails this test until the binding deals with it.
func TestEveryCFunctionIsMentioned(t *testing.T) {
	header, err := os.ReadFile(filepath.Join("..", "..", "include", "spx.h"))
	if os.IsNotExist(err) {
		t.Skip("no ../../include/spx.h: not in the libspx source tree")
	}
	if err != nil {
		t.Fatal(err)
	}
	// A declaration starts a line with its return type; comments start
	// with " *" or "/*" and so never match.
	decl := regexp.MustCompile(`(?m)^[a-z][a-z0-9_ ]*[ *](spx_[a-z0-9_]+)\(`)
	var declared []string
	for _, m := range decl.FindAllSubmatch(header, -1) {
		declared = append(declared, string(m[1]))
	}
	if len(declared) < 60 {
		t.Fatalf("found only %d declarations in spx.h: %v", len(declared), declared)
	}

	sources, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	for _, name := range sources {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		text.Write(b)
	}
	all := text.String()
	for _, fn := range declared {
		if !regexp.MustCompile(`\b` + fn + `\b`).MatchString(all) {
			t.Errorf("%s is neither bound nor explained in doc.go", fn)
		}
	}
}
