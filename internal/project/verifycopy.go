package project

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/agencystandard/kit/generator"
	"github.com/agencystandard/kit/generator/txn"
)

// verify runs the verification; tests replace it.
var verify = Verify

// VerifyPlan applies the plan to a scratch copy of the repository and
// verifies the copy, so the real tree never holds an unverified merge. The
// copy leaves out .git and directories a build does not need.
func VerifyPlan(ctx context.Context, r *Repo, p *Plan, tests bool) error {
	tmp, err := os.MkdirTemp("", "kit-verify-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	// Keep the directory's name: some tools read it.
	dir := filepath.Join(tmp, filepath.Base(r.Root))
	if err := copyTree(ctx, r.Root, dir); err != nil {
		return fmt.Errorf("copy the repository to verify it: %w", err)
	}
	tx, err := generator.ApplyPlan(ctx, dir, p.Changes, p.StateData)
	if err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	return verify(ctx, dir, tests)
}

// skipInCopy reports whether the verification copy leaves out the
// directory rel: version control, scratch space, dependencies of other
// tool chains and build output.
func skipInCopy(rel string, name string) bool {
	switch {
	case name == ".git" || name == ".hg" || name == ".svn" || name == "node_modules":
		return true
	case strings.HasPrefix(name, txn.TxPrefix):
		return true
	}
	switch rel {
	case "bin", "tmp", "dist", ".cache":
		return true
	}
	return false
}

func copyTree(ctx context.Context, src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			if rel != "." && skipInCopy(filepath.ToSlash(rel), d.Name()) {
				return filepath.SkipDir
			}
			return os.MkdirAll(target, 0o755)
		case d.Type()&fs.ModeSymlink != 0:
			link, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		case !d.Type().IsRegular():
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		return copyFile(p, target, fi.Mode().Perm())
	})
}

func copyFile(src, dst string, mode fs.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
