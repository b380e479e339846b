package generator

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"sync"
	"time"
)

// The render cache keeps what RenderSets returned, by a digest of
// everything the output depends on: the exact kit build (its executable and
// Go release: a new kit renders afresh, whatever its version says), each
// set's name and content digest, and the template data, types included.
// The base of an update, kit diff and kit check is then read back in one
// file rather than rendered and formatted again. An entry carries its key
// and a checksum of its content; one that does not verify is ignored and
// removed.

const (
	renderMagic = "kit-render 1\n"
	// renderKeep bounds the cache (an entry of the chassis is about 1.5 MB):
	// at most this many entries, none unused for longer than renderMaxAge.
	renderKeep   = 32
	renderMaxAge = 30 * 24 * time.Hour
)

// buildIdentity names the running kit build: the executable (path, size,
// modification time), its module version and VCS revision, and the Go
// release. "" when the executable cannot be identified: nothing is cached.
var buildIdentity = sync.OnceValue(func() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	fi, err := os.Stat(exe)
	if err != nil {
		return ""
	}
	id := fmt.Sprintf("%s\x00%d\x00%d\x00%s", exe, fi.Size(), fi.ModTime().UnixNano(), runtime.Version())
	if bi, ok := debug.ReadBuildInfo(); ok {
		id += "\x00" + bi.Main.Path + "@" + bi.Main.Version
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" || s.Key == "vcs.modified" {
				id += "\x00" + s.Key + "=" + s.Value
			}
		}
	}
	return id
})

func renderCacheDir() string {
	root := cacheRoot()
	if root == "" {
		return ""
	}
	return filepath.Join(root, "render-"+runtime.Version())
}

// renderKey is the cache key of rendering sets with data, or ok=false when
// something in it has no stable encoding (then nothing is cached).
func renderKey(sets []*TemplateSet, data map[string]any) (key [32]byte, ok bool) {
	build := buildIdentity()
	if build == "" {
		return key, false
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s%d:%s", renderMagic, len(build), build)
	for _, s := range sets {
		d, err := s.Digest()
		if err != nil {
			return key, false
		}
		fmt.Fprintf(h, "\x00set %d:%s %s", len(s.Manifest.Name), s.Manifest.Name, d)
	}
	h.Write([]byte("\x00data "))
	if err := encodeValue(h, reflect.ValueOf(data)); err != nil {
		return key, false
	}
	copy(key[:], h.Sum(nil))
	return key, true
}

// encodeValue writes v with its type, so that values that print alike but
// render differently (8080 and 8080.0, "true" and true) never share a key.
// Maps are written in key order.
func encodeValue(h hash.Hash, v reflect.Value) error {
	if !v.IsValid() {
		h.Write([]byte("nil;"))
		return nil
	}
	fmt.Fprintf(h, "%d:%s=", len(v.Type().String()), v.Type().String())
	switch v.Kind() {
	case reflect.Interface:
		if v.IsNil() {
			h.Write([]byte("nil;"))
			return nil
		}
		return encodeValue(h, v.Elem())
	case reflect.String:
		s := v.String()
		fmt.Fprintf(h, "%d:%s;", len(s), s)
	case reflect.Bool:
		fmt.Fprintf(h, "%t;", v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		fmt.Fprintf(h, "%d;", v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		fmt.Fprintf(h, "%d;", v.Uint())
	case reflect.Float32, reflect.Float64:
		h.Write([]byte(strconv.FormatFloat(v.Float(), 'g', -1, 64) + ";"))
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			h.Write([]byte("nil;"))
			return nil
		}
		fmt.Fprintf(h, "[%d", v.Len())
		for i := range v.Len() {
			if err := encodeValue(h, v.Index(i)); err != nil {
				return err
			}
		}
		h.Write([]byte("];"))
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			return fmt.Errorf("map keyed by %s", v.Type().Key())
		}
		if v.IsNil() {
			h.Write([]byte("nil;"))
			return nil
		}
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		fmt.Fprintf(h, "{%d", len(keys))
		for _, k := range keys {
			fmt.Fprintf(h, "%d:%s", len(k.String()), k.String())
			if err := encodeValue(h, v.MapIndex(k)); err != nil {
				return err
			}
		}
		h.Write([]byte("};"))
	default:
		return fmt.Errorf("no cache encoding for %s", v.Type())
	}
	return nil
}

// cachedRender returns the files stored under key, or ok=false. An entry
// that does not verify (torn, truncated, edited, another key's) is removed.
func cachedRender(key [32]byte) ([]File, bool) {
	dir := renderCacheDir()
	if dir == "" {
		return nil, false
	}
	name := filepath.Join(dir, hex.EncodeToString(key[:]))
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, false
	}
	files, err := decodeRender(key, data)
	if err != nil {
		os.Remove(name)
		return nil, false
	}
	now := time.Now()
	os.Chtimes(name, now, now) // recently used: kept by the pruning
	return files, true
}

