package generator

import (
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/agencystandard/kit/cartridges"
	"github.com/agencystandard/kit/templates"
)

// chassisWithWebhooks is the real chassis with a cartridge (slots, go.mod
// composition) and the answers its questions default to.
func chassisWithWebhooks(t *testing.T) ([]*TemplateSet, map[string]any) {
	t.Helper()
	cat, err := NewCatalog(templates.Chassis(), cartridges.FS())
	if err != nil {
		t.Fatal(err)
	}
	wh, ok := cat.Cartridge("webhooks")
	if !ok {
		t.Fatal("no webhooks cartridge")
	}
	sets := []*TemplateSet{cat.Chassis(), wh}
	answers := map[string]any{"name": "demo", "module": "example.com/demo"}
	for _, s := range sets {
		for _, q := range s.Manifest.Questions {
			if _, ok := answers[q.Key]; ok {
				continue
			}
			v, err := q.DefaultValue(answers)
			if err != nil {
				t.Fatal(err)
			}
			answers[q.Key] = v
		}
	}
	return sets, answers
}

func renderEntries(t *testing.T) []string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(renderCacheDir(), "*"))
	return m
}

// A render read back from the cache is the render, byte for byte: a miss
// (which stores), a hit, and a render with the cache off agree.
func TestRenderCacheHitEqualsMiss(t *testing.T) {
	ctx := context.Background()
	sets, answers := chassisWithWebhooks(t)
	t.Setenv(EnvCache, "off")
	ResetCaches()
	want, err := RenderSets(ctx, sets, answers, []string{"webhooks"})
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvCache, t.TempDir())
	ResetCaches()
	miss, err := RenderSets(ctx, sets, answers, []string{"webhooks"})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(renderEntries(t)); n != 1 {
		t.Fatalf("the cache holds %d renders after a miss, want 1", n)
	}
	ResetCaches()
	hit, err := RenderSets(ctx, sets, answers, []string{"webhooks"})
	if err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string][]File{"miss": miss, "hit": hit} {
		if !reflect.DeepEqual(got, want) {
			t.Errorf("the %s differs from an uncached render", name)
		}
	}
	// Read back, the files are the caller's own: changing one changes
	// nothing in the next read.
	hit[0].Data[0] ^= 0xff
	again, _ := RenderSets(ctx, sets, answers, []string{"webhooks"})
	if !reflect.DeepEqual(again, want) {
		t.Error("a change to a returned file reached the cache")
	}
}

// An entry that does not verify — truncated, a byte changed, another
// key's, not an entry at all — is ignored and removed, and the render is
// done afresh and stored again.
func TestRenderCacheRejectsBadEntries(t *testing.T) {
	ctx := context.Background()
	sets, answers := chassisWithWebhooks(t)
	t.Setenv(EnvCache, t.TempDir())
	want, err := RenderSets(ctx, sets, answers, nil)
	if err != nil {
		t.Fatal(err)
	}
	entries := renderEntries(t)
	if len(entries) != 1 {
		t.Fatalf("cache holds %v", entries)
	}
	good, err := os.ReadFile(entries[0])
	if err != nil {
		t.Fatal(err)
	}
	// Another key's entry: the same answers but one changed.
	other := map[string]any{}
	for k, v := range answers {
		other[k] = v
	}
	other["name"] = "other"
	if _, err := RenderSets(ctx, sets, other, nil); err != nil {
		t.Fatal(err)
	}
	var otherEntry []byte
	for _, e := range renderEntries(t) {
		if e != entries[0] {
			otherEntry, _ = os.ReadFile(e)
		}
	}
	if otherEntry == nil {
		t.Fatal("a different answer did not store an entry of its own")
	}
	flip := func(i int) []byte {
		b := append([]byte{}, good...)
		b[i] ^= 0x01
		return b
	}
	bad := map[string][]byte{
		"empty":              {},
		"torn":               good[:len(good)/2],
		"header only":        good[:len(renderMagic)+10],
		"changed content":    flip(len(good) - 3),
		"changed header":     flip(2),
		"changed checksum":   flip(len(renderMagic) + 2*32 + 1 + 5),
		"another key's":      otherEntry,
		"trailing bytes":     append(append([]byte{}, good...), 'x'),
		"not an entry":       []byte("package x\n"),
		"zero-length header": []byte(renderMagic),
	}
	for name, data := range bad {
		t.Run(name, func(t *testing.T) {
			if err := os.WriteFile(entries[0], data, 0o644); err != nil {
				t.Fatal(err)
			}
			ResetCaches()
			got, err := RenderSets(ctx, sets, answers, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatal("a bad entry changed the render")
			}
			stored, err := os.ReadFile(entries[0])
			if err != nil || string(stored) != string(good) {
				t.Errorf("the bad entry was not replaced by a good one (%v)", err)
			}
		})
	}
}

