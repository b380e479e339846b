package generator

import (
	"encoding/hex"
	"os"
	"path/filepath"
	"runtime"
)

// EnvCache names the directory kit keeps its cache in (default: the user's
// cache directory, then kit/); "off" disables it.
const EnvCache = "KIT_CACHE"

// gofmtCacheDir is where gofmt's output is kept across kit processes, by
// the hash of its input: a repository's base renders the same files at
// every update, diff and check. Output may change between Go releases, so
// each has a directory of its own. "" means no cache.
func gofmtCacheDir() string {
	root := cacheRoot()
	if root == "" {
		return ""
	}
	return filepath.Join(root, "gofmt-"+runtime.Version())
}

// cacheRoot is kit's cache directory, "" when there is none or it is off.
func cacheRoot() string {
	root := os.Getenv(EnvCache)
	switch root {
	case "off":
		return ""
	case "":
		dir, err := os.UserCacheDir()
		if err != nil {
			return ""
		}
		root = filepath.Join(dir, "kit")
	}
	return root
}

// cachedFormat returns gofmt's output for the input hashed to key, when an
// earlier process stored it.
func cachedFormat(key [32]byte) ([]byte, bool) {
	dir := gofmtCacheDir()
	if dir == "" {
		return nil, false
	}
	data, err := os.ReadFile(filepath.Join(dir, hex.EncodeToString(key[:])))
	return data, err == nil
}

// storeFormat keeps out for later processes, best effort.
func storeFormat(key [32]byte, out []byte) {
	writeCacheEntry(gofmtCacheDir(), key, out)
}

// writeCacheEntry stores data in dir under key, best effort: written beside
// and renamed, so a reader never sees half an entry. It reports whether the
// entry was stored; dir "" (the cache is off) stores nothing.
func writeCacheEntry(dir string, key [32]byte, data []byte) bool {
	if dir == "" || os.MkdirAll(dir, 0o755) != nil {
		return false
	}
	f, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return false
	}
	_, werr := f.Write(data)
	cerr := f.Close()
	if werr != nil || cerr != nil || os.Rename(f.Name(), filepath.Join(dir, hex.EncodeToString(key[:]))) != nil {
		os.Remove(f.Name())
		return false
	}
	return true
}
