package merge

import (
	"fmt"
	"go/version"
	"sort"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/semver"
)

// GoMod merges go.mod files structurally: the user's file is kept, with the
// template's changes (base → theirs) applied to it.
//
//   - A requirement the template added, changed (version or // indirect) or
//     dropped is carried where the user had left it as in base.
//   - Where both sides changed a requirement's version, the higher one wins,
//     except that a version the user lowered below base is kept: a deliberate
//     downgrade is never reverted, and each one the template would have
//     raised is reported in the notes.
//   - The go and toolchain directives follow the template whenever it changed
//     them; when the user changed them too, the higher version wins.
//
// The user's replace, exclude and retract directives and comments are kept
// as they are. Requirements are written as `go mod tidy` writes them: a
// block of direct ones followed by a block of indirect ones.
func GoMod(base, ours, theirs string) (merged string, notes []string, err error) {
	bf, err := modfile.Parse("go.mod (base)", []byte(base), nil)
	if err != nil {
		return "", nil, err
	}
	of, err := modfile.Parse("go.mod", []byte(ours), nil)
	if err != nil {
		return "", nil, fmt.Errorf("your go.mod does not parse: %w", err)
	}
	tf, err := modfile.Parse("go.mod (kit)", []byte(theirs), nil)
	if err != nil {
		return "", nil, err
	}
	baseReq, ourReq, theirReq := requirements(bf), requirements(of), requirements(tf)

	want := map[string]*modfile.Require{}
	for path, or := range ourReq {
		want[path] = &modfile.Require{Mod: or.Mod, Indirect: or.Indirect}
	}
	for path, tr := range theirReq {
		br, inBase := baseReq[path]
		or, inOurs := ourReq[path]
		switch {
		case !inOurs:
			if inBase && br.Mod.Version == tr.Mod.Version {
				continue // the user removed a requirement the template still has: keep it removed
			}
			want[path] = &modfile.Require{Mod: tr.Mod, Indirect: tr.Indirect}
			continue
		case !inBase:
			// Added on both sides: the higher version.
			if semver.Compare(tr.Mod.Version, or.Mod.Version) > 0 {
				want[path].Mod.Version = tr.Mod.Version
			}
		case tr.Mod.Version == br.Mod.Version:
			// The template kept the version: the user's stands.
		case or.Mod.Version == br.Mod.Version:
			want[path].Mod.Version = tr.Mod.Version
		case semver.Compare(or.Mod.Version, br.Mod.Version) < 0:
			// The user downgraded it on purpose: keep theirs, say so.
			if semver.Compare(tr.Mod.Version, or.Mod.Version) > 0 {
				notes = append(notes, fmt.Sprintf("kept your %s %s; the template moved it to %s",
					path, or.Mod.Version, tr.Mod.Version))
			}
		case semver.Compare(tr.Mod.Version, or.Mod.Version) > 0:
			want[path].Mod.Version = tr.Mod.Version
		}
		// Direct or indirect: the template's change applies where the user
		// had kept base's marking.
		switch {
		case !inBase:
			want[path].Indirect = or.Indirect && tr.Indirect
		case or.Indirect == br.Indirect:
			want[path].Indirect = tr.Indirect
		}
	}
	for path, br := range baseReq {
		if _, kept := theirReq[path]; kept {
			continue
		}
		if or, ok := ourReq[path]; ok && or.Mod.Version == br.Mod.Version {
			delete(want, path) // dropped by the template, untouched by the user
		}
	}
	req := make([]*modfile.Require, 0, len(want))
	for _, r := range want {
		req = append(req, r)
	}
	sort.Slice(req, func(i, j int) bool { return req[i].Mod.Path < req[j].Mod.Path })
	of.SetRequireSeparateIndirect(req)

	if v, ok := mergeDirective(goVersion(bf), goVersion(of), goVersion(tf), "go"); ok {
		if v == "" {
			of.DropGoStmt()
		} else if err := of.AddGoStmt(v); err != nil {
			return "", nil, err
		}
	}
	if v, ok := mergeDirective(toolchain(bf), toolchain(of), toolchain(tf), ""); ok {
		if v == "" {
			of.DropToolchainStmt()
		} else if err := of.AddToolchainStmt(v); err != nil {
			return "", nil, err
		}
	}
	of.Cleanup()
	out, err := of.Format()
	if err != nil {
		return "", nil, err
	}
	sort.Strings(notes)
	return string(out), notes, nil
}

// mergeDirective merges a go or toolchain directive ("" when absent); prefix
// turns its value into a Go version ("go" for the go directive, whose value
// lacks it). It reports whether the user's value must change: when the
// template changed the directive textually, its value is taken, unless the
// user changed it too, to a version at least as high.
func mergeDirective(base, ours, theirs, prefix string) (string, bool) {
	if theirs == base || theirs == ours {
		return "", false
	}
	if ours != base && ours != "" && theirs != "" && version.Compare(prefix+ours, prefix+theirs) >= 0 {
		return "", false
	}
	if ours != base && theirs == "" {
		return "", false // dropped by the template, changed by the user
	}
	return theirs, true
}

func goVersion(f *modfile.File) string {
	if f.Go == nil {
		return ""
	}
	return f.Go.Version
}

func toolchain(f *modfile.File) string {
	if f.Toolchain == nil {
		return ""
	}
	return f.Toolchain.Name
}

func requirements(f *modfile.File) map[string]*modfile.Require {
	m := make(map[string]*modfile.Require, len(f.Require))
	for _, r := range f.Require {
		m[r.Mod.Path] = r
	}
	return m
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
