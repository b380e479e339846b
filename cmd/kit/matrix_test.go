package main

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/agencystandard/kit/cartridges"
	"github.com/agencystandard/kit/generator"
	"github.com/agencystandard/kit/templates"
)

// TestCartridgeMatrix generates the chassis with every combination of the
// shipped cartridges (those a cartridge requires come with it) and proves
// each builds, vets (which type-checks its tests) and is tidy. What differs
// between combinations is only what the engine composes — the module list,
// go.mod and go.sum, the slots — so the full set is also linted and runs its
// own tests against PostgreSQL and Redis; the chassis alone and each
// cartridge alone run theirs in the end-to-end scripts (new_e2e, add_*).
func TestCartridgeMatrix(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every combination of cartridges; run without -short")
	}
	cat, err := generator.NewCatalog(templates.Chassis(), cartridges.FS())
	if err != nil {
		t.Fatal(err)
	}
	combos := cartridgeCombinations(t, cat)
	t.Logf("cartridge matrix: %d combination(s) of %v", len(combos), cat.CartridgeNames())
	all := combos[len(combos)-1]
	env := []string{"GOFLAGS=-mod=mod", "GOWORK=off"}
	for _, combo := range combos {
		name := strings.Join(combo, "+")
		if name == "" {
			name = "none"
		}
		t.Run(name, func(t *testing.T) {
			// Two at a time: a generated repo's build is mostly one
			// process, and the module and build caches are shared.
			t.Parallel()
			repo := filepath.Join(t.TempDir(), "demo")
			args := []string{"new", "demo", "--yes", "--no-git", "--module", "example.com/demo", "--dir", repo}
			if len(combo) > 0 {
				args = append(args, "--cartridge", strings.Join(combo, ","))
			}
			if code, out := kitRun(t, args...); code != 0 {
				t.Fatalf("kit %s: exit %d\n%s", strings.Join(args, " "), code, out)
			}
			run(t, repo, env, "go", "build", "./...")
			run(t, repo, env, "go", "vet", "./...")
			run(t, repo, []string{"GOWORK=off"}, "go", "mod", "tidy", "-diff")
			// With one cartridge the full set is that cartridge, which its
			// end-to-end script tests already.
			if len(all) < 2 || len(combo) != len(all) {
				return
			}
			run(t, repo, env, "go", "run", "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@v2.15.0", "run", "./...")
			out := run(t, repo, env, "go", "test", "-count=1", "./...")
			if strings.Contains(out, "no test files") {
				t.Errorf("a package of the full combination has no tests:\n%s", out)
			}
		})
	}
}

// cartridgeCombinations lists every set of cartridges that can be
// installed together, closed under requires, the full set last.
func cartridgeCombinations(t *testing.T, cat *generator.Catalog) [][]string {
	t.Helper()
	names := cat.CartridgeNames()
	if len(names) > 12 {
		t.Fatalf("%d cartridges make %d combinations: choose a covering subset instead", len(names), 1<<len(names))
	}
	seen := map[string]bool{}
	var combos [][]string
	for mask := 0; mask < 1<<len(names); mask++ {
		chosen := map[string]bool{}
		var add func(string)
		add = func(n string) {
			if chosen[n] {
				return
			}
			chosen[n] = true
			s, ok := cat.Cartridge(n)
			if !ok {
				t.Fatalf("unknown cartridge %q", n)
			}
			for _, r := range s.Manifest.Requires {
				add(r)
			}
		}
		for i, n := range names {
			if mask&(1<<i) != 0 {
				add(n)
			}
		}
		var combo []string
		for n := range chosen {
			combo = append(combo, n)
		}
		sort.Strings(combo)
		key := strings.Join(combo, ",")
		if !seen[key] {
			seen[key] = true
			combos = append(combos, combo)
		}
	}
	sort.SliceStable(combos, func(i, j int) bool { return len(combos[i]) < len(combos[j]) })
	return combos
}
