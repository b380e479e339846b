package generator

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
)

// MigrationClash marks a migration of the user's in a directory of kit's
// migrations whose version would collide with, or run after, one the
// template adds: golang-migrate refuses two files of one version, and a
// database that ran the user's later version never runs kit's earlier one.
const MigrationClash Outcome = "migration version taken"

var migrationRE = regexp.MustCompile(`^(.+/migrations)/([0-9]+)_[^/]+\.(up|down)\.sql$`)

// migrationClashes finds the user's migrations (files in a migrations
// directory the template writes to, which kit does not track) that have the
// version of one of the template's, or sort after one the template adds.
func migrationClashes(root string, target map[string]*File, recorded map[string]string) ([]Change, error) {
	type added struct {
		path    string
		version uint64
	}
	// Every migration of the template by directory; fresh marks those it
	// adds with this update.
	byDir := map[string][]added{}
	fresh := map[string]bool{}
	for p := range target {
		m := migrationRE.FindStringSubmatch(p)
		if m == nil {
			continue
		}
		v, err := strconv.ParseUint(m[2], 10, 64)
		if err != nil {
			continue
		}
		byDir[m[1]] = append(byDir[m[1]], added{p, v})
		if _, tracked := recorded[p]; !tracked {
			fresh[p] = true
		}
	}
	var out []Change
	for dir, news := range byDir {
		sort.Slice(news, func(i, j int) bool { return news[i].path < news[j].path })
		entries, err := os.ReadDir(filepath.Join(root, filepath.FromSlash(dir)))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			p := path.Join(dir, e.Name())
			m := migrationRE.FindStringSubmatch(p)
			if m == nil || e.IsDir() {
				continue
			}
			if _, ours := target[p]; ours {
				continue
			}
			if _, tracked := recorded[p]; tracked {
				continue
			}
			u, err := strconv.ParseUint(m[2], 10, 64)
			if err != nil {
				continue
			}
			for _, n := range news {
				var note string
				switch {
				case u == n.version:
					note = fmt.Sprintf("kit's %s has the same version %s: golang-migrate refuses both", n.path, m[2])
				case u > n.version && fresh[n.path]:
					note = fmt.Sprintf("the template adds %s, an earlier version than yours: a database that ran yours would never run it", n.path)
				default:
					continue
				}
				out = append(out, Change{Path: p, Outcome: MigrationClash,
					Note: note + "; move your migration into a module of your own (each module has its own migrations table), then update again"})
				break
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}
