// Package codemod holds the rewrites kit applies to a generated repository's
// own Go code when an update changes an API that code may use: the contract
// between the chassis and the user's code changes only together with a
// codemod that carries the user's code across, and a CHANGELOG entry.
//
// A codemod is a pure function of one file's source. `kit update` runs the
// codemods of every release after the repository's and up to its own on
// each Go file of the repository (as it will be after the merge), lists the
// files it rewrote in the plan, and writes them in the same transaction.
package codemod

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"sort"
	"strconv"

	"golang.org/x/mod/semver"
)

// Codemod is one rewrite of user code.
type Codemod struct {
	// ID names it in plans and notes.
	ID string
	// Since is the release whose API it moves code to: it runs for
	// repositories of earlier releases.
	Since string
	// Summary says what it does, for the plan.
	Summary string
	// Rewrite returns the file's new source and whether it changed
	// anything. modulePath is the repository's module path.
	Rewrite func(modulePath string, src []byte) ([]byte, bool, error)
}

// All lists every codemod, oldest release first.
var All = []Codemod{
	{
		ID:      "testdb-apptest",
		Since:   "v0.2.0",
		Summary: "testdb.New, NewWithOwner, URL and URLs moved to internal/app/apptest (testdb no longer imports internal/app)",
		Rewrite: moveCalls("internal/platform/testdb", "internal/app/apptest", "apptest", "New", "NewWithOwner", "URL", "URLs"),
	},
}

// Due returns the codemods that move a repository of release from to
// release to, in order. An unknown from ("" — a repository not made by a
// release) gets every codemod up to to: each rewrites only uses of the old
// API, so running one on code that never used it changes nothing.
func Due(from, to string) []Codemod {
	var out []Codemod
	for _, c := range All {
		if semver.Compare(c.Since, to) > 0 {
			continue
		}
		if from != "" && semver.Compare(c.Since, from) <= 0 {
			continue
		}
		out = append(out, c)
	}
	return out
}

// moveCalls rewrites pkg.F to newName.F for the functions names moved from
// the package at modulePath/from to modulePath/to, fixing the imports: the
// old import goes when nothing else uses it.
func moveCalls(from, to, newName string, names ...string) func(string, []byte) ([]byte, bool, error) {
	moved := map[string]bool{}
	for _, n := range names {
		moved[n] = true
	}
	return func(modulePath string, src []byte) ([]byte, bool, error) {
		oldPath, newPath := modulePath+"/"+from, modulePath+"/"+to
		if !bytes.Contains(src, []byte(strconv.Quote(oldPath))) {
			return src, false, nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "", src, parser.ParseComments)
		if err != nil {
			return src, false, fmt.Errorf("parse: %w", err)
		}
		var spec *ast.ImportSpec
		hasNew := false
		for _, s := range f.Imports {
			p, _ := strconv.Unquote(s.Path.Value)
			switch p {
			case oldPath:
				spec = s
			case newPath:
				hasNew = s.Name == nil || s.Name.Name == newName
			}
		}
		if spec == nil {
			return src, false, nil
		}
		local := "testdb"
		if spec.Name != nil {
			local = spec.Name.Name
		}
		if local == "_" || local == "." {
			return src, false, nil
		}
		type edit struct {
			off, end int
			text     string
		}
		var edits []edit
		others := 0
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			x, ok := sel.X.(*ast.Ident)
			if !ok || x.Name != local || x.Obj != nil {
				return true
			}
			if moved[sel.Sel.Name] {
				edits = append(edits, edit{fset.Position(x.Pos()).Offset, fset.Position(x.End()).Offset, newName})
			} else {
				others++
			}
			return true
		})
		if len(edits) == 0 {
			return src, false, nil
		}
		start, end := fset.Position(spec.Pos()).Offset, fset.Position(spec.End()).Offset
		switch {
		case others == 0 && !hasNew:
			edits = append(edits, edit{start, end, strconv.Quote(newPath)})
		case others == 0:
			edits = append(edits, edit{start, end, ""})
		case !hasNew && parenthesized(f, spec):
			edits = append(edits, edit{end, end, "\n\t" + strconv.Quote(newPath)})
		case !hasNew:
			edits = append(edits, edit{end, end, "\nimport " + strconv.Quote(newPath)})
		}
		sort.Slice(edits, func(i, j int) bool { return edits[i].off > edits[j].off })
		out := append([]byte{}, src...)
		for _, e := range edits {
			out = append(out[:e.off], append([]byte(e.text), out[e.end:]...)...)
		}
		formatted, err := format.Source(out)
		if err != nil {
			return src, false, fmt.Errorf("the rewritten file does not parse: %w", err)
		}
		return formatted, true, nil
	}
}

// parenthesized reports whether spec sits in an import ( ... ) block.
func parenthesized(f *ast.File, spec *ast.ImportSpec) bool {
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.IMPORT {
			continue
		}
		for _, s := range g.Specs {
			if s == spec {
				return g.Lparen.IsValid()
			}
		}
	}
	return false
}
