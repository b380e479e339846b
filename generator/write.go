package generator

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"

	"github.com/agencystandard/kit/generator/internal/parallel"
	"github.com/agencystandard/kit/generator/txn"
)

// ErrNotEmpty is returned by WriteProject when the target directory holds
// files and overwriting was not asked for.
var ErrNotEmpty = errors.New("target directory exists and is not empty")

// WriteOptions tunes WriteProject.
type WriteOptions struct {
	// Force allows writing into a non-empty directory: generated files
	// replace files at the same paths, other files are left alone.
	Force bool
	// Finish, when set, runs on the fully written staging directory before it
	// is moved into place (for example to create the first git commit), so a
	// failure there also leaves nothing behind.
	Finish func(ctx context.Context, staging string) error
}

// WriteProject writes files into dir so that either all of them land or none
// do. Files are written into a staging directory beside dir, which is then
// renamed into place; on any error, or when ctx is cancelled, the staging
// directory is removed and dir is left as it was.
func WriteProject(ctx context.Context, dir string, files []File, opts WriteOptions) (err error) {
	dir, err = filepath.Abs(dir)
	if err != nil {
		return err
	}
	empty, exists, err := dirState(dir)
	if err != nil {
		return err
	}
	if exists && !empty && !opts.Force {
		return ErrNotEmpty
	}
	parent := filepath.Dir(dir)
	createdParent, err := mkdirAllTracked(parent)
	if err != nil {
		return fmt.Errorf("create %s: %w", parent, err)
	}
	staging, err := os.MkdirTemp(parent, ".kit-"+filepath.Base(dir)+"-*")
	if err != nil {
		return fmt.Errorf("create staging directory: %w", err)
	}
	defer func() {
		os.RemoveAll(staging)
		if err != nil && createdParent != "" {
			os.RemoveAll(createdParent)
		}
	}()
	if err := writeFiles(ctx, staging, files); err != nil {
		return err
	}
	if opts.Finish != nil {
		if err := opts.Finish(ctx, staging); err != nil {
			return err
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if !exists || empty {
		if exists {
			if err := os.Remove(dir); err != nil {
				return err
			}
		}
		// staging is not empty, so it is set to 0700 by MkdirTemp; widen it
		// to what a user-created directory would have.
		if err := os.Chmod(staging, 0o755); err != nil {
			return err
		}
		return os.Rename(staging, dir)
	}
	return moveInto(ctx, staging, dir)
}

// writeFiles writes files under root (a fresh directory): the directories
// first, each once, then the files from a few goroutines, since creating a
// file is a system call that waits on the file system far longer than
// kit spends on it. The first error in path order is returned.
func writeFiles(ctx context.Context, root string, files []File) error {
	dirs := map[string]bool{}
	var order []string
	for _, f := range files {
		d := path.Dir(f.Path)
		if !dirs[d] {
			dirs[d] = true
			order = append(order, d)
		}
	}
	sort.Strings(order) // parents before children
	made := map[string]bool{".": true}
	for _, d := range order {
		if made[d] {
			continue
		}
		if err := os.MkdirAll(filepath.Join(root, filepath.FromSlash(d)), 0o755); err != nil {
			return err
		}
		for ; d != "." && !made[d]; d = path.Dir(d) {
			made[d] = true
		}
	}
	errs := make([]error, len(files))
	parallel.Each(ctx, len(files), writers, func(i int) {
		p := filepath.Join(root, filepath.FromSlash(files[i].Path))
		errs[i] = os.WriteFile(p, files[i].Data, 0o644)
	})
	if err := ctx.Err(); err != nil {
		return err
	}
	return firstError(errs)
}

// writers is how many files WriteProject writes at once.
const writers = 8

func firstError(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// dirState reports whether dir exists and whether it is an empty directory.
func dirState(dir string) (empty, exists bool, err error) {
	fi, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return false, false, nil
	}
	if err != nil {
		return false, false, err
	}
	if !fi.IsDir() {
		return false, true, fmt.Errorf("%s exists and is not a directory", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false, true, err
	}
	return len(entries) == 0, true, nil
}

// mkdirAllTracked creates dir and its missing parents and returns the
// top-most directory it created ("" if none), so a failure can undo it.
func mkdirAllTracked(dir string) (string, error) {
	top := ""
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil {
			break
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		top = d
		if filepath.Dir(d) == d {
			break
		}
	}
	return top, os.MkdirAll(dir, 0o755)
}

// moveInto moves every file of staging into dir in one Transaction,
// replacing files at the same paths, so a failure or a crash half-way
// leaves dir as it was (Recover undoes it after a crash).
func moveInto(ctx context.Context, staging, dir string) error {
	tx, err := txn.Begin(dir)
	if err != nil {
		return err
	}
	err = filepath.WalkDir(staging, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(staging, p)
		if err != nil || rel == "." {
			return err
		}
		if d.IsDir() {
			return tx.Mkdir(rel)
		}
		return tx.Move(rel, p)
	})
	if err == nil {
		err = tx.Apply(ctx)
	}
	if err == nil {
		return tx.Commit()
	}
	tx.Rollback()
	return err
}
