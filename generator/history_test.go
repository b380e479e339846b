package generator

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
)

func TestSnapshotRebuildsExactSetsAndSharesBlobs(t *testing.T) {
	v1 := fstest.MapFS{
		ManifestFile: {Data: []byte("name: chassis\n")},
		"a.txt.tmpl": {Data: []byte("{{ .name }}\n")},
		"same.txt":   {Data: []byte("unchanged between versions\n")},
	}
	v2 := fstest.MapFS{
		ManifestFile: {Data: []byte("name: chassis\n")},
		"a.txt.tmpl": {Data: []byte("{{ .name }} v2\n")},
		"same.txt":   {Data: []byte("unchanged between versions\n")},
	}
	dir := t.TempDir()
	var digests []string
	for _, fsys := range []fstest.MapFS{v1, v2} {
		set, err := LoadTemplateSet(fsys)
		if err != nil {
			t.Fatal(err)
		}
		d, err := Snapshot(set, dir)
		if err != nil {
			t.Fatal(err)
		}
		digests = append(digests, d)
	}
	objects, _ := os.ReadDir(filepath.Join(dir, historyObjects))
	// kit.yaml and same.txt are shared; a.txt has two versions.
	if len(objects) != 4 {
		t.Errorf("%d blobs stored, want 4 (shared files stored once)", len(objects))
	}
	hist := os.DirFS(dir)
	for i, d := range digests {
		set, err := HistoryVersion(hist, "chassis", d)
		if err != nil {
			t.Fatalf("version %d: %v", i+1, err)
		}
		if got, _ := set.Digest(); got != d {
			t.Errorf("rebuilt digest %s, want %s", got, d)
		}
	}
	if _, err := HistoryVersion(hist, "chassis", "sha256:0000000000000000"); !errors.Is(err, ErrUnknownVersion) {
		t.Errorf("unknown version: err = %v", err)
	}
	// A corrupted blob is detected, not silently used.
	objects, _ = os.ReadDir(filepath.Join(dir, historyObjects))
	for _, o := range objects {
		os.WriteFile(filepath.Join(dir, historyObjects, o.Name()), []byte("tampered"), 0o644)
	}
	if _, err := HistoryVersion(hist, "chassis", digests[0]); err == nil || errors.Is(err, ErrUnknownVersion) {
		t.Errorf("tampered history: err = %v", err)
	}
}
