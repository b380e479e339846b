package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/agencystandard/kit/internal/catalog"
)

// A cartridge is one folder: the engine's test cartridge (in
// generator/testdata/cartridges/bookmarks) adds a Go dependency, a setting,
// a tenant table with an erasure rule, a development service and a just
// recipe with no chassis edit, and the repository it renders builds, vets,
// is tidy and passes its own tests, whose row-level security and erasure
// checks cover its table (a broken variant of the cartridge fails them).
func TestCartridgeIsOneFolder(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and tests generated repositories; run without -short")
	}
	templatesDir := func(t *testing.T, breakIt func(dir string)) string {
		t.Helper()
		dir := t.TempDir()
		if err := os.CopyFS(filepath.Join(dir, "chassis"), os.DirFS(filepath.Join("..", "..", "templates", "chassis"))); err != nil {
			t.Fatal(err)
		}
		cart := filepath.Join(dir, "cartridges", "bookmarks")
		if err := os.CopyFS(cart, os.DirFS(filepath.Join("..", "..", "generator", "testdata", "cartridges", "bookmarks"))); err != nil {
			t.Fatal(err)
		}
		if breakIt != nil {
			breakIt(cart)
		}
		return dir
	}
	generateWith := func(t *testing.T, tmpl string) string {
		t.Helper()
		t.Setenv(catalog.EnvTemplates, tmpl)
		repo := filepath.Join(t.TempDir(), "demo")
		if code, out := kitRun(t, "new", "demo", "--yes", "--no-git", "--module", "example.com/demo", "--cartridge", "bookmarks", "--bookmarks-limit", "250", "--dir", repo); code != 0 {
			t.Fatalf("kit new --cartridge bookmarks: exit %d\n%s", code, out)
		}
		return repo
	}
	read := func(t *testing.T, repo, rel string) string {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(repo, rel))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	goEnv := []string{"GOFLAGS=-mod=mod", "GOWORK=off"}

	repo := generateWith(t, templatesDir(t, nil))
	for rel, want := range map[string]*regexp.Regexp{
		"go.mod":                    regexp.MustCompile(`(?m)^\tgithub\.com/dustin/go-humanize v\S+$`),
		"go.sum":                    regexp.MustCompile(`(?m)^github\.com/dustin/go-humanize v\S+ h1:`),
		".env.example":              regexp.MustCompile(`(?m)^BOOKMARKS_MAX_PER_TENANT=250$`),
		"deploy/docker-compose.yml": regexp.MustCompile(`(?m)^  linkcheck:\n    image: nginx:`),
		"justfile":                  regexp.MustCompile(`(?m)^bookmarks-count:$`),
		"internal/app/modules.go":   regexp.MustCompile(`bookmarks\.New\(d\)`),
	} {
		if got := read(t, repo, rel); !want.MatchString(got) {
			t.Errorf("%s does not match %s", rel, want)
		}
	}
	if _, err := os.Stat(filepath.Join(repo, "slots")); err == nil {
		t.Error("the cartridge's fragments were written as files")
	}
	run(t, repo, goEnv, "go", "build", "./...")
	run(t, repo, goEnv, "go", "vet", "./...")
	run(t, repo, []string{"GOWORK=off"}, "go", "mod", "tidy", "-diff")
	run(t, repo, goEnv, "go", "test", "-count=1", "./internal/app/...", "./cmd/democtl/...", "./internal/modules/bookmarks/...")
	if _, err := exec.LookPath("just"); err == nil {
		if out := run(t, repo, nil, "just", "--list"); !strings.Contains(out, "bookmarks-count") {
			t.Errorf("just --list lacks the cartridge's recipe:\n%s", out)
		}
	}

	// The checks see the cartridge's table: a migration without FORCE fails
	// the row-level security test, an undeclared column referring to users
	// fails the erasure test.
	broken := generateWith(t, templatesDir(t, func(cart string) {
		p := filepath.Join(cart, "internal/modules/bookmarks/migrations/000001_create_bookmarks.up.sql")
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		data = []byte(strings.Replace(string(data), "ALTER TABLE bookmarks FORCE ROW LEVEL SECURITY;\n", "", 1))
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		m := filepath.Join(cart, "internal/modules/bookmarks/module.go.tmpl")
		src, err := os.ReadFile(m)
		if err != nil {
			t.Fatal(err)
		}
		src = []byte(strings.Replace(string(src), `		{Table: "bookmarks", Column: "created_by", Action: module.EraseAnonymise, PerTenant: true, Why: "the tenant's bookmarks stay, without their creator"},
`, "", 1))
		if err := os.WriteFile(m, src, 0o644); err != nil {
			t.Fatal(err)
		}
	}))
	for pkg, want := range map[string]string{"./internal/app/": "bookmarks", "./cmd/democtl/": "bookmarks.created_by"} {
		cmd := exec.Command("go", "test", "-count=1", pkg)
		cmd.Dir = broken
		cmd.Env = append(os.Environ(), goEnv...)
		out, err := cmd.CombinedOutput()
		if err == nil {
			t.Errorf("go test %s passed with the cartridge's table broken", pkg)
		} else if !strings.Contains(string(out), want) {
			t.Errorf("go test %s failed without naming %s:\n%s", pkg, want, tailLines(string(out), 30))
		}
	}
}
