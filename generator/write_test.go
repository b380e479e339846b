package generator

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

var sample = []File{
	{Path: "README.md", Data: []byte("readme\n")},
	{Path: "cmd/api/main.go", Data: []byte("package main\n")},
	{Path: "internal/x/y.go", Data: []byte("package x\n")},
}

// tree lists every path under dir (directories end in /) with file contents.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			out[filepath.ToSlash(rel)+"/"] = ""
			return nil
		}
		b, _ := os.ReadFile(p)
		out[filepath.ToSlash(rel)] = string(b)
		return nil
	})
	return out
}

func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

func TestWriteProjectCreatesTree(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "demo")
	if err := WriteProject(context.Background(), dir, sample, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	got := tree(t, dir)
	for _, f := range sample {
		if got[f.Path] != string(f.Data) {
			t.Errorf("%s = %q, want %q", f.Path, got[f.Path], f.Data)
		}
	}
	if names := entries(t, parent); len(names) != 1 || names[0] != "demo" {
		t.Errorf("parent holds %v, want only demo (no staging left)", names)
	}
	fi, _ := os.Stat(dir)
	if fi.Mode().Perm() != 0o755 {
		t.Errorf("project directory mode %v, want 0755", fi.Mode().Perm())
	}
}

func TestWriteProjectIntoEmptyDirAndMissingParents(t *testing.T) {
	parent := t.TempDir()
	empty := filepath.Join(parent, "empty")
	os.Mkdir(empty, 0o755)
	if err := WriteProject(context.Background(), empty, sample, WriteOptions{}); err != nil {
		t.Fatalf("empty directory: %v", err)
	}
	deep := filepath.Join(parent, "a", "b", "demo")
	if err := WriteProject(context.Background(), deep, sample, WriteOptions{}); err != nil {
		t.Fatalf("missing parents: %v", err)
	}
	if _, err := os.Stat(filepath.Join(deep, "README.md")); err != nil {
		t.Fatal(err)
	}
}

func TestWriteProjectRefusesNonEmptyWithoutForce(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "mine.txt"), []byte("mine"), 0o644)
	before := tree(t, dir)
	err := WriteProject(context.Background(), dir, sample, WriteOptions{})
	if !errors.Is(err, ErrNotEmpty) {
		t.Fatalf("err = %v, want ErrNotEmpty", err)
	}
	if after := tree(t, dir); len(after) != len(before) {
		t.Errorf("directory changed: %v", after)
	}
}

func TestWriteProjectForceKeepsOtherFiles(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "mine.txt"), []byte("mine"), 0o644)
	os.WriteFile(filepath.Join(dir, "README.md"), []byte("old"), 0o644)
	if err := WriteProject(context.Background(), dir, sample, WriteOptions{Force: true}); err != nil {
		t.Fatal(err)
	}
	got := tree(t, dir)
	if got["mine.txt"] != "mine" || got["README.md"] != "readme\n" || got["internal/x/y.go"] != "package x\n" {
		t.Errorf("after --force: %v", got)
	}
	if names := entries(t, filepath.Dir(dir)); len(names) != 1 {
		t.Errorf("staging or backup left beside the target: %v", names)
	}
}

func TestWriteProjectForceRollsBackOnFailure(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "README.md"), []byte("old"), 0o644)
	// A directory where kit wants a file makes the move fail half-way,
	// after README.md and cmd/api/main.go were moved.
	os.MkdirAll(filepath.Join(dir, "internal", "x", "y.go"), 0o755)
	before := tree(t, dir)
	err := WriteProject(context.Background(), dir, sample, WriteOptions{Force: true})
	if err == nil {
		t.Fatal("no error")
	}
	after := tree(t, dir)
	if len(after) != len(before) {
		t.Fatalf("tree not restored:\nbefore %v\nafter  %v", before, after)
	}
	for p, body := range before {
		if after[p] != body {
			t.Errorf("%s = %q, want %q", p, after[p], body)
		}
	}
}

func TestWriteProjectLeavesNothingOnFailureOrCancel(t *testing.T) {
	t.Run("finish fails", func(t *testing.T) {
		parent := t.TempDir()
		dir := filepath.Join(parent, "new", "demo")
		boom := errors.New("boom")
		err := WriteProject(context.Background(), dir, sample, WriteOptions{
			Finish: func(ctx context.Context, staging string) error {
				if _, err := os.Stat(filepath.Join(staging, "README.md")); err != nil {
					t.Errorf("finish ran before files were written: %v", err)
				}
				return boom
			},
		})
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v", err)
		}
		if names := entries(t, parent); len(names) != 0 {
			t.Errorf("left behind: %v", names)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		parent := t.TempDir()
		ctx, cancel := context.WithCancel(context.Background())
		err := WriteProject(ctx, filepath.Join(parent, "demo"), sample, WriteOptions{
			Finish: func(context.Context, string) error { cancel(); return nil },
		})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v", err)
		}
		if names := entries(t, parent); len(names) != 0 {
			t.Errorf("left behind: %v", names)
		}
	})
}

func TestWriteProjectRejectsFileTarget(t *testing.T) {
	p := filepath.Join(t.TempDir(), "file")
	os.WriteFile(p, []byte("x"), 0o644)
	if err := WriteProject(context.Background(), p, sample, WriteOptions{Force: true}); err == nil {
		t.Fatal("no error writing over a file")
	}
}
