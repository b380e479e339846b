package project

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/agencystandard/kit/generator"
	"github.com/agencystandard/kit/templates"
)

// BenchmarkUpdate measures `kit update` on the full chassis: a repository
// where the user edited 50 files, moved to a template version that changed
// every Go file, so those 50 go through a real three-way merge. Each
// iteration plans, applies and rolls back.
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
	repo, err := Open(root)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		generator.ResetCaches() // each iteration is one cold kit update
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
		if err := tx.Rollback(); err != nil {
			b.Fatal(err)
		}
	}
}
