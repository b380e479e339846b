package project

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// --verify proves the merge tidy: a go.mod requiring a module nothing
// imports fails it, naming go mod tidy.
func TestVerifyRequiresATidyModule(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("main.go", "package main\n\nfunc main() {}\n")
	write("go.mod", "module example.com/tidy\n\ngo 1.26.0\n")
	if err := Verify(context.Background(), dir, false); err != nil {
		t.Fatalf("a tidy module failed verification: %v", err)
	}
	// A requirement nothing imports: go mod tidy would drop it.
	write("go.mod", "module example.com/tidy\n\ngo 1.26.0\n\nrequire golang.org/x/mod v0.42.0\n")
	err := Verify(context.Background(), dir, false)
	var ve *VerifyError
	var unknown *TidyUnknownError
	switch {
	case errors.As(err, &unknown):
		t.Logf("no module proxy here: %v", err)
	case !errors.As(err, &ve) || !strings.Contains(ve.Command, "go mod tidy"):
		t.Errorf("an untidy go.mod: err = %v", err)
	}
}

func TestOfflineRecognisesFetchFailures(t *testing.T) {
	for out, want := range map[string]bool{
		`go: golang.org/x/mod@v0.42.0: Get "https://proxy.golang.org/...": dial tcp: lookup proxy.golang.org: no such host`: true,
		"go: module lookup disabled by GOPROXY=off":                          true,
		"diff current/go.mod tidy/go.mod\n-require golang.org/x/mod v0.42.0": false,
	} {
		if got := offline(out); got != want {
			t.Errorf("offline(%q) = %v, want %v", out, got, want)
		}
	}
}
