package generator

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

func TestReleasesRecordAmendsOnlyTheNewest(t *testing.T) {
	var rs Releases
	rs, err := rs.Record(Release{Version: "v0.1.0", Sets: map[string]string{"chassis": "sha256:a"}})
	if err != nil {
		t.Fatal(err)
	}
	rs, err = rs.Record(Release{Version: "v0.2.0", Sets: map[string]string{"chassis": "sha256:b"}})
	if err != nil {
		t.Fatal(err)
	}
	// The release in preparation may change.
	if rs, err = rs.Record(Release{Version: "v0.2.0", Sets: map[string]string{"chassis": "sha256:c"}}); err != nil || len(rs) != 2 || rs[1].Sets["chassis"] != "sha256:c" {
		t.Fatalf("amend newest: %v %v", rs, err)
	}
	// A published one may not.
	if _, err := rs.Record(Release{Version: "v0.1.0", Sets: map[string]string{"chassis": "sha256:z"}}); err == nil || !strings.Contains(err.Error(), "published") {
		t.Errorf("amend v0.1.0: err = %v", err)
	}
	if _, err := rs.Record(Release{Version: "1.0", Sets: map[string]string{"chassis": "x"}}); err == nil {
		t.Error("a version that is not semver was recorded")
	}
	if v, ok := rs.VersionOf("chassis", "sha256:a"); !ok || v != "v0.1.0" {
		t.Errorf("VersionOf = %q %v", v, ok)
	}
	if r, ok := rs.Shipping(map[string]string{"chassis": "sha256:c"}); !ok || r.Version != "v0.2.0" {
		t.Errorf("Shipping = %v %v", r, ok)
	}
	if _, ok := rs.Shipping(map[string]string{"chassis": "sha256:c", "email": "sha256:d"}); ok {
		t.Error("Shipping matched a release that lacks a set")
	}
	data, err := rs.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseReleases(data)
	if err != nil || len(back) != 2 || back[1].Sets["chassis"] != "sha256:c" {
		t.Fatalf("round trip: %v %v", back, err)
	}
}

func TestParseReleasesRefusesDisorder(t *testing.T) {
	for name, doc := range map[string]string{
		"descending": "releases:\n  - {version: v0.2.0, sets: {chassis: a}}\n  - {version: v0.1.0, sets: {chassis: b}}\n",
		"twice":      "releases:\n  - {version: v0.1.0, sets: {chassis: a}}\n  - {version: v0.1.0, sets: {chassis: b}}\n",
		"not semver": "releases:\n  - {version: '0.1', sets: {chassis: a}}\n",
		"no sets":    "releases:\n  - {version: v0.1.0}\n",
		"unknown":    "releases:\n  - {version: v0.1.0, sets: {chassis: a}, tag: x}\n",
	} {
		if _, err := ParseReleases([]byte(doc)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestPruneKeepsWhatReleasesReferTo(t *testing.T) {
	dir := t.TempDir()
	var digests []string
	for _, body := range []string{"v1\n", "v2\n"} {
		set, err := LoadTemplateSet(fstest.MapFS{
			ManifestFile: {Data: []byte("name: chassis\n")},
			"a.txt":      {Data: []byte(body)},
		})
		if err != nil {
			t.Fatal(err)
		}
		d, err := Snapshot(set, dir)
		if err != nil {
			t.Fatal(err)
		}
		digests = append(digests, d)
	}
	rs := Releases{{Version: "v0.1.0", Sets: map[string]string{"chassis": digests[1]}}}
	removed, err := Prune(dir, rs)
	if err != nil {
		t.Fatal(err)
	}
	// The first snapshot's listing and its own blob go; the manifest blob is shared.
	if len(removed) != 2 {
		t.Errorf("removed %v, want the listing of %s and its a.txt", removed, digests[0])
	}
	if _, err := HistoryVersion(os.DirFS(dir), "chassis", digests[1]); err != nil {
		t.Errorf("the released set no longer rebuilds: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, setListing("chassis", digests[0]))); !os.IsNotExist(err) {
		t.Errorf("unreleased listing kept: %v", err)
	}
}
