// Command refresh-deps computes the Go requirements of every template set
// from a real `go mod tidy`, writes them into each set's manifest
// (go_require) and go.sum lines (kit.sum), and proves that every
// combination of cartridges renders a go.mod and go.sum that `go mod tidy`
// leaves byte for byte as they are.
//
//	go run ./scripts/refresh-deps              # newest patch releases
//	go run ./scripts/refresh-deps -mode minor  # newest minor releases
//	go run ./scripts/refresh-deps -mode tidy   # no version changes, re-tidy
//	go run ./scripts/refresh-deps -check       # prove the sets as they are
//
// How: a probe repository with the chassis, every cartridge and the answers
// that import the most is upgraded and tidied; its requirement list fixes
// one version per module. Then each set is rendered alone (the chassis; a
// cartridge with the chassis and the cartridges it requires) over that list
// and tidied: what tidy keeps is the set's requirement list, and its go.sum
// lines beyond those of the sets beneath it are the set's kit.sum. Because
// every set agrees on the versions, the engine's union of the sets installed
// is what tidy would write for them; -check proves it for each combination.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/agencystandard/kit/generator"
	"github.com/agencystandard/kit/internal/answers"
	"github.com/agencystandard/kit/internal/project"
)

func main() {
	mode := flag.String("mode", "patch", "patch: newest patch releases; minor: newest minor releases; tidy: change no version")
	check := flag.Bool("check", false, "change nothing: prove that every cartridge combination renders tidy")
	root := flag.String("root", ".", "the kit repository")
	flag.Parse()
	r := &refresher{root: *root, log: os.Stderr}
	var err error
	if *check {
		err = r.Prove(context.Background())
	} else {
		err = r.Refresh(context.Background(), *mode)
		if err == nil {
			err = r.Prove(context.Background())
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "refresh-deps:", err)
		os.Exit(1)
	}
}

// cartridgeRoots are the directories of cartridges, relative to the root:
// the shipped ones and the engine's test cartridges, whose requirements
// must agree with the same versions.
var cartridgeRoots = []string{"cartridges", "generator/testdata/cartridges"}

type refresher struct {
	root string
	log  *os.File
}

func (r *refresher) logf(format string, args ...any) {
	fmt.Fprintf(r.log, "refresh-deps: "+format+"\n", args...)
}

// sets loads the chassis and every cartridge from disk, by name.
func (r *refresher) sets() (*generator.TemplateSet, map[string]*generator.TemplateSet, map[string]string, error) {
	chassis, err := generator.LoadTemplateSet(os.DirFS(filepath.Join(r.root, "templates", "chassis")))
	if err != nil {
		return nil, nil, nil, err
	}
	carts := map[string]*generator.TemplateSet{}
	dirs := map[string]string{}
	for _, cr := range cartridgeRoots {
		entries, err := os.ReadDir(filepath.Join(r.root, cr))
		if err != nil {
			continue
		}
		for _, e := range entries {
			dir := filepath.Join(r.root, cr, e.Name())
			if _, err := os.Stat(filepath.Join(dir, generator.ManifestFile)); !e.IsDir() || err != nil {
				continue
			}
			s, err := generator.LoadTemplateSet(os.DirFS(dir))
			if err != nil {
				return nil, nil, nil, fmt.Errorf("%s: %w", dir, err)
			}
			if _, dup := carts[s.Manifest.Name]; dup {
				return nil, nil, nil, fmt.Errorf("two cartridges are named %s", s.Manifest.Name)
			}
			carts[s.Manifest.Name] = s
			dirs[s.Manifest.Name] = dir
		}
	}
	return chassis, carts, dirs, nil
}