// storeRender keeps files under key for later processes, best effort:
// written beside and renamed, so a reader never sees half an entry. It
// prunes the cache to its bounds.
func storeRender(key [32]byte, files []File) {
	dir := renderCacheDir()
	if writeCacheEntry(dir, key, encodeRender(key, files)) {
		pruneRenders(dir)
	}
}

// pruneRenders removes entries unused for renderMaxAge and, beyond
// renderKeep, the least recently used.
func pruneRenders(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	type entry struct {
		name string
		used time.Time
	}
	var list []entry
	for _, e := range entries {
		if fi, err := e.Info(); err == nil && fi.Mode().IsRegular() {
			list = append(list, entry{e.Name(), fi.ModTime()})
		}
	}
	sort.Slice(list, func(i, j int) bool { return list[i].used.After(list[j].used) })
	for i, e := range list {
		if i >= renderKeep || time.Since(e.used) > renderMaxAge {
			os.Remove(filepath.Join(dir, e.name))
		}
	}
}

// An entry is renderMagic, the key and the SHA-256 of the payload (hex, a
// line each), then the payload: the number of files and, for each, its
// path, source, set, owner and content, each length-prefixed (uvarint).
func encodeRender(key [32]byte, files []File) []byte {
	var p []byte
	p = binary.AppendUvarint(p, uint64(len(files)))
	for _, f := range files {
		for _, s := range [][]byte{[]byte(f.Path), []byte(f.Source), []byte(f.Set), []byte(f.Owner), f.Data} {
			p = binary.AppendUvarint(p, uint64(len(s)))
			p = append(p, s...)
		}
	}
	sum := sha256.Sum256(p)
	var b bytes.Buffer
	b.Grow(len(renderMagic) + 2*(2*len(key)+1) + len(p))
	b.WriteString(renderMagic)
	b.WriteString(hex.EncodeToString(key[:]) + "\n")
	b.WriteString(hex.EncodeToString(sum[:]) + "\n")
	b.Write(p)
	return b.Bytes()
}

var errBadEntry = errors.New("render cache entry does not verify")

func decodeRender(key [32]byte, data []byte) ([]File, error) {
	head := len(renderMagic) + 2*(2*len(key)+1)
	if len(data) < head || string(data[:len(renderMagic)]) != renderMagic {
		return nil, errBadEntry
	}
	lines := data[len(renderMagic):head]
	if string(lines[:2*len(key)]) != hex.EncodeToString(key[:]) || lines[2*len(key)] != '\n' || lines[len(lines)-1] != '\n' {
		return nil, errBadEntry
	}
	p := data[head:]
	sum := sha256.Sum256(p)
	if string(lines[2*len(key)+1:len(lines)-1]) != hex.EncodeToString(sum[:]) {
		return nil, errBadEntry
	}
	next := func() ([]byte, error) {
		n, k := binary.Uvarint(p)
		if k <= 0 || n > uint64(len(p)-k) {
			return nil, errBadEntry
		}
		b := p[k : k+int(n)]
		p = p[k+int(n):]
		return b, nil
	}
	count, k := binary.Uvarint(p)
	if k <= 0 || count > uint64(len(p)) {
		return nil, errBadEntry
	}
	p = p[k:]
	files := make([]File, 0, count)
	for range count {
		var fields [5][]byte
		for i := range fields {
			b, err := next()
			if err != nil {
				return nil, err
			}
			fields[i] = b
		}
		files = append(files, File{
			Path: string(fields[0]), Source: string(fields[1]), Set: string(fields[2]),
			Owner: Ownership(fields[3]), Data: bytes.Clone(fields[4]),
		})
	}
	if len(p) != 0 {
		return nil, errBadEntry
	}
	return files, nil
}
