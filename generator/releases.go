package generator

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"golang.org/x/mod/semver"
	"gopkg.in/yaml.v3"
)

// ReleasesFile is the index of released template sets, at the root of a
// history tree: which digest of each set a kit release shipped.
const ReleasesFile = "releases.yaml"

// Release is one kit release: its semantic version and the digest of every
// template set it shipped.
type Release struct {
	Version string `yaml:"version"`
	// Commit is the source commit the sets were taken from.
	Commit string `yaml:"commit,omitempty"`
	// Sets maps a set's name to its content digest.
	Sets map[string]string `yaml:"sets"`
}

// Releases lists releases oldest first.
type Releases []Release

type releasesDoc struct {
	Releases Releases `yaml:"releases"`
}

// LoadReleases reads the index of a history tree. A tree without one has no
// releases.
func LoadReleases(history fs.FS) (Releases, error) {
	data, err := fs.ReadFile(history, ReleasesFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return ParseReleases(data)
}

// ParseReleases decodes and checks a releases index: versions are valid
// semantic versions, each once, in ascending order.
func ParseReleases(data []byte) (Releases, error) {
	var doc releasesDoc
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%s: %w", ReleasesFile, err)
	}
	for i, r := range doc.Releases {
		if !semver.IsValid(r.Version) || semver.Canonical(r.Version) != r.Version {
			return nil, fmt.Errorf("%s: release %d: version %q is not a semantic version like v1.2.3", ReleasesFile, i+1, r.Version)
		}
		if i > 0 && semver.Compare(doc.Releases[i-1].Version, r.Version) >= 0 {
			return nil, fmt.Errorf("%s: release %s follows %s: releases must be listed oldest first, each once", ReleasesFile, r.Version, doc.Releases[i-1].Version)
		}
		if len(r.Sets) == 0 {
			return nil, fmt.Errorf("%s: release %s lists no template sets", ReleasesFile, r.Version)
		}
	}
	return doc.Releases, nil
}

// Marshal encodes the index with a header for the people who read it.
func (rs Releases) Marshal() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("# Every kit release and the template sets it shipped, oldest first.\n" +
		"# Written by scripts/snapshot; never edit by hand. The sets are in sets/ and objects/.\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(releasesDoc{Releases: rs}); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Latest returns the newest release, or false when there is none.
func (rs Releases) Latest() (Release, bool) {
	if len(rs) == 0 {
		return Release{}, false
	}
	return rs[len(rs)-1], true
}

// Get returns the release with the given version.
func (rs Releases) Get(version string) (Release, bool) {
	for _, r := range rs {
		if r.Version == version {
			return r, true
		}
	}
	return Release{}, false
}

// VersionOf returns the oldest release that shipped set at digest: the
// version a repository generated from that set was made by.
func (rs Releases) VersionOf(set, digest string) (string, bool) {
	for _, r := range rs {
		if r.Sets[set] == digest {
			return r.Version, true
		}
	}
	return "", false
}

// Shipping returns the release whose sets are exactly sets (name → digest).
func (rs Releases) Shipping(sets map[string]string) (Release, bool) {
	for i := len(rs) - 1; i >= 0; i-- {
		if sameSets(rs[i].Sets, sets) {
			return rs[i], true
		}
	}
	return Release{}, false
}

func sameSets(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// Record adds the release or, when version is the newest one (a release
// still being prepared), replaces its sets. An older release is immutable:
// recording it again with other sets is an error.
func (rs Releases) Record(r Release) (Releases, error) {
	if !semver.IsValid(r.Version) || semver.Canonical(r.Version) != r.Version {
		return nil, fmt.Errorf("version %q is not a semantic version like v1.2.3", r.Version)
	}
	latest, ok := rs.Latest()
	switch {
	case !ok || semver.Compare(r.Version, latest.Version) > 0:
		return append(append(Releases{}, rs...), r), nil
	case r.Version == latest.Version:
		out := append(Releases{}, rs...)
		out[len(out)-1] = r
		return out, nil
	}
	if old, found := rs.Get(r.Version); found {
		if sameSets(old.Sets, r.Sets) {
			return rs, nil
		}
		return nil, fmt.Errorf("release %s is published; its template sets cannot change (record a newer version)", r.Version)
	}
	return nil, fmt.Errorf("release %s is older than the newest, %s", r.Version, latest.Version)
}

// WriteReleases writes the index into the history directory dir.
func WriteReleases(dir string, rs Releases) error {
	data, err := rs.Marshal()
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, ReleasesFile), data, 0o644)
}

// Prune removes from the history directory dir every set listing and object
// that no release refers to (snapshots of a release in preparation that was
// amended since). It returns the removed paths, sorted.
func Prune(dir string, rs Releases) ([]string, error) {
	keepSets := map[string]bool{}
	for _, r := range rs {
		for name, digest := range r.Sets {
			keepSets[setListing(name, digest)] = true
		}
	}
	keepObjects := map[string]bool{}
	var removed []string
	setsDir := filepath.Join(dir, historySets)
	err := filepath.WalkDir(setsDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if !keepSets[filepath.ToSlash(rel)] {
			removed = append(removed, filepath.ToSlash(rel))
			return os.Remove(p)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
			if sum, _, ok := bytes.Cut(line, []byte(" ")); ok {
				keepObjects[string(sum)] = true
			}
		}
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	objects, err := os.ReadDir(filepath.Join(dir, historyObjects))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	for _, o := range objects {
		if !keepObjects[o.Name()] {
			removed = append(removed, historyObjects+"/"+o.Name())
			if err := os.Remove(filepath.Join(dir, historyObjects, o.Name())); err != nil {
				return nil, err
			}
		}
	}
	sort.Strings(removed)
	return removed, nil
}

// setListing is the history path of a set's file listing.
func setListing(name, digest string) string {
	return historySets + "/" + name + "/" + trimDigest(digest) + ".txt"
}

func trimDigest(d string) string {
	if len(d) > 7 && d[:7] == "sha256:" {
		return d[7:]
	}
	return d
}
