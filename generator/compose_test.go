package generator

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
)

func mustSet(t *testing.T, files map[string]string) *TemplateSet {
	t.Helper()
	fsys := fstest.MapFS{}
	for p, body := range files {
		fsys[p] = &fstest.MapFile{Data: []byte(body)}
	}
	s, err := LoadTemplateSet(fsys)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func rendered(t *testing.T, files []File) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, f := range files {
		out[f.Path] = string(f.Data)
	}
	return out
}

const slotChassis = "name: chassis\nslots:\n  - name: env\n    description: settings\n"

func TestSlotsTakeFragmentsInNameOrder(t *testing.T) {
	chassis := mustSet(t, map[string]string{
		ManifestFile:        slotChassis,
		".env.example.tmpl": "A=1\n{{- slot \"env\" }}\n\nZ=26\n",
	})
	cart := func(name, body string) *TemplateSet {
		return mustSet(t, map[string]string{
			ManifestFile:       "name: " + name + "\nfill:\n  - slot: env\n    file: slots/env.tmpl\n",
			"slots/env.tmpl":   body,
			"internal/" + name: name + "\n",
			SumFile:            "",
		})
	}
	b := cart("bravo", "\n# bravo\nB={{ .name }}\n")
	a := cart("alpha", "\n# alpha\nA2=2\n")
	ctx := context.Background()

	none, err := RenderSets(ctx, []*TemplateSet{chassis}, map[string]any{"name": "x"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := rendered(t, none)[".env.example"]; got != "A=1\n\nZ=26\n" {
		t.Errorf("no cartridge: %q", got)
	}
	want := "A=1\n\n# alpha\nA2=2\n\n# bravo\nB=x\n\nZ=26\n"
	for _, order := range [][]*TemplateSet{{chassis, b, a}, {chassis, a, b}} {
		files, err := RenderSets(ctx, order, map[string]any{"name": "x"}, []string{order[1].Manifest.Name, order[2].Manifest.Name})
		if err != nil {
			t.Fatal(err)
		}
		got := rendered(t, files)
		if got[".env.example"] != want {
			t.Errorf("order %s,%s: %q, want %q", order[1].Manifest.Name, order[2].Manifest.Name, got[".env.example"], want)
		}
		if _, ok := got["slots/env"]; ok {
			t.Error("a fragment was written as a file")
		}
		if _, ok := got[SumFile]; ok {
			t.Errorf("%s was written as a file", SumFile)
		}
	}
}

func TestSlotErrors(t *testing.T) {
	ctx := context.Background()
	chassis := mustSet(t, map[string]string{ManifestFile: slotChassis, "a.tmpl": "{{ slot \"env\" }}"})
	typo := mustSet(t, map[string]string{ManifestFile: "name: c\nfill:\n  - slot: evn\n    file: f.tmpl\n", "f.tmpl": "x"})
	if _, err := RenderSets(ctx, []*TemplateSet{chassis, typo}, map[string]any{}, []string{"c"}); err == nil || !strings.Contains(err.Error(), `"evn"`) || !strings.Contains(err.Error(), "env") {
		t.Errorf("fill of an undeclared slot: %v", err)
	}
	undeclared := mustSet(t, map[string]string{ManifestFile: "name: chassis\n", "a.tmpl": "{{ slot \"env\" }}"})
	if _, err := RenderSets(ctx, []*TemplateSet{undeclared}, map[string]any{}, nil); err == nil || !strings.Contains(err.Error(), "not declared") {
		t.Errorf("call of an undeclared slot: %v", err)
	}
	for name, manifest := range map[string]string{
		"bad slot name":  "name: c\nslots:\n  - name: Env\n",
		"slot twice":     "name: c\nslots:\n  - name: env\n  - name: env\n",
		"fill no file":   "name: c\nfill:\n  - slot: env\n",
		"fill manifest":  "name: c\nfill:\n  - slot: env\n    file: kit.yaml\n",
		"bad delims":     "name: c\nfill:\n  - slot: env\n    file: f\n    delims: ['[[']\n",
		"bad version":    "name: c\ngo_require:\n  - example.com/a 1.0\n",
		"bad path":       "name: c\ngo_require:\n  - Example..com v1.0.0\n",
		"bad comment":    "name: c\ngo_require:\n  - example.com/a v1.0.0 // direct\n",
		"required twice": "name: c\ngo_require:\n  - example.com/a v1.0.0\n  - example.com/a v1.1.0\n",
	} {
		if _, err := ParseManifest(name, []byte(manifest)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestGoRequirementsCompose(t *testing.T) {
	chassis := mustSet(t, map[string]string{
		ManifestFile:  "name: chassis\ngo_require:\n  - example.com/a v1.0.0\n  - example.com/c v1.0.0 // indirect\n  - example.com/d v1.3.0 // indirect\n",
		"go.mod.tmpl": "module {{ .module }}\n\ngo 1.26.0\n",
		SumFile:       "example.com/a v1.0.0 h1:a=\nexample.com/a v1.0.0/go.mod h1:amod=\nexample.com/c v1.0.0/go.mod h1:c10=\n",
	})
	cart := mustSet(t, map[string]string{
		ManifestFile: "name: cart\ngo_require:\n  - example.com/b v1.2.0\n  - example.com/c v1.10.0\n  - example.com/d v1.2.0 // indirect\n",
		SumFile:      "example.com/c v1.10.0 h1:c110=\nexample.com/c v1.10.0/go.mod h1:c110mod=\nexample.com/b v1.2.0 h1:b=\nexample.com/a v1.0.0 h1:a=\n",
	})
	files, err := RenderSets(context.Background(), []*TemplateSet{chassis, cart}, map[string]any{"module": "example.com/x"}, []string{"cart"})
	if err != nil {
		t.Fatal(err)
	}
	got := rendered(t, files)
	// Highest version wins; direct when any set imports it; tidy's layout.
	wantMod := "module example.com/x\n\ngo 1.26.0\n\nrequire (\n\texample.com/a v1.0.0\n\texample.com/b v1.2.0\n\texample.com/c v1.10.0\n)\n\nrequire example.com/d v1.3.0 // indirect\n"
	if got["go.mod"] != wantMod {
		t.Errorf("go.mod:\n%s\nwant:\n%s", got["go.mod"], wantMod)
	}
	// Union, each line once, versions in semantic order, go.mod lines after their module's.
	wantSum := "example.com/a v1.0.0 h1:a=\nexample.com/a v1.0.0/go.mod h1:amod=\nexample.com/b v1.2.0 h1:b=\nexample.com/c v1.0.0/go.mod h1:c10=\nexample.com/c v1.10.0 h1:c110=\nexample.com/c v1.10.0/go.mod h1:c110mod=\n"
	if got["go.sum"] != wantSum {
		t.Errorf("go.sum:\n%s\nwant:\n%s", got["go.sum"], wantSum)
	}
	// A chassis go.mod that lists requirements itself is refused: one source.
	dup := mustSet(t, map[string]string{
		ManifestFile:  "name: chassis\ngo_require:\n  - example.com/a v1.0.0\n",
		"go.mod.tmpl": "module x\n\ngo 1.26.0\n\nrequire example.com/a v1.0.0\n",
	})
	if _, err := RenderSets(context.Background(), []*TemplateSet{dup}, map[string]any{}, nil); err == nil {
		t.Error("a go.mod template with its own requirements was composed")
	}
}
