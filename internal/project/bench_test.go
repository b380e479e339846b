package project

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"

	"github.com/agencystandard/kit/generator"
	"github.com/agencystandard/kit/internal/iostreams"
	"github.com/agencystandard/kit/templates"
)

const (
	userEdit       = "// Edited by the user.\n"
	templateChange = "\n// Changed by the template.\n"
)

// updateFixture is a repository generated from the chassis where the user
// edited 50 Go files at their top, and a catalog whose chassis changes every
// Go file at its end, so that an update merges those 50 cleanly.
type updateFixture struct {
	root    string
	old     *generator.Catalog // the chassis that generated the repository
	cat     *generator.Catalog // the newer chassis, with old as an older version
	answers map[string]any
	edited  []string
	before  map[string][]byte // the tree before the update: path → content
}

func newUpdateFixture(tb testing.TB) *updateFixture {
	tb.Helper()
	ctx := context.Background()
	old, err := generator.NewCatalog(templates.Chassis(), nil)
	if err != nil {
		tb.Fatal(err)
	}
	answers := map[string]any{
		"name": "bench", "module": "example.com/bench", "description": "bench", "http_port": 8080,
		"db_name": "bench", "oauth_providers": []string{}, "example_module": true, "ci": "github",
		"license": "MIT", "copyright": "The bench authors",
	}
	// Questions added since are answered by their defaults, as kit new
	// --yes would.
	for _, q := range old.Chassis().Manifest.Questions {
		if _, ok := answers[q.Key]; ok {
			continue
		}
		v, err := q.DefaultValue(answers)
		if err != nil {
			tb.Fatal(err)
		}
		answers[q.Key] = v
	}
	files, err := generator.Generate(ctx, old.Chassis(), nil, answers, "v0")
	if err != nil {
		tb.Fatal(err)
	}
	root := filepath.Join(tb.TempDir(), "bench")
	if err := generator.WriteProject(ctx, root, files, generator.WriteOptions{}); err != nil {
		tb.Fatal(err)
	}
	var goFiles []string
	for _, f := range files {
		if strings.HasSuffix(f.Path, ".go") && f.Owner == generator.OwnerMerged {
			goFiles = append(goFiles, f.Path)
		}
	}
	sort.Strings(goFiles)
	if len(goFiles) < 50 {
		tb.Fatalf("the chassis has only %d Go files", len(goFiles))
	}
	for _, p := range goFiles[:50] {
		full := filepath.Join(root, p)
		data, _ := os.ReadFile(full)
		if err := os.WriteFile(full, append([]byte(userEdit), data...), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	newer := fstest.MapFS{}
	fs.WalkDir(templates.Chassis(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, _ := fs.ReadFile(templates.Chassis(), p)
		if strings.HasSuffix(p, ".go.tmpl") {
			data = append(data, []byte(templateChange)...)
		}
		newer[p] = &fstest.MapFile{Data: data}
		return nil
	})
	cat, err := generator.NewCatalog(newer, nil)
	if err != nil {
		tb.Fatal(err)
	}
	cat.AddOlder(old)
	before := map[string][]byte{}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		before[p] = data
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return &updateFixture{root: root, old: old, cat: cat, answers: answers, edited: goFiles[:50], before: before}
}

// plan reads the repository and plans the update, as kit update does.
func (f *updateFixture) plan(tb testing.TB) *Plan {
	tb.Helper()
	repo, err := Open(f.root)
	if err != nil {
		tb.Fatal(err)
	}
	if err := RefuseConflicts(repo); err != nil {
		tb.Fatal(err)
	}
	target, err := UpdateTarget(f.cat, repo)
	if err != nil {
		tb.Fatal(err)
	}
	target.Answers = f.answers
	plan, err := MakePlan(context.Background(), repo, f.cat, target, "v1")
	if err != nil {
		tb.Fatal(err)
	}
	if n := generator.Summary(plan.Changes)[generator.MergedClean]; n != 50 {
		tb.Fatalf("%d files merged, want 50", n)
	}
	return plan
}

// update is one kit update: recover unfinished transactions, plan, apply
// and commit.
func (f *updateFixture) update(tb testing.TB, ios *iostreams.IOStreams) {
	tb.Helper()
	if err := RecoverUnfinished(ios, f.root); err != nil {
		tb.Fatal(err)
	}
	plan := f.plan(tb)
	tx, err := generator.ApplyPlan(context.Background(), f.root, plan.Changes, plan.StateData)
	if err != nil {
		tb.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
}

// restore puts the tree back as it was before the update, removing
// anything else, and syncs the file system.
func (f *updateFixture) restore(tb testing.TB) {
	tb.Helper()
	var extra []string
	err := filepath.WalkDir(f.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if _, ok := f.before[p]; !ok && !d.IsDir() {
			extra = append(extra, p)
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	for _, p := range extra {
		if err := os.Remove(p); err != nil {
			tb.Fatal(err)
		}
	}
	for p, data := range f.before {
		if cur, err := os.ReadFile(p); err == nil && bytes.Equal(cur, data) {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	syscall.Sync()
}

// BenchmarkUpdate measures `kit update` on the full chassis: a repository
// where the user edited 50 files, moved to a template version that changed
// every Go file, so those 50 go through a real three-way merge. Each
// iteration is what the command does in a fresh process (nothing cached in
// memory; kit's cache directory as earlier commands of this kit left it,
// e.g. a kit update --dry-run before): recover unfinished transactions,
// read .kit.yaml, refuse conflict markers, plan, apply and commit. Putting
// the repository back between iterations (and syncing it, so that no
// iteration flushes another's writes) is off the clock. Not measured:
// loading the catalog (the benchmark builds its own) and git status (the
// repository is not a git work tree).
func BenchmarkUpdate(b *testing.B) {
	f := newUpdateFixture(b)
	ios, _, _, _ := iostreams.Test()
	f.update(b, ios) // the earlier command that filled the cache
	f.restore(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		generator.ResetCaches()
		f.update(b, ios)
		b.StopTimer()
		f.restore(b)
		b.StartTimer()
	}
}

// BenchmarkUpdateNewKit is BenchmarkUpdate for the first update after
// installing a new kit: the cache holds gofmt's output for what the old
// kit rendered (the base) and nothing else, so the target is rendered and
// formatted afresh and the base is rendered from its formatted files.
func BenchmarkUpdateNewKit(b *testing.B) {
	f := newUpdateFixture(b)
	ios, _, _, _ := iostreams.Test()
	repo, err := Open(f.root)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		b.Setenv(generator.EnvCache, b.TempDir())
		generator.ResetCaches()
		// The old kit formatted the base (kit new); its renders are keyed
		// by its own build, which this kit never reads.
		if _, err := generator.RenderSets(context.Background(), []*generator.TemplateSet{f.old.Chassis()}, repo.State.Answers, nil); err != nil {
			b.Fatal(err)
		}
		renders, _ := filepath.Glob(filepath.Join(os.Getenv(generator.EnvCache), "render-*"))
		for _, d := range renders {
			if err := os.RemoveAll(d); err != nil {
				b.Fatal(err)
			}
		}
		if len(renders) == 0 {
			b.Fatal("no render was cached to remove")
		}
		generator.ResetCaches()
		b.StartTimer()
		f.update(b, ios)
		b.StopTimer()
		f.restore(b)
		b.StartTimer()
	}
}

// The plan is the same whether the renders come from the cache or not:
// with the cache off, on a miss (which fills it) and on a hit. And in
// each, every merged file keeps the user's edit and takes the template's.
func TestUpdatePlanSameWithCache(t *testing.T) {
	f := newUpdateFixture(t)
	t.Setenv(generator.EnvCache, "off")
	generator.ResetCaches()
	want := f.plan(t)
	t.Setenv(generator.EnvCache, t.TempDir())
	for _, round := range []string{"miss", "hit"} {
		generator.ResetCaches()
		got := f.plan(t)
		if !reflect.DeepEqual(got.Changes, want.Changes) {
			t.Errorf("%s: the changes differ from those planned without the cache", round)
		}
		if !bytes.Equal(got.StateData, want.StateData) {
			t.Errorf("%s: .kit.yaml differs from the one planned without the cache", round)
		}
	}
	merged := map[string]bool{}
	for _, c := range want.Changes {
		if c.Outcome == generator.MergedClean {
			merged[c.Path] = true
			if !bytes.HasPrefix(c.Data, []byte(userEdit)) || !bytes.HasSuffix(c.Data, []byte(strings.TrimPrefix(templateChange, "\n"))) {
				t.Errorf("%s: the merge lost a side:\n%s", c.Path, c.Data)
			}
		}
	}
	for _, p := range f.edited {
		if !merged[p] {
			t.Errorf("the edited %s was not merged", p)
		}
	}
}
