package generator

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
)

// Composition: template sets never write each other's files. The chassis
// offers named slots in its files and one go.mod; each set declares what it
// contributes (fragments for slots, Go requirements and go.sum lines), and
// the engine composes them when it renders the sets together. A set is
// thereby one folder: installing it changes no other set's templates.

// Requirement is one Go module a template set needs.
type Requirement struct {
	Path, Version string
	// Indirect marks a module the set's code does not import itself.
	Indirect bool
}

func (r Requirement) String() string {
	s := r.Path + " " + r.Version
	if r.Indirect {
		s += " // indirect"
	}
	return s
}

// ParseRequirement reads "path version" or "path version // indirect".
func ParseRequirement(s string) (Requirement, error) {
	var r Requirement
	body, comment, hasComment := strings.Cut(s, "//")
	if hasComment {
		if strings.TrimSpace(comment) != "indirect" {
			return r, fmt.Errorf("requirement %q: the only comment allowed is // indirect", s)
		}
		r.Indirect = true
	}
	fields := strings.Fields(body)
	if len(fields) != 2 {
		return r, fmt.Errorf("requirement %q: want \"module/path v1.2.3\"", s)
	}
	r.Path, r.Version = fields[0], fields[1]
	if err := module.CheckPath(r.Path); err != nil {
		return r, fmt.Errorf("requirement %q: %w", s, err)
	}
	if !semver.IsValid(r.Version) {
		return r, fmt.Errorf("requirement %q: %q is not a module version", s, r.Version)
	}
	return r, nil
}

// Requirements returns the set's declared Go requirements.
func (m *Manifest) Requirements() []Requirement { return m.requirements }

var slotNameRE = regexp.MustCompile(`^[a-z][a-z0-9]*([._-][a-z0-9]+)*$`)

func validDelims(d []string) bool {
	return len(d) == 0 || (len(d) == 2 && d[0] != "" && d[1] != "")
}

// checkComposition checks the manifest's slots, fills and requirements.
func (m *Manifest) checkComposition(name string) error {
	declared := map[string]bool{}
	for i, s := range m.Slots {
		if !slotNameRE.MatchString(s.Name) {
			return fmt.Errorf("manifest %s: slots[%d]: name %q must be lower-case words joined by . _ or -", name, i, s.Name)
		}
		if declared[s.Name] {
			return fmt.Errorf("manifest %s: slot %q declared twice", name, s.Name)
		}
		declared[s.Name] = true
	}
	for i, f := range m.Fill {
		if f.Slot == "" || f.File == "" {
			return fmt.Errorf("manifest %s: fill[%d]: slot and file are required", name, i)
		}
		if !fs.ValidPath(f.File) || f.File == ManifestFile || f.File == SumFile {
			return fmt.Errorf("manifest %s: fill[%d]: file %q is not a path of the set", name, i, f.File)
		}
		if !validDelims(f.Delims) {
			return fmt.Errorf("manifest %s: fill[%d]: delims must be two non-empty strings, like [\"[[\", \"]]\"]", name, i)
		}
	}
	seen := map[string]bool{}
	for _, s := range m.GoRequire {
		r, err := ParseRequirement(s)
		if err != nil {
			return fmt.Errorf("manifest %s: go_require: %w", name, err)
		}
		if seen[r.Path] {
			return fmt.Errorf("manifest %s: go_require: %s listed twice", name, r.Path)
		}
		seen[r.Path] = true
		m.requirements = append(m.requirements, r)
	}
	return nil
}

// isFragment reports whether the template path p is one of the set's slot
// fragments (rendered into other files, never written itself).
func (m *Manifest) isFragment(p string) bool {
	for _, f := range m.Fill {
		if f.File == p {
			return true
		}
	}
	return false
}

// slotFragments renders every fill of sets, by slot name. Within a slot the
// fragments follow the sets' names, so the bytes do not depend on the
// order in which cartridges were added. A fill for a slot that no set
// declares is an error (a typo, or a cartridge for another chassis).
func slotFragments(sets []*TemplateSet, data map[string]any) (map[string][]string, error) {
	declared := map[string]string{}
	for _, s := range sets {
		for _, d := range s.Manifest.Slots {
			declared[d.Name] = s.Manifest.Name
		}
	}
	ordered := append([]*TemplateSet{}, sets...)
	sort.SliceStable(ordered, func(i, j int) bool { return ordered[i].Manifest.Name < ordered[j].Manifest.Name })
	out := map[string][]string{}
	for _, s := range ordered {
		for _, f := range s.Manifest.Fill {
			if _, ok := declared[f.Slot]; !ok {
				return nil, fmt.Errorf("%s: fills slot %q, which no installed template set offers (available: %s)",
					s.Manifest.Name, f.Slot, strings.Join(sortedKeys(declared), ", "))
			}
			raw, err := fs.ReadFile(s.FS, f.File)
			if err != nil {
				return nil, fmt.Errorf("%s: slot %q: %w", s.Manifest.Name, f.Slot, err)
			}
			left, right := "", ""
			if len(f.Delims) == 2 {
				left, right = f.Delims[0], f.Delims[1]
			}
			text, err := executeDelims(s.Manifest.Name+"/"+f.File, string(raw), data, left, right, nil)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", s.Manifest.Name, err)
			}
			out[f.Slot] = append(out[f.Slot], string(text))
		}
	}
	return out, nil
}

