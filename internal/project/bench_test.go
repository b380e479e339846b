package project

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"

	"github.com/agencystandard/kit/generator"
	"github.com/agencystandard/kit/internal/iostreams"
	"github.com/agencystandard/kit/templates"
)

// BenchmarkUpdate measures `kit update` on the full chassis: a repository
// where the user edited 50 files, moved to a template version that changed
// every Go file, so those 50 go through a real three-way merge. Each
// iteration is what the command does in a fresh process (no in-process
// cache; the disk cache as an earlier kit left it): recover unfinished
// transactions, read .kit.yaml, refuse conflict markers, plan, apply and
// commit. Putting the repository back between iterations (and syncing it,
// so no iteration flushes another's writes) is off the clock. Not
// measured: loading the catalog (the benchmark builds its own) and git
// status (the repository is not a git work tree).
func BenchmarkUpdate(b *testing.B) {
	ctx := context.Background()
	old, err := generator.NewCatalog(templates.Chassis(), nil)
	if err != nil {
		b.Fatal(err)
	}
	answers := map[string]any{
		"name": "bench", "module": "example.com/bench", "description": "bench", "http_port": 8080,
		"db_name": "bench", "oauth_providers": []string{}, "example_module": true, "ci": "github",
		"license": "MIT", "copyright": "The bench authors",
	}
	// Questions added since are answered by their defaults, as kit new
	// --yes would.
	for _, q := range old.Chassis().Manifest.Questions {
		if _, ok := answers[q.Key]; ok {
			continue
		}
		v, err := q.DefaultValue(answers)
		if err != nil {
			b.Fatal(err)
		}
		answers[q.Key] = v
	}
	files, err := generator.Generate(ctx, old.Chassis(), nil, answers, "v0")
	if err != nil {
		b.Fatal(err)
	}
	root := filepath.Join(b.TempDir(), "bench")
	if err := generator.WriteProject(ctx, root, files, generator.WriteOptions{}); err != nil {
		b.Fatal(err)
	}
	// The user edits 50 Go files at their top; the template changes each Go
	// file at its end, so the edits merge cleanly.
	var goFiles []string
	for _, f := range files {
		if strings.HasSuffix(f.Path, ".go") && f.Owner == generator.OwnerMerged {
			goFiles = append(goFiles, f.Path)
		}
	}
	sort.Strings(goFiles)
	if len(goFiles) < 50 {
		b.Fatalf("the chassis has only %d Go files", len(goFiles))
	}
	for _, p := range goFiles[:50] {
		full := filepath.Join(root, p)
		data, _ := os.ReadFile(full)
		if err := os.WriteFile(full, append([]byte("// Edited by the user.\n"), data...), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	newer := fstest.MapFS{}
	fs.WalkDir(templates.Chassis(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, _ := fs.ReadFile(templates.Chassis(), p)
		if strings.HasSuffix(p, ".go.tmpl") {
			data = append(data, []byte("\n// Changed by the template.\n")...)
		}
		newer[p] = &fstest.MapFile{Data: data}
		return nil
	})
	cat, err := generator.NewCatalog(newer, nil)
	if err != nil {
		b.Fatal(err)
	}
	cat.AddOlder(old)
	// What the repository holds before the update, to put back after each.
	before := map[string][]byte{}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		before[p] = data
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	ios, _, _, _ := iostreams.Test()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		generator.ResetCaches() // each iteration is one cold kit process
		if err := RecoverUnfinished(ios, root); err != nil {
			b.Fatal(err)
		}
		repo, err := Open(root)
		if err != nil {
			b.Fatal(err)
		}
		if err := RefuseConflicts(repo); err != nil {
			b.Fatal(err)
		}
		target, err := UpdateTarget(cat, repo)
		if err != nil {
			b.Fatal(err)
		}
		target.Answers = answers
		plan, err := MakePlan(ctx, repo, cat, target, "v1")
		if err != nil {
			b.Fatal(err)
		}
		if n := generator.Summary(plan.Changes)[generator.MergedClean]; n != 50 {
			b.Fatalf("%d files merged, want 50", n)
		}
		tx, err := generator.ApplyPlan(ctx, root, plan.Changes, plan.StateData)
		if err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		restore(b, root, before)
		b.StartTimer()
	}
}

// restore puts the tree at root back to files (path → content), removing
// anything else, and syncs the file system.
func restore(b *testing.B, root string, files map[string][]byte) {
	b.Helper()
	var extra []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if _, ok := files[p]; !ok && !d.IsDir() {
			extra = append(extra, p)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	for _, p := range extra {
		if err := os.Remove(p); err != nil {
			b.Fatal(err)
		}
	}
	for p, data := range files {
		if cur, err := os.ReadFile(p); err == nil && bytes.Equal(cur, data) {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	syscall.Sync()
}
