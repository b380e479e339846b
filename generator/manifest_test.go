package generator

import (
	"context"
	"os"
	"strings"
	"testing"
)

func TestParseManifestRejectsBadInput(t *testing.T) {
	tests := []struct{ name, yaml, want string }{
		{"no name", "questions: []", "name is required"},
		{"unknown field", "name: x\nbogus: 1", "field bogus not found"},
		{"bad key", "name: x\nquestions: [{key: Bad, type: string}]", "must be lower_snake_case"},
		{"bad type", "name: x\nquestions: [{key: a, type: float}]", "unknown type \"float\""},
		{"select without options", "name: x\nquestions: [{key: a, type: select}]", "needs options"},
		{"unknown validator", "name: x\nquestions: [{key: a, type: string, validate: nope}]", "unknown validator"},
		{"duplicate", "name: x\nquestions: [{key: a, type: string}, {key: a, type: int}]", "declared twice"},
		{"bad when", "name: x\nfiles: [{path: a, when: '.a )'}]", "when"},
		{"bad owner", "name: x\nfiles: [{path: a, owner: me}]", "must be merged, kit or user"},
		{"bad pattern", "name: x\nfiles: [{path: 'a[', owner: kit}]", "bad pattern"},
		{"bad delims", "name: x\nfiles: [{path: a, delims: ['<<']}]", "delims must be two non-empty strings"},
		{"bad default", "name: x\nquestions: [{key: a, type: string, default: '{{ .x '}]", "default"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseManifest("m.yaml", []byte(tt.yaml))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "manifest m.yaml: ") {
				t.Errorf("error %q does not name the manifest", err)
			}
		})
	}
}

func TestManifestRules(t *testing.T) {
	m, err := ParseManifest("m", []byte(`
name: x
files:
  - path: mod/**
    when: .mod
  - path: mod/keep.go.tmpl
    when: eq .ci "github"
  - path: "*.md"
    owner: user
  - path: README.md
    owner: kit
`))
	if err != nil {
		t.Fatal(err)
	}
	data := map[string]any{"mod": true, "ci": "none"}
	for p, want := range map[string]bool{"mod/a.go": true, "mod/sub/b.go": true, "mod/keep.go.tmpl": false, "module.go": true, "mod": true} {
		got, err := m.Include(p, data)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("Include(%s) = %v, want %v", p, got, want)
		}
	}
	if ok, _ := m.Include("mod/a.go", map[string]any{"mod": false, "ci": "none"}); ok {
		t.Error("Include(mod/a.go) with mod=false")
	}
	if _, err := m.Include("mod/a.go", map[string]any{}); err == nil {
		t.Error("a condition over a missing answer must fail, not be false")
	}
	for p, want := range map[string]Ownership{"README.md": OwnerKit, "CHANGES.md": OwnerUser, "main.go": OwnerMerged} {
		if got := m.Owner(p); got != want {
			t.Errorf("Owner(%s) = %s, want %s", p, got, want)
		}
	}
}

// TestCartridgeManifestFormat loads a cartridge laid out as cartridges/README.md
// describes, proving the chassis engine reads cartridges unchanged.
func TestCartridgeManifestFormat(t *testing.T) {
	set, err := LoadTemplateSet(os.DirFS("testdata/cartridge"))
	if err != nil {
		t.Fatal(err)
	}
	if set.Manifest.Name != "email" || len(set.Manifest.Requires) != 1 || set.Manifest.Requires[0] != "webhooks" {
		t.Errorf("manifest: %+v", set.Manifest)
	}
	for provider, want := range map[string]int{"smtp": 1, "ses": 2} {
		files, err := set.Render(context.Background(), map[string]any{"email_provider": provider})
		if err != nil {
			t.Fatal(err)
		}
		if len(files) != want {
			t.Errorf("provider %s: %d files, want %d", provider, len(files), want)
		}
	}
}
