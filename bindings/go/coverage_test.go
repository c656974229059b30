//go:build linux

package spx_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every function of spx.h is bound by this package or, in doc.go, said to be
// left out and why (the house rule for the Go binding): a function added to
// the C API cannot be forgotten here.
func TestEveryCFunctionIsMentioned(t *testing.T) {
	header, err := os.ReadFile(filepath.Join("..", "..", "include", "spx.h"))
	if err != nil {
		t.Skipf("no include/spx.h next to the binding (%v): this test runs from the source tree", err)
	}
	decl := regexp.MustCompile(`(?m)^[a-z][a-z0-9_ *]*?\b(spx_[a-z0-9_]+)\(`)
	var sources strings.Builder
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sources.Write(b)
	}
	funcs := decl.FindAllSubmatch(header, -1)
	if len(funcs) < 60 {
		t.Fatalf("only %d functions found in spx.h", len(funcs))
	}
	for _, m := range funcs {
		name := string(m[1])
		if !regexp.MustCompile(`\b` + name + `\b`).MatchString(sources.String()) {
			t.Errorf("%s is neither bound nor explained in doc.go", name)
		}
	}
}