// The key covers everything the render depends on: each answer (with its
// type), the installed cartridges, each set's content, and the kit build.
func TestRenderCacheKey(t *testing.T) {
	sets, answers := chassisWithWebhooks(t)
	data := TemplateData(answers, []string{"webhooks"})
	base, ok := renderKey(sets, data)
	if !ok {
		t.Fatal("the chassis's data has no cache key")
	}
	if again, _ := renderKey(sets, TemplateData(answers, []string{"webhooks"})); again != base {
		t.Fatal("the same render has two keys")
	}
	with := func(k string, v any) map[string]any {
		d := TemplateData(answers, []string{"webhooks"})
		d[k] = v
		return d
	}
	variants := map[string]map[string]any{
		"another name":           with("name", "demo2"),
		"a port as float":        with("http_port", float64(8080)),
		"a port as string":       with("http_port", "8080"),
		"a bool as string":       with("example_module", "true"),
		"a list as []any":        with("oauth_providers", []any{}),
		"a list with one more":   with("deploy", []string{"compose"}),
		"an added answer":        with("zzz", ""),
		"no cartridges":          TemplateData(answers, nil),
		"a nil list":             with("oauth_providers", []string(nil)),
		"an answer moved across": with("name", "example.com/demo"),
	}
	seen := map[[32]byte]string{base: "the original"}
	for name, d := range variants {
		k, ok := renderKey(sets, d)
		if !ok {
			t.Errorf("%s: no key", name)
			continue
		}
		if prev, dup := seen[k]; dup {
			t.Errorf("%s has the key of %s", name, prev)
		}
		seen[k] = name
	}
	if k, _ := renderKey(sets[:1], data); k == base {
		t.Error("a set less, the same key")
	}
	changed := testSet(t, map[string]string{"a.txt": "a"})
	changed.Manifest.Name = sets[1].Manifest.Name // same name, other content
	if k, _ := renderKey([]*TemplateSet{sets[0], changed}, data); k == base {
		t.Error("a set with other content, the same key")
	}
	if _, ok := renderKey(sets, with("odd", struct{}{})); ok {
		t.Error("a value with no stable encoding got a key")
	}

	// Another kit build misses what this one stored.
	ctx := context.Background()
	t.Setenv(EnvCache, t.TempDir())
	if _, err := RenderSets(ctx, sets, answers, nil); err != nil {
		t.Fatal(err)
	}
	orig := buildIdentity
	t.Cleanup(func() { buildIdentity = orig })
	buildIdentity = func() string { return "another kit" }
	k1, _ := renderKey(sets, TemplateData(answers, nil))
	if _, ok := cachedRender(k1); ok {
		t.Error("another kit build hit this build's entry")
	}
	buildIdentity = func() string { return "" }
	if _, ok := renderKey(sets, data); ok {
		t.Error("an unidentified build caches")
	}
}

// KIT_CACHE=off stores nothing; pruning keeps the cache bounded, dropping
// the least recently used.
func TestRenderCacheOffAndPruning(t *testing.T) {
	t.Setenv(EnvCache, "off")
	storeRender(sha256.Sum256([]byte("x")), []File{{Path: "a", Data: []byte("a")}})
	if renderCacheDir() != "" {
		t.Fatal("KIT_CACHE=off names a render cache")
	}
	if _, ok := cachedRender(sha256.Sum256([]byte("x"))); ok {
		t.Error("a cache that is off answered")
	}

	t.Setenv(EnvCache, t.TempDir())
	first := sha256.Sum256([]byte("first"))
	storeRender(first, []File{{Path: "a", Data: []byte("a")}})
	if files, ok := cachedRender(first); !ok || len(files) != 1 || string(files[0].Data) != "a" {
		t.Fatalf("stored entry read back as %v, %v", files, ok)
	}
	for i := range renderKeep + 5 {
		storeRender(sha256.Sum256([]byte{byte(i)}), nil)
	}
	if n := len(renderEntries(t)); n > renderKeep {
		t.Errorf("the cache holds %d entries, more than %d", n, renderKeep)
	}
	if _, ok := cachedRender(first); ok {
		t.Error("the least recently used entry survived the pruning")
	}
}

// kit new (Generate) renders afresh and leaves no render in the cache.
func TestGenerateBypassesRenderCache(t *testing.T) {
	sets, answers := chassisWithWebhooks(t)
	t.Setenv(EnvCache, t.TempDir())
	if _, err := Generate(context.Background(), sets[0], sets[1:], answers, "v1"); err != nil {
		t.Fatal(err)
	}
	if e := renderEntries(t); len(e) != 0 {
		t.Errorf("kit new cached its render: %v", e)
	}
}
