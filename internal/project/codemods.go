package project

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/agencystandard/kit/generator"
	"github.com/agencystandard/kit/generator/codemod"
	"github.com/agencystandard/kit/generator/txn"
)

// skipDirs are never searched for Go files to rewrite.
var skipDirs = map[string]bool{".git": true, "vendor": true, "node_modules": true, "testdata": true}

// applyCodemods runs the codemods due between the releases on every Go
// file of the repository as the plan leaves it, and folds what they rewrite
// into the plan: a file the plan writes gets the rewritten content, any
// other becomes a Rewritten change.
func applyCodemods(root string, p *Plan, due []codemod.Codemod) error {
	if len(due) == 0 {
		return nil
	}
	modPath := ""
	if data, err := os.ReadFile(filepath.Join(root, "go.mod")); err == nil {
		modPath = modfile.ModulePath(data)
	}
	if modPath == "" {
		return nil // nothing to resolve the old import paths against
	}
	index := map[string]int{}
	for i, c := range p.Changes {
		index[c.Path] = i
	}
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrPermission) {
				return nil
			}
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (skipDirs[name] || strings.HasPrefix(name, txn.TxPrefix)) {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || !strings.HasSuffix(name, ".go") {
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		i, planned := index[rel]
		var src []byte
		switch {
		case planned && p.Changes[i].Outcome.HasMarkers():
			return nil // the user resolves it first
		case planned && p.Changes[i].Write:
			src = p.Changes[i].Data
		case planned && len(p.Changes[i].Remove) > 0:
			return nil
		default:
			if src, err = os.ReadFile(path); err != nil {
				return err
			}
		}
		out, notes := src, []string(nil)
		for _, c := range due {
			next, changed, err := c.Rewrite(modPath, out)
			if err != nil || !changed {
				continue // a file that does not parse is left to the build to report
			}
			out = next
			notes = append(notes, "codemod "+c.ID+": "+c.Summary)
		}
		if notes == nil {
			return nil
		}
		note := strings.Join(notes, "; ")
		if planned {
			c := &p.Changes[i]
			if !c.Write {
				c.Old = src
			}
			c.Data, c.Write = out, true
			if c.Note != "" {
				note = c.Note + "; " + note
			}
			c.Note = note
			return nil
		}
		p.Changes = append(p.Changes, generator.Change{Path: rel, Outcome: generator.Rewritten, Note: note, Data: out, Write: true, Old: src})
		index[rel] = len(p.Changes) - 1
		return nil
	})
}
