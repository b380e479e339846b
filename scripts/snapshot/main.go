// Command snapshot records the current chassis and cartridges as a release in
// templates/history, so that later kit releases can rebuild what this one
// writes. With -check it only reports whether they are recorded.
//
//	go run ./scripts/snapshot -release v0.2.0   # from the repository root
//	go run ./scripts/snapshot -check            # the current sets are the newest release
//	go run ./scripts/snapshot -check -version v0.2.0
//
// Recording the newest release again (while it is being prepared) replaces
// its sets and drops the snapshots no release refers to any more; a release
// older than the newest is immutable.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"

	"github.com/agencystandard/kit/cartridges"
	"github.com/agencystandard/kit/generator"
	"github.com/agencystandard/kit/templates"
)

func main() {
	check := flag.Bool("check", false, "fail unless the current template sets are the newest release in the history")
	version := flag.String("version", "", "with -check: the newest release must be this version (a release tag)")
	release := flag.String("release", "", "record the current template sets as this release (e.g. v0.2.0)")
	commit := flag.String("commit", "", "the source commit to record (default: git rev-parse --short HEAD)")
	dir := flag.String("dir", "templates/history", "history directory")
	flag.Parse()
	var err error
	switch {
	case *check:
		err = runCheck(*dir, *version)
	case *release != "":
		err = runRelease(*dir, *release, *commit)
	default:
		err = errors.New("say -release vX.Y.Z to record the current sets, or -check")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "snapshot:", err)
		os.Exit(1)
	}
}

// current returns the current sets and their digests by name.
func current() ([]*generator.TemplateSet, map[string]string, error) {
	cat, err := generator.NewCatalog(templates.Chassis(), cartridges.FS())
	if err != nil {
		return nil, nil, err
	}
	digests := map[string]string{}
	for _, s := range cat.Sets() {
		d, err := s.Digest()
		if err != nil {
			return nil, nil, err
		}
		digests[s.Manifest.Name] = d
	}
	return cat.Sets(), digests, nil
}

func runCheck(dir, version string) error {
	_, digests, err := current()
	if err != nil {
		return err
	}
	rs, err := generator.LoadReleases(os.DirFS(dir))
	if err != nil {
		return err
	}
	latest, ok := rs.Latest()
	if !ok {
		return fmt.Errorf("%s/%s lists no release; run go run ./scripts/snapshot -release vX.Y.Z", dir, generator.ReleasesFile)
	}
	if version != "" && latest.Version != strings.TrimSpace(version) {
		return fmt.Errorf("the newest release in the history is %s, not %s", latest.Version, version)
	}
	var missing []string
	for name, d := range digests {
		if latest.Sets[name] != d {
			missing = append(missing, name+" "+d)
		}
		if _, err := generator.HistoryVersion(os.DirFS(dir), name, d); err != nil {
			missing = append(missing, fmt.Sprintf("%s %s (%v)", name, d, err))
		}
	}
	for name := range latest.Sets {
		if _, ok := digests[name]; !ok {
			missing = append(missing, name+" (released, but no longer in the tree)")
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return fmt.Errorf("the current template sets are not release %s: %s; after changing templates run go run ./scripts/snapshot -release %s (or a newer version)",
			latest.Version, strings.Join(missing, "; "), latest.Version)
	}
	fmt.Printf("the current template sets are release %s\n", latest.Version)
	return nil
}

func runRelease(dir, version, commit string) error {
	sets, digests, err := current()
	if err != nil {
		return err
	}
	rs, err := generator.LoadReleases(os.DirFS(dir))
	if err != nil {
		return err
	}
	if commit == "" {
		out, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output()
		if err == nil {
			commit = strings.TrimSpace(string(out))
		}
	}
	rs, err = rs.Record(generator.Release{Version: version, Commit: commit, Sets: digests})
	if err != nil {
		return err
	}
	for _, s := range sets {
		if _, err := generator.Snapshot(s, dir); err != nil {
			return err
		}
	}
	if err := generator.WriteReleases(dir, rs); err != nil {
		return err
	}
	removed, err := generator.Prune(dir, rs)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(digests))
	for n := range digests {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Printf("%s %s: release %s\n", n, digests[n], version)
	}
	if len(removed) > 0 {
		fmt.Printf("dropped %d snapshot file(s) no release refers to\n", len(removed))
	}
	return nil
}
