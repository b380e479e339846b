package templates_test

import (
	"bytes"
	"io/fs"
	"strings"
	"testing"

	"github.com/agencystandard/kit/cartridges"
	"github.com/agencystandard/kit/generator"
	"github.com/agencystandard/kit/templates"
)

func releases(t *testing.T) generator.Releases {
	t.Helper()
	rs, err := generator.LoadReleases(templates.History())
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) == 0 {
		t.Fatalf("history/%s lists no release", generator.ReleasesFile)
	}
	return rs
}

func currentSets(t *testing.T) map[string]*generator.TemplateSet {
	t.Helper()
	cat, err := generator.NewCatalog(templates.Chassis(), cartridges.FS())
	if err != nil {
		t.Fatal(err)
	}
	sets := map[string]*generator.TemplateSet{}
	for _, s := range cat.Sets() {
		sets[s.Manifest.Name] = s
	}
	return sets
}

// The templates in the tree are always a release: a template change lands
// with its snapshot (go run ./scripts/snapshot -release vX.Y.Z), or kits
// built from later commits could not rebuild what this one writes.
func TestCurrentSetsAreTheNewestRelease(t *testing.T) {
	latest, _ := releases(t).Latest()
	sets := currentSets(t)
	for name, s := range sets {
		d, err := s.Digest()
		if err != nil {
			t.Fatal(err)
		}
		if latest.Sets[name] != d {
			t.Errorf("set %s is %s, but the newest release %s shipped %q: run go run ./scripts/snapshot -release %s (or a newer version)",
				name, d, latest.Version, latest.Sets[name], latest.Version)
		}
	}
	for name := range latest.Sets {
		if sets[name] == nil {
			t.Errorf("release %s shipped set %s, which is no longer in the tree", latest.Version, name)
		}
	}
}

// Every release can be rebuilt from the history, byte for byte.
func TestEveryReleaseRebuilds(t *testing.T) {
	for _, r := range releases(t) {
		for name, digest := range r.Sets {
			if _, err := generator.HistoryVersion(templates.History(), name, digest); err != nil {
				t.Errorf("release %s: %v", r.Version, err)
			}
		}
	}
}

// A released migration is never edited, renamed or removed: a database
// migrated by that release would otherwise skip the change (or refuse to
// migrate at all).
func TestReleasedMigrationsAreImmutable(t *testing.T) {
	sets := currentSets(t)
	for _, r := range releases(t) {
		for name, digest := range r.Sets {
			cur := sets[name]
			if cur == nil {
				continue
			}
			old, err := generator.HistoryVersion(templates.History(), name, digest)
			if err != nil {
				t.Fatal(err)
			}
			err = fs.WalkDir(old.FS, ".", func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() || !strings.Contains(p, "/migrations/") {
					return err
				}
				was, _ := fs.ReadFile(old.FS, p)
				now, err := fs.ReadFile(cur.FS, p)
				switch {
				case err != nil:
					t.Errorf("%s: migration %s shipped in %s is gone", name, p, r.Version)
				case !bytes.Equal(was, now):
					t.Errorf("%s: migration %s shipped in %s was edited; add a new migration instead", name, p, r.Version)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
}
