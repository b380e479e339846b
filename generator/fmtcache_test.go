package generator

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"testing"
)

// gofmt's output survives the process in KIT_CACHE, is read back by a later
// one, and KIT_CACHE=off keeps nothing.
func TestFormatCacheOnDisk(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(EnvCache, dir)
	src := []byte("package x\nfunc  F( ) {}\n")
	out, err := formatGo(src)
	if err != nil || string(out) != "package x\n\nfunc F() {}\n" {
		t.Fatalf("formatGo = %q, %v", out, err)
	}
	entries, _ := filepath.Glob(filepath.Join(gofmtCacheDir(), "*"))
	if len(entries) != 1 {
		t.Fatalf("cache holds %v, want one entry", entries)
	}
	// A later process: nothing in memory, the entry on disk is used.
	ResetCaches()
	if err := os.WriteFile(entries[0], []byte("package x // from the cache\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, _ := formatGo(src); string(out) != "package x // from the cache\n" {
		t.Errorf("the disk cache was not read: %q", out)
	}
	ResetCaches()
	t.Setenv(EnvCache, "off")
	if gofmtCacheDir() != "" {
		t.Error("KIT_CACHE=off still names a directory")
	}
	other := []byte("package y\n")
	if _, ok := cachedFormat(sha256.Sum256(other)); ok {
		t.Error("a cache that is off answered")
	}
}
