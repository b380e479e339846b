package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
)

// readTree returns every file under dir by slash path, skipping .git.
func readTree(dir string) (map[string][]byte, error) {
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if d.IsDir() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = data
		return nil
	})
	return out, err
}

// diffTrees describes every difference between want and got: missing,
// unexpected and differing files, with the first differing line of each.
func diffTrees(want, got map[string][]byte) []string {
	var diffs []string
	for p, w := range want {
		g, ok := got[p]
		switch {
		case !ok:
			diffs = append(diffs, "missing file "+p)
		case !bytes.Equal(w, g):
			diffs = append(diffs, fmt.Sprintf("%s differs: %s", p, firstDiff(w, g)))
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			diffs = append(diffs, "unexpected file "+p)
		}
	}
	sort.Strings(diffs)
	return diffs
}

func firstDiff(want, got []byte) string {
	wl, gl := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g || i >= len(wl) || i >= len(gl) {
			return fmt.Sprintf("line %d: want %q, got %q", i+1, w, g)
		}
	}
	return "same lines, different bytes"
}

// cmdTreeEqual: treeequal dir1 dir2 — the two trees hold the same files
// with the same bytes (.git aside).
func cmdTreeEqual(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: treeequal dir1 dir2")
	}
	a, err := readTree(ts.MkAbs(args[0]))
	ts.Check(err)
	b, err := readTree(ts.MkAbs(args[1]))
	ts.Check(err)
	diffs := diffTrees(a, b)
	if neg && len(diffs) == 0 {
		ts.Fatalf("%s and %s are equal", args[0], args[1])
	}
	if !neg && len(diffs) > 0 {
		ts.Fatalf("%s and %s differ:\n%s", args[0], args[1], strings.Join(diffs, "\n"))
	}
}

// cmdCopyTree: copytree src dst — copies a directory tree.
func cmdCopyTree(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 || neg {
		ts.Fatalf("usage: copytree src dst")
	}
	src, dst := ts.MkAbs(args[0]), ts.MkAbs(args[1])
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	ts.Check(err)
}

// cmdAppendFile: appendfile src dst — appends the content of src to dst.
func cmdAppendFile(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 || neg {
		ts.Fatalf("usage: appendfile src dst")
	}
	data, err := os.ReadFile(ts.MkAbs(args[0]))
	ts.Check(err)
	f, err := os.OpenFile(ts.MkAbs(args[1]), os.O_APPEND|os.O_WRONLY, 0)
	ts.Check(err)
	_, err = f.Write(data)
	ts.Check(err)
	ts.Check(f.Close())
}

// cmdReplace: replace file old new — replaces every occurrence of old (which
// must occur) with new; \n in either stands for a newline.
func cmdReplace(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 3 || neg {
		ts.Fatalf("usage: replace file old new")
	}
	p := ts.MkAbs(args[0])
	data, err := os.ReadFile(p)
	ts.Check(err)
	old := strings.ReplaceAll(args[1], `\n`, "\n")
	repl := strings.ReplaceAll(args[2], `\n`, "\n")
	if !strings.Contains(string(data), old) {
		ts.Fatalf("%s does not contain %q", args[0], old)
	}
	ts.Check(os.WriteFile(p, []byte(strings.ReplaceAll(string(data), old, repl)), 0o644))
}

// cmdPrependFile: prependfile src dst — inserts the content of src at the
// start of dst.
func cmdPrependFile(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 || neg {
		ts.Fatalf("usage: prependfile src dst")
	}
	head, err := os.ReadFile(ts.MkAbs(args[0]))
	ts.Check(err)
	p := ts.MkAbs(args[1])
	body, err := os.ReadFile(p)
	ts.Check(err)
	ts.Check(os.WriteFile(p, append(head, body...), 0o644))
}
