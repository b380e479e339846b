package generator

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
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
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := writeFile(staging, f.Path, f.Data); err != nil {
			return err
		}
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
	return moveInto(staging, dir)
}

func writeFile(root, rel string, data []byte) error {
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, data, 0o644)
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

// moveInto moves every file of staging into dir, replacing files at the same
// paths. Replaced files are kept aside until the end, so a failure half-way
// restores dir exactly.
func moveInto(staging, dir string) error {
	backup, err := os.MkdirTemp(filepath.Dir(dir), ".kit-backup-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(backup)
	type moved struct{ dst, saved string }
	var done []moved
	var createdDirs []string
	rollback := func() {
		for i := len(done) - 1; i >= 0; i-- {
			os.Remove(done[i].dst)
			if done[i].saved != "" {
				os.Rename(done[i].saved, done[i].dst)
			}
		}
		for i := len(createdDirs) - 1; i >= 0; i-- {
			os.Remove(createdDirs[i])
		}
	}
	err = filepath.WalkDir(staging, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(staging, p)
		if rel == "." {
			return nil
		}
		dst := filepath.Join(dir, rel)
		if d.IsDir() {
			fi, err := os.Lstat(dst)
			switch {
			case errors.Is(err, fs.ErrNotExist):
				if err := os.Mkdir(dst, 0o755); err != nil {
					return err
				}
				createdDirs = append(createdDirs, dst)
			case err != nil:
				return err
			case !fi.IsDir():
				return fmt.Errorf("%s exists and is not a directory", dst)
			}
			return nil
		}
		m := moved{dst: dst}
		if fi, err := os.Lstat(dst); err == nil {
			if fi.IsDir() {
				return fmt.Errorf("%s is a directory; kit would write a file there", dst)
			}
			m.saved = filepath.Join(backup, rel)
			if err := os.MkdirAll(filepath.Dir(m.saved), 0o755); err != nil {
				return err
			}
			if err := os.Rename(dst, m.saved); err != nil {
				return err
			}
		}
		if err := os.Rename(p, dst); err != nil {
			if m.saved != "" {
				os.Rename(m.saved, dst)
			}
			return err
		}
		done = append(done, m)
		return nil
	})
	if err != nil {
		rollback()
	}
	return err
}