// slotFunc is the template function {{ slot "name" }}: it stands at the end
// of a line, and each fragment's lines follow that line (a fragment that
// starts with an empty line is set off by one). Nothing installed, nothing
// rendered.
func slotFunc(fragments map[string][]string, declared map[string]bool) func(string) (string, error) {
	return func(name string) (string, error) {
		if !declared[name] {
			return "", fmt.Errorf("slot %q is not declared in the manifest's slots", name)
		}
		var b strings.Builder
		for _, f := range fragments[name] {
			b.WriteString("\n")
			b.WriteString(strings.TrimRight(f, "\n"))
		}
		return b.String(), nil
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) == 0 {
		return []string{"none"}
	}
	return keys
}

// composeGo writes the sets' requirements into the rendered go.mod and
// their sums into go.sum, when any set declares requirements. A module
// required by several sets gets the highest version; it is direct when any
// set imports it.
func composeGo(sets []*TemplateSet, files []File) ([]File, error) {
	declares := false
	for _, s := range sets {
		if len(s.Manifest.requirements) > 0 {
			declares = true
		}
	}
	if !declares {
		return files, nil
	}
	idx := -1
	for i := range files {
		if files[i].Path == "go.mod" {
			idx = i
		}
	}
	if idx < 0 {
		return nil, fmt.Errorf("template sets declare Go requirements, but none renders a go.mod")
	}
	reqs := map[string]Requirement{}
	for _, s := range sets {
		for _, r := range s.Manifest.requirements {
			prev, ok := reqs[r.Path]
			switch {
			case !ok:
				reqs[r.Path] = r
			default:
				if semver.Compare(r.Version, prev.Version) > 0 {
					prev.Version = r.Version
				}
				prev.Indirect = prev.Indirect && r.Indirect
				reqs[r.Path] = prev
			}
		}
	}
	mod, err := ComposeGoMod(files[idx].Data, reqs)
	if err != nil {
		return nil, fmt.Errorf("compose go.mod: %w", err)
	}
	files[idx].Data = mod

	var sums []string
	seen := map[string]bool{}
	for _, s := range sets {
		data, err := fs.ReadFile(s.FS, SumFile)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(data), "\n") {
			if line = strings.TrimSpace(line); line != "" && !seen[line] {
				seen[line] = true
				sums = append(sums, line)
			}
		}
	}
	sort.Slice(sums, func(i, j int) bool { return sumLess(sums[i], sums[j]) })
	var sum bytes.Buffer
	for _, l := range sums {
		sum.WriteString(l + "\n")
	}
	goSum := File{Path: "go.sum", Source: SumFile, Set: files[idx].Set, Data: sum.Bytes(), Owner: files[idx].Owner}
	out := files[:0:0]
	for _, f := range files {
		if f.Path != "go.sum" {
			out = append(out, f)
		}
	}
	out = append(out, goSum)
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// sumLess orders go.sum lines as the go command writes them: by module
// path, then by version in semantic order, each version's /go.mod line
// after its module line.
func sumLess(a, b string) bool {
	af, bf := strings.Fields(a), strings.Fields(b)
	if len(af) < 2 || len(bf) < 2 {
		return a < b
	}
	if af[0] != bf[0] {
		return af[0] < bf[0]
	}
	av, amod := strings.CutSuffix(af[1], "/go.mod")
	bv, bmod := strings.CutSuffix(bf[1], "/go.mod")
	if c := semver.Compare(av, bv); c != 0 {
		return c < 0
	}
	if av != bv {
		return av < bv
	}
	return !amod && bmod
}

// ComposeGoMod adds reqs to a go.mod that declares none, formatted as go
// mod tidy writes it: the direct requirements in one block, the indirect
// ones in a second.
func ComposeGoMod(data []byte, reqs map[string]Requirement) ([]byte, error) {
	f, err := modfile.Parse("go.mod", data, nil)
	if err != nil {
		return nil, err
	}
	if len(f.Require) > 0 {
		return nil, fmt.Errorf("the template's go.mod already requires %s; declare requirements in the manifest's go_require instead", f.Require[0].Mod.Path)
	}
	paths := make([]string, 0, len(reqs))
	for p := range reqs {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var list []*modfile.Require
	for _, p := range paths {
		r := reqs[p]
		list = append(list, &modfile.Require{Mod: module.Version{Path: r.Path, Version: r.Version}, Indirect: r.Indirect})
	}
	f.SetRequireSeparateIndirect(list)
	f.Cleanup()
	return modfile.Format(f.Syntax), nil
}

// renderAll renders sets together: slots filled, go.mod and go.sum
// composed. It is RenderSets without the data assembly.
func renderAll(ctx context.Context, sets []*TemplateSet, data map[string]any) ([]File, error) {
	fragments, err := slotFragments(sets, data)
	if err != nil {
		return nil, err
	}
	declared := map[string]bool{}
	for _, s := range sets {
		for _, d := range s.Manifest.Slots {
			declared[d.Name] = true
		}
	}
	extra := map[string]any{"slot": slotFunc(fragments, declared)}
	var all []File
	owner := map[string]string{}
	for _, set := range sets {
		files, err := set.render(ctx, data, extra)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", set.Manifest.Name, err)
		}
		for _, f := range files {
			if prev, dup := owner[f.Path]; dup {
				return nil, fmt.Errorf("%s and %s both generate %s", prev, set.Manifest.Name, f.Path)
			}
			owner[f.Path] = set.Manifest.Name
			f.Set = set.Manifest.Name
			all = append(all, f)
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Path < all[j].Path })
	return composeGo(sets, all)
}

// skipInRender reports template paths that are the set's own metadata.
func (s *TemplateSet) skipInRender(p string) bool {
	return p == ManifestFile || p == SumFile || s.Manifest.isFragment(p)
}