// closure returns names with the cartridges they require, dependencies
// first.
func closure(carts map[string]*generator.TemplateSet, names []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	var visit func(n string, chain []string) error
	visit = func(n string, chain []string) error {
		if seen[n] {
			return nil
		}
		for _, c := range chain {
			if c == n {
				return fmt.Errorf("cartridges require each other: %s", strings.Join(append(chain, n), " → "))
			}
		}
		s, ok := carts[n]
		if !ok {
			return fmt.Errorf("cartridge %q is required but not found", n)
		}
		for _, req := range s.Manifest.Requires {
			if err := visit(req, append(chain, n)); err != nil {
				return err
			}
		}
		seen[n] = true
		out = append(out, n)
		return nil
	}
	for _, n := range names {
		if err := visit(n, nil); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// variant is an answer set of the proof.
type variant struct {
	name string
	set  map[string]any
}

// richest imports every optional package of the chassis.
var richest = variant{"every option", map[string]any{"oauth_providers": []string{"google", "github", "microsoft"}, "example_module": true}}

var variants = []variant{
	richest,
	{"no example module", map[string]any{"oauth_providers": []string{"google", "github", "microsoft"}, "example_module": false}},
	{"no options", map[string]any{"oauth_providers": []string{}, "example_module": false}},
}

// render writes the chassis with the named cartridges into dir, for the
// answers of v; every question without an answer there takes its default.
func render(ctx context.Context, chassis *generator.TemplateSet, carts map[string]*generator.TemplateSet, names []string, v variant, dir string) error {
	sets := []*generator.TemplateSet{chassis}
	for _, n := range names {
		sets = append(sets, carts[n])
	}
	g := answers.NewGiven()
	g.Put("name", "probe", "refresh-deps")
	g.Put("module", "example.com/probe", "refresh-deps")
	for k, val := range v.set {
		g.Put(k, val, "refresh-deps")
	}
	a, err := answers.Resolve(project.QuestionsOf(sets), g, nil, true)
	if err != nil {
		return err
	}
	files, err := generator.RenderSets(ctx, sets, a, names)
	if err != nil {
		return err
	}
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func goCmd(ctx context.Context, dir string, args ...string) error {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("go %s in %s: %v\n%s", strings.Join(args, " "), dir, err, out)
	}
	return nil
}

// setRequirements replaces go.mod's requirements with reqs.
func setRequirements(dir string, reqs []*modfile.Require) error {
	p := filepath.Join(dir, "go.mod")
	data, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	f, err := modfile.Parse(p, data, nil)
	if err != nil {
		return err
	}
	f.SetRequireSeparateIndirect(reqs)
	f.Cleanup()
	return os.WriteFile(p, modfile.Format(f.Syntax), 0o644)
}

func readMod(dir string) (*modfile.File, []string, error) {
	data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return nil, nil, err
	}
	f, err := modfile.Parse("go.mod", data, nil)
	if err != nil {
		return nil, nil, err
	}
	sum, err := os.ReadFile(filepath.Join(dir, "go.sum"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, nil, err
	}
	var lines []string
	for _, l := range strings.Split(string(sum), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return f, lines, nil
}

// Refresh upgrades (per mode) and rewrites every set's go_require and kit.sum.
func (r *refresher) Refresh(ctx context.Context, mode string) error {
	var getFlag string
	switch mode {
	case "patch":
		getFlag = "-u=patch"
	case "minor":
		getFlag = "-u"
	case "tidy":
	default:
		return fmt.Errorf("unknown mode %q; use patch, minor or tidy", mode)
	}
	chassis, carts, dirs, err := r.sets()
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "refresh-deps-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)

	all := make([]string, 0, len(carts))
	for n := range carts {
		all = append(all, n)
	}
	sort.Strings(all)
	all, err = closure(carts, all)
	if err != nil {
		return err
	}
	full := filepath.Join(work, "full")
	r.logf("probe with the chassis and %s", strings.Join(all, ", "))
	if err := render(ctx, chassis, carts, all, richest, full); err != nil {
		return err
	}
	if getFlag != "" {
		r.logf("go get %s ./...", getFlag)
		if err := goCmd(ctx, full, "get", getFlag, "./..."); err != nil {
			return err
		}
	}
	if err := goCmd(ctx, full, "mod", "tidy"); err != nil {
		return err
	}
	fullMod, _, err := readMod(full)
	if err != nil {
		return err
	}
	pinned := fullMod.Require

	// Each set over the pinned versions: what tidy keeps is what it needs.
	type result struct {
		reqs map[string]generator.Requirement
		sums map[string]bool
	}
	measure := func(names []string, tag string) (result, error) {
		dir := filepath.Join(work, tag)
		if err := render(ctx, chassis, carts, names, richest, dir); err != nil {
			return result{}, err
		}
		if err := setRequirements(dir, pinned); err != nil {
			return result{}, err
		}
		if err := goCmd(ctx, dir, "mod", "tidy"); err != nil {
			return result{}, err
		}
		f, sums, err := readMod(dir)
		if err != nil {
			return result{}, err
		}
		res := result{reqs: map[string]generator.Requirement{}, sums: map[string]bool{}}
		for _, q := range f.Require {
			res.reqs[q.Mod.Path] = generator.Requirement{Path: q.Mod.Path, Version: q.Mod.Version, Indirect: q.Indirect}
		}
		for _, s := range sums {
			res.sums[s] = true
		}
		return res, nil
	}
	r.logf("measuring the chassis")
	base, err := measure(nil, "chassis")
	if err != nil {
		return err
	}
	if err := writeSet(filepath.Join(r.root, "templates", "chassis"), base.reqs, base.sums); err != nil {
		return err
	}
	measured := map[string]result{}
	for _, n := range all { // dependency order: a cartridge's requirements are measured first
		names, err := closure(carts, []string{n})
		if err != nil {
			return err
		}
		r.logf("measuring cartridge %s (with %s)", n, strings.Join(names, ", "))
		res, err := measure(names, "cart-"+n)
		if err != nil {
			return err
		}
		measured[n] = res
		// What the sets beneath it already declare is not repeated.
		below := []result{base}
		for _, m := range names[:len(names)-1] {
			below = append(below, measured[m])
		}
		own := result{reqs: map[string]generator.Requirement{}, sums: map[string]bool{}}
		for p, q := range res.reqs {
			declared := false
			for _, b := range below {
				if bq, ok := b.reqs[p]; ok && bq.Version == q.Version && (bq.Indirect == q.Indirect || !bq.Indirect) {
					declared = true
				}
			}
			if !declared {
				own.reqs[p] = q
			}
		}
		for s := range res.sums {
			declared := false
			for _, b := range below {
				declared = declared || b.sums[s]
			}
			if !declared {
				own.sums[s] = true
			}
		}
		if err := writeSet(dirs[n], own.reqs, own.sums); err != nil {
			return err
		}
	}
	r.logf("wrote go_require and %s of the chassis and %d cartridge(s)", generator.SumFile, len(all))
	return nil
}

// requireHeader introduces the go_require list, which is the manifest's
// last key so that it can be rewritten without touching the rest.
const requireHeader = "# The Go modules this set needs, computed by go run ./scripts/refresh-deps\n" +
	"# from go mod tidy (with " + generator.SumFile + " beside this file). Keep it the last key; never edit it by hand.\n"

// writeSet rewrites the manifest's go_require section and the kit.sum of
// the set at dir.
func writeSet(dir string, reqs map[string]generator.Requirement, sums map[string]bool) error {
	p := filepath.Join(dir, generator.ManifestFile)
	data, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	text := string(data)
	if i := strings.Index(text, requireHeader); i >= 0 {
		text = text[:i]
	} else if i := strings.Index(text, "\ngo_require:"); i >= 0 {
		text = text[:i+1]
	}
	text = strings.TrimRight(text, "\n") + "\n"
	paths := make([]string, 0, len(reqs))
	for p := range reqs {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	if len(paths) > 0 {
		var b strings.Builder
		b.WriteString("\n" + requireHeader + "go_require:\n")
		for _, path := range paths {
			fmt.Fprintf(&b, "  - %s\n", reqs[path])
		}
		text += b.String()
	}
	if _, err := generator.ParseManifest(p, []byte(text)); err != nil {
		return fmt.Errorf("the rewritten manifest does not parse: %w", err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		return err
	}
	lines := make([]string, 0, len(sums))
	for s := range sums {
		lines = append(lines, s)
	}
	sort.Strings(lines)
	sumPath := filepath.Join(dir, generator.SumFile)
	if len(lines) == 0 {
		if err := os.Remove(sumPath); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	}
	return os.WriteFile(sumPath, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
}

// Combination is one proof case: the cartridges installed and the answers.
type Combination struct {
	Cartridges []string
	Variant    string
}

func (c Combination) String() string {
	carts := "no cartridge"
	if len(c.Cartridges) > 0 {
		carts = strings.Join(c.Cartridges, "+")
	}
	return carts + ", " + c.Variant
}

// Combinations lists the proof cases: every set of cartridges (each closed
// under requires) with the answers that import the most, and the answers
// that import less with no cartridge and with all of them.
func (r *refresher) Combinations() ([]Combination, error) {
	_, carts, _, err := r.sets()
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(carts))
	for n := range carts {
		names = append(names, n)
	}
	sort.Strings(names)
	seen := map[string]bool{}
	var out []Combination
	for mask := 0; mask < 1<<len(names); mask++ {
		var pick []string
		for i, n := range names {
			if mask&(1<<i) != 0 {
				pick = append(pick, n)
			}
		}
		full, err := closure(carts, pick)
		if err != nil {
			return nil, err
		}
		key := strings.Join(full, "+")
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, Combination{Cartridges: full, Variant: richest.name})
		if len(pick) == 0 || len(pick) == len(names) {
			for _, v := range variants[1:] {
				out = append(out, Combination{Cartridges: full, Variant: v.name})
			}
		}
	}
	return out, nil
}

// Prove renders every combination and checks that go mod tidy changes
// neither go.mod nor go.sum, byte for byte.
func (r *refresher) Prove(ctx context.Context) error {
	combos, err := r.Combinations()
	if err != nil {
		return err
	}
	chassis, carts, _, err := r.sets()
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "refresh-deps-prove-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	var failed []string
	for i, c := range combos {
		if err := r.proveOne(ctx, chassis, carts, c, filepath.Join(work, fmt.Sprint(i))); err != nil {
			failed = append(failed, fmt.Sprintf("%s: %v", c, err))
			continue
		}
		r.logf("tidy: %s", c)
	}
	if len(failed) > 0 {
		return fmt.Errorf("%d of %d combination(s) are not tidy; run go run ./scripts/refresh-deps -mode tidy:\n  %s",
			len(failed), len(combos), strings.Join(failed, "\n  "))
	}
	r.logf("all %d combination(s) are tidy", len(combos))
	return nil
}

func (r *refresher) proveOne(ctx context.Context, chassis *generator.TemplateSet, carts map[string]*generator.TemplateSet, c Combination, dir string) error {
	var v variant
	for _, x := range variants {
		if x.name == c.Variant {
			v = x
		}
	}
	if err := render(ctx, chassis, carts, c.Cartridges, v, dir); err != nil {
		return err
	}
	before := map[string][]byte{}
	for _, f := range []string{"go.mod", "go.sum"} {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			return err
		}
		before[f] = data
	}
	if err := goCmd(ctx, dir, "mod", "tidy"); err != nil {
		return err
	}
	for _, f := range []string{"go.mod", "go.sum"} {
		after, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			return err
		}
		if !bytes.Equal(before[f], after) {
			return fmt.Errorf("go mod tidy changes %s:\n%s", f, lineDiff(string(before[f]), string(after)))
		}
	}
	return nil
}

// lineDiff lists the lines only one side has, at most 20.
func lineDiff(a, b string) string {
	in := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, l := range strings.Split(s, "\n") {
			m[l] = true
		}
		return m
	}
	ia, ib := in(a), in(b)
	var out []string
	for _, l := range strings.Split(a, "\n") {
		if !ib[l] {
			out = append(out, "    - "+l)
		}
	}
	for _, l := range strings.Split(b, "\n") {
		if !ia[l] {
			out = append(out, "    + "+l)
		}
	}
	if len(out) > 20 {
		out = append(out[:20], fmt.Sprintf("    ... %d more", len(out)-20))
	}
	if len(out) == 0 {
		return "    (the same lines in another order or layout)"
	}
	return strings.Join(out, "\n")
}
