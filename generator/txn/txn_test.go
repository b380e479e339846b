package txn

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func write(t *testing.T, root, rel, data string, mode os.FileMode) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, root, rel string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func noScratch(t *testing.T, root string) {
	t.Helper()
	if m, _ := filepath.Glob(filepath.Join(root, TxPrefix+"*")); len(m) != 0 {
		t.Errorf("scratch directories left: %v", m)
	}
}

// Writes are staged by Apply, not by Write: until then the tree and the
// scratch directory hold nothing of them. Many files (more than are written
// at once) land with their contents, replaced files keep their modes, and
// Commit leaves no scratch directory, though it held every original.
func TestStagedWritesCommit(t *testing.T) {
	root := t.TempDir()
	const n = 3*syncers + 1
	for i := range n {
		write(t, root, fmt.Sprintf("d%d/f%d.txt", i%5, i), "old\n", 0o644)
	}
	write(t, root, "run.sh", "#!/bin/sh\n", 0o755)
	tx, err := Begin(root)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if err := tx.Write(fmt.Sprintf("d%d/f%d.txt", i%5, i), []byte(fmt.Sprintf("new %d\n", i))); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Write("run.sh", []byte("#!/bin/sh\necho\n")); err != nil {
		t.Fatal(err)
	}
	if err := tx.Write("fresh/new.txt", []byte("fresh\n")); err != nil {
		t.Fatal(err)
	}
	if staged, _ := os.ReadDir(filepath.Join(tx.scratch, "staged")); len(staged) != 0 {
		t.Errorf("Write staged %d files before Apply", len(staged))
	}
	if got := read(t, root, "d0/f0.txt"); got != "old\n" {
		t.Errorf("before Apply d0/f0.txt = %q", got)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if got, want := read(t, root, fmt.Sprintf("d%d/f%d.txt", i%5, i)), fmt.Sprintf("new %d\n", i); got != want {
			t.Errorf("f%d = %q, want %q", i, got, want)
		}
	}
	if fi, err := os.Stat(filepath.Join(root, "run.sh")); err != nil || fi.Mode().Perm() != 0o755 {
		t.Errorf("run.sh mode = %v, %v; want 0755 kept", fi.Mode().Perm(), err)
	}
	if got := read(t, root, "fresh/new.txt"); got != "fresh\n" {
		t.Errorf("fresh/new.txt = %q", got)
	}
	noScratch(t, root)
}

// Rollback after Apply puts every original back, contents and modes, and
// takes away what was new.
func TestStagedWritesRollback(t *testing.T) {
	root := t.TempDir()
	const n = 2*syncers + 3
	for i := range n {
		write(t, root, fmt.Sprintf("f%d.txt", i), fmt.Sprintf("old %d\n", i), 0o600)
	}
	tx, err := Begin(root)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if err := tx.Write(fmt.Sprintf("f%d.txt", i), []byte("new\n")); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Write("added/x.txt", []byte("x\n")); err != nil {
		t.Fatal(err)
	}
	if err := tx.Apply(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := read(t, root, "f0.txt"); got != "new\n" {
		t.Fatalf("after Apply f0.txt = %q", got)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		p := fmt.Sprintf("f%d.txt", i)
		if got, want := read(t, root, p), fmt.Sprintf("old %d\n", i); got != want {
			t.Errorf("%s = %q, want %q", p, got, want)
		}
		if fi, err := os.Stat(filepath.Join(root, p)); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s mode = %v, %v; want 0600", p, fi.Mode().Perm(), err)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "added")); !os.IsNotExist(err) {
		t.Errorf("added/ survived the rollback: %v", err)
	}
	noScratch(t, root)
}

// A write that cannot be staged fails Apply, which rolls back: nothing in
// the tree changed and no scratch directory is left.
func TestStagingFailureChangesNothing(t *testing.T) {
	root := t.TempDir()
	write(t, root, "a.txt", "a\n", 0o644)
	tx, err := Begin(root)
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Write("a.txt", []byte("A\n")); err != nil {
		t.Fatal(err)
	}
	// The staged file's name is taken: its exclusive creation fails.
	if err := os.WriteFile(filepath.Join(tx.scratch, filepath.FromSlash(tx.pending[0].staged)), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := tx.Apply(context.Background()); err == nil {
		t.Fatal("Apply succeeded although a file could not be staged")
	}
	if got := read(t, root, "a.txt"); got != "a\n" {
		t.Errorf("a.txt = %q after a failed Apply", got)
	}
	noScratch(t, root)
}
