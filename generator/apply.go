package generator

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Transaction applies a set of file writes and removals to a working tree
// so that either all of them hold or none do: every replaced or removed file
// is kept aside until Commit, and Rollback puts everything back.
type Transaction struct {
	root    string
	backup  string
	staged  string
	applied []applied
	dirs    []string // directories created, in creation order
	done    bool
}

type applied struct {
	path  string // absolute
	saved string // where the original went ("" if there was none)
}

// Begin starts a transaction on root. Scratch space lives in a hidden
// directory inside root, so renames never cross file systems.
func Begin(root string) (*Transaction, error) {
	scratch, err := os.MkdirTemp(root, ".kit-tx-*")
	if err != nil {
		return nil, fmt.Errorf("start update: %w", err)
	}
	tx := &Transaction{root: root, backup: filepath.Join(scratch, "backup"), staged: filepath.Join(scratch, "staged")}
	for _, d := range []string{tx.backup, tx.staged} {
		if err := os.Mkdir(d, 0o755); err != nil {
			os.RemoveAll(scratch)
			return nil, err
		}
	}
	return tx, nil
}

func (tx *Transaction) scratch() string { return filepath.Dir(tx.backup) }

// Write replaces (or creates) the file at rel with data.
func (tx *Transaction) Write(rel string, data []byte) error {
	dst := filepath.Join(tx.root, filepath.FromSlash(rel))
	staged := filepath.Join(tx.staged, fmt.Sprint(len(tx.applied)))
	mode := fs.FileMode(0o644)
	if fi, err := os.Stat(dst); err == nil {
		if fi.IsDir() {
			return fmt.Errorf("%s is a directory; kit would write a file there", rel)
		}
		mode = fi.Mode().Perm()
	}
	if err := os.WriteFile(staged, data, mode); err != nil {
		return err
	}
	if err := tx.mkdirs(filepath.Dir(dst)); err != nil {
		return err
	}
	a := applied{path: dst}
	if err := tx.setAside(&a, rel); err != nil {
		return err
	}
	if err := os.Rename(staged, dst); err != nil {
		tx.restore(a)
		return err
	}
	tx.applied = append(tx.applied, a)
	return nil
}

// Remove deletes the file at rel; a missing file is not an error.
func (tx *Transaction) Remove(rel string) error {
	a := applied{path: filepath.Join(tx.root, filepath.FromSlash(rel))}
	if err := tx.setAside(&a, rel); err != nil {
		return err
	}
	if a.saved != "" {
		tx.applied = append(tx.applied, a)
	}
	return nil
}

// setAside moves an existing file at a.path into the backup area.
func (tx *Transaction) setAside(a *applied, rel string) error {
	if _, err := os.Lstat(a.path); errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	a.saved = filepath.Join(tx.backup, fmt.Sprint(len(tx.applied)))
	return os.Rename(a.path, a.saved)
}

func (tx *Transaction) restore(a applied) {
	os.Remove(a.path)
	if a.saved != "" {
		os.Rename(a.saved, a.path)
	}
}

func (tx *Transaction) mkdirs(dir string) error {
	var missing []string
	for d := dir; d != tx.root; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil {
			break
		}
		missing = append(missing, d)
		if filepath.Dir(d) == d {
			break
		}
	}
	for i := len(missing) - 1; i >= 0; i-- {
		if err := os.Mkdir(missing[i], 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
		tx.dirs = append(tx.dirs, missing[i])
	}
	return nil
}

// Rollback undoes everything applied, newest first.
func (tx *Transaction) Rollback() error {
	if tx.done {
		return nil
	}
	tx.done = true
	for i := len(tx.applied) - 1; i >= 0; i-- {
		tx.restore(tx.applied[i])
	}
	for i := len(tx.dirs) - 1; i >= 0; i-- {
		os.Remove(tx.dirs[i])
	}
	return os.RemoveAll(tx.scratch())
}

// Commit makes the changes final and removes directories that removals
// emptied.
func (tx *Transaction) Commit() error {
	if tx.done {
		return errors.New("transaction already finished")
	}
	tx.done = true
	var parents []string
	for _, a := range tx.applied {
		if _, err := os.Lstat(a.path); errors.Is(err, fs.ErrNotExist) {
			parents = append(parents, filepath.Dir(a.path))
		}
	}
	sort.Slice(parents, func(i, j int) bool { return len(parents[i]) > len(parents[j]) })
	for _, d := range parents {
		for ; d != tx.root && strings.HasPrefix(d, tx.root); d = filepath.Dir(d) {
			if os.Remove(d) != nil {
				break // not empty
			}
		}
	}
	return os.RemoveAll(tx.scratch())
}

// ApplyPlan applies changes and the new state file in one transaction,
// checking ctx between files. On error the transaction is rolled back; on
// success it is returned uncommitted, so the caller may verify the result
// and still roll back.
func ApplyPlan(ctx context.Context, root string, changes []Change, state []byte) (*Transaction, error) {
	tx, err := Begin(root)
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*Transaction, error) {
		tx.Rollback()
		return nil, err
	}
	for _, c := range changes {
		if err := ctx.Err(); err != nil {
			return fail(err)
		}
		for _, r := range c.Remove {
			if err := tx.Remove(r); err != nil {
				return fail(fmt.Errorf("remove %s: %w", r, err))
			}
		}
		if c.Write {
			if err := tx.Write(c.Path, c.Data); err != nil {
				return fail(fmt.Errorf("write %s: %w", c.Path, err))
			}
		}
		if c.Extra != nil {
			if err := tx.Write(c.Extra.Path, c.Extra.Data); err != nil {
				return fail(fmt.Errorf("write %s: %w", c.Extra.Path, err))
			}
		}
	}
	if err := tx.Write(StateFile, state); err != nil {
		return fail(fmt.Errorf("write %s: %w", StateFile, err))
	}
	if err := ctx.Err(); err != nil {
		return fail(err)
	}
	return tx, nil
}
