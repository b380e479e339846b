package merge

import (
	"fmt"
	"sort"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/semver"
)

// GoMod merges go.mod files structurally: the user's file is kept, with the
// template's changes (base → theirs) applied to it: requirements are the
// union of both sides with the higher version winning, requirements the
// template dropped are dropped only when the user had not changed them, and
// the go directive is the higher of the two. The user's replace, exclude and
// retract directives and comments are kept as they are.
func GoMod(base, ours, theirs string) (string, error) {
	bf, err := modfile.Parse("go.mod (base)", []byte(base), nil)
	if err != nil {
		return "", err
	}
	of, err := modfile.Parse("go.mod", []byte(ours), nil)
	if err != nil {
		return "", fmt.Errorf("your go.mod does not parse: %w", err)
	}
	tf, err := modfile.Parse("go.mod (kit)", []byte(theirs), nil)
	if err != nil {
		return "", err
	}
	baseReq := requirements(bf)
	ourReq := requirements(of)
	for path, tr := range requirements(tf) {
		or, ok := ourReq[path]
		switch {
		case !ok:
			if br, inBase := baseReq[path]; inBase && br.Mod.Version == tr.Mod.Version {
				continue // the user removed a requirement the template still has: keep it removed
			}
			if err := of.AddRequire(path, tr.Mod.Version); err != nil {
				return "", err
			}
			setIndirect(of, path, tr.Indirect)
		case semver.Compare(tr.Mod.Version, or.Mod.Version) > 0:
			if err := of.AddRequire(path, tr.Mod.Version); err != nil {
				return "", err
			}
			if !tr.Indirect {
				setIndirect(of, path, false)
			}
		}
	}
	theirReq := requirements(tf)
	for path, br := range baseReq {
		if _, kept := theirReq[path]; kept {
			continue
		}
		if or, ok := ourReq[path]; ok && or.Mod.Version == br.Mod.Version {
			if err := of.DropRequire(path); err != nil {
				return "", err
			}
		}
	}
	if tf.Go != nil && (of.Go == nil || versionLess(of.Go.Version, tf.Go.Version)) {
		if err := of.AddGoStmt(tf.Go.Version); err != nil {
			return "", err
		}
	}
	if tf.Toolchain != nil && (of.Toolchain == nil || (bf.Toolchain != nil && of.Toolchain.Name == bf.Toolchain.Name)) {
		if err := of.AddToolchainStmt(tf.Toolchain.Name); err != nil {
			return "", err
		}
	}
	of.Cleanup()
	of.SetRequireSeparateIndirect(of.Require)
	out, err := of.Format()
	if err != nil {
		return "", err
	}
	return string(out), nil
}

func requirements(f *modfile.File) map[string]*modfile.Require {
	m := make(map[string]*modfile.Require, len(f.Require))
	for _, r := range f.Require {
		m[r.Mod.Path] = r
	}
	return m
}

func setIndirect(f *modfile.File, path string, indirect bool) {
	for _, r := range f.Require {
		if r.Mod.Path == path && r.Indirect != indirect {
			r.Indirect = indirect
			r.Syntax.Comments.Suffix = nil
			if indirect {
				r.Syntax.Comments.Suffix = []modfile.Comment{{Token: "// indirect", Suffix: true}}
			}
		}
	}
}

func versionLess(a, b string) bool {
	return semver.Compare("v"+a, "v"+b) < 0
}

// GoSum merges go.sum files: the union of both sides' lines, sorted, which
// holds every checksum either side's requirements need. `go mod tidy` may
// later remove lines neither needs.
func GoSum(ours, theirs string) string {
	seen := map[string]bool{}
	var lines []string
	for _, text := range []string{ours, theirs} {
		for _, l := range strings.Split(text, "\n") {
			if l = strings.TrimSpace(l); l != "" && !seen[l] {
				seen[l] = true
				lines = append(lines, l)
			}
		}
	}
	sort.Strings(lines)
	if len(lines) == 0 {
		return ""
	}
	return strings.Join(lines, "\n") + "\n"
}
