package generator

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

const testManifest = `
name: test
questions:
  - key: name
    prompt: Name
    type: string
    validate: project_name
  - key: with_extra
    prompt: Extra?
    type: bool
    default: false
files:
  - path: extra/**
    when: .with_extra
  - path: gen.go.tmpl
    owner: kit
  - path: keep.txt
    owner: user
  - path: justfile.tmpl
    delims: ["[[", "]]"]
`

func testSet(t *testing.T, files map[string]string) *TemplateSet {
	t.Helper()
	fsys := fstest.MapFS{ManifestFile: {Data: []byte(testManifest)}}
	for p, body := range files {
		fsys[p] = &fstest.MapFile{Data: []byte(body)}
	}
	set, err := LoadTemplateSet(fsys)
	if err != nil {
		t.Fatal(err)
	}
	return set
}

func render(t *testing.T, set *TemplateSet, data map[string]any) map[string]File {
	t.Helper()
	files, err := set.Render(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]File{}
	for _, f := range files {
		out[f.Path] = f
	}
	return out
}

func TestRenderTemplatesPathsAndCopies(t *testing.T) {
	set := testSet(t, map[string]string{
		"README.md.tmpl":                  "# {{ .name | upper }}\n",
		"raw.txt":                         "{{ .name }} stays verbatim\n",
		"cmd/{{ .name }}ctl/main.go.tmpl": "package main\nfunc   main(){}\n",
		"gen.go.tmpl":                     "package {{ goPackage .name }}\nconst Name = {{ .name | quote }}\n",
		"keep.txt":                        "mine\n",
		"extra/{{ goPackage .name }}.txt": "extra\n",
		"justfile.tmpl":                   "run name:\n\techo {{ name }} [[ .name ]]\n",
	})
	got := render(t, set, map[string]any{"name": "my-app", "with_extra": false})
	want := map[string]string{
		"README.md":             "# MY-APP\n",
		"raw.txt":               "{{ .name }} stays verbatim\n",
		"cmd/my-appctl/main.go": "package main\n\nfunc main() {}\n",
		"gen.go":                "package myapp\n\nconst Name = \"my-app\"\n",
		"keep.txt":              "mine\n",
		"justfile":              "run name:\n\techo {{ name }} my-app\n",
	}
	if len(got) != len(want) {
		t.Fatalf("rendered %d files, want %d: %v", len(got), len(want), keys(got))
	}
	for p, body := range want {
		f, ok := got[p]
		if !ok {
			t.Errorf("missing %s", p)
			continue
		}
		if string(f.Data) != body {
			t.Errorf("%s = %q, want %q", p, f.Data, body)
		}
	}
	if got["gen.go"].Owner != OwnerKit || got["keep.txt"].Owner != OwnerUser || got["README.md"].Owner != OwnerMerged {
		t.Errorf("owners: gen.go=%s keep.txt=%s README.md=%s", got["gen.go"].Owner, got["keep.txt"].Owner, got["README.md"].Owner)
	}

	withExtra := render(t, set, map[string]any{"name": "my-app", "with_extra": true})
	if _, ok := withExtra["extra/myapp.txt"]; !ok {
		t.Errorf("conditional directory not rendered when its condition holds: %v", keys(withExtra))
	}
}

func TestRenderIsDeterministic(t *testing.T) {
	files := map[string]string{}
	for _, n := range []string{"b", "a", "c/d", "c/a", "z/y/x"} {
		files[n+".txt.tmpl"] = "{{ range $k, $v := . }}{{ $k }}={{ $v }}\n{{ end }}"
	}
	set := testSet(t, files)
	data := map[string]any{"name": "demo", "with_extra": true, "zeta": 1, "alpha": 2}
	first, err := set.Render(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 20; i++ {
		again, err := set.Render(context.Background(), data)
		if err != nil {
			t.Fatal(err)
		}
		if len(again) != len(first) {
			t.Fatal("file count changed between renders")
		}
		for j := range first {
			if first[j].Path != again[j].Path || !bytes.Equal(first[j].Data, again[j].Data) {
				t.Fatalf("render %d differs at %s", i, first[j].Path)
			}
		}
	}
	for j := 1; j < len(first); j++ {
		if first[j-1].Path >= first[j].Path {
			t.Fatalf("files not sorted: %s before %s", first[j-1].Path, first[j].Path)
		}
	}
	d1, _ := set.Digest()
	d2, _ := testSet(t, files).Digest()
	files["b.txt.tmpl"] += "changed"
	d3, _ := testSet(t, files).Digest()
	if d1 != d2 || d1 == d3 {
		t.Errorf("digest: same content %s vs %s, changed content %s", d1, d2, d3)
	}
}

func TestRenderErrorsNameTemplateAndPosition(t *testing.T) {
	tests := []struct {
		name, path, body, want string
	}{
		{"missing key", "a.txt.tmpl", "line one\nhello {{ .nope }}\n", "template a.txt.tmpl:2:9: map has no entry for key \"nope\" (at <.nope>)"},
		{"parse error", "b.txt.tmpl", "ok\nok\n{{ if .name }}\n", "template b.txt.tmpl:4: unexpected EOF"},
		{"unknown function", "c.txt.tmpl", "{{ env \"HOME\" }}", "template c.txt.tmpl:1: function \"env\" not defined"},
		{"invalid go", "d.go.tmpl", "package x\n\nfunc {{ .name }}() {}\n", "template d.go.tmpl: renders invalid Go at output line 3:8: expected '(', found '-'\n\tfunc my-app() {}"},
		{"bad path segment", "{{ .empty }}/x.txt", "", "template {{ .empty }}/x.txt: path segment \"{{ .empty }}\" renders to \"\", which is not a file name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set := testSet(t, map[string]string{tt.path: tt.body})
			_, err := set.Render(context.Background(), map[string]any{"name": "my-app", "with_extra": false, "empty": ""})
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error:\n  %s\nwant prefix:\n  %s", err, tt.want)
			}
		})
	}
}

func TestRenderRejectsTwoTemplatesForOnePath(t *testing.T) {
	set := testSet(t, map[string]string{"a.txt": "x", "a.txt.tmpl": "y"})
	_, err := set.Render(context.Background(), map[string]any{"name": "x", "with_extra": false})
	if err == nil || !strings.Contains(err.Error(), "both render to a.txt") {
		t.Fatalf("err = %v", err)
	}
}

func TestRenderStopsWhenCancelled(t *testing.T) {
	set := testSet(t, map[string]string{"a.txt": "x"})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := set.Render(ctx, map[string]any{"name": "x", "with_extra": false}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func keys(m map[string]File) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

// Files share a parent template for speed, yet one file's named templates
// never reach another: two files defining the same name each get their own
// definition, a file calling a name it does not define fails, and files
// with other delimiters (justfile.tmpl) render with theirs.
func TestRenderKeepsNamedTemplatesPerFile(t *testing.T) {
	files := map[string]string{
		"a.txt.tmpl":    `{{define "x"}}A{{end}}{{template "x"}}-{{.name}}`,
		"b.txt.tmpl":    `{{define "x"}}B{{end}}{{template "x"}}-{{.name}}`,
		"justfile.tmpl": `[[ .name ]] {{ not an action }}`,
	}
	for i := range 40 { // enough files for the workers to parse at once
		files["many/"+string(rune('a'+i%26))+strings.Repeat("z", i/26)+".txt.tmpl"] = `{{.name | upper}}`
	}
	got := render(t, testSet(t, files), map[string]any{"name": "demo"})
	if s := string(got["a.txt"].Data); s != "A-demo" {
		t.Errorf("a.txt = %q, want A-demo", s)
	}
	if s := string(got["b.txt"].Data); s != "B-demo" {
		t.Errorf("b.txt = %q, want B-demo", s)
	}
	if s := string(got["justfile"].Data); s != "demo {{ not an action }}" {
		t.Errorf("justfile = %q", s)
	}
	if s := string(got["many/a.txt"].Data); s != "DEMO" {
		t.Errorf("many/a.txt = %q, want DEMO", s)
	}

	leak := testSet(t, map[string]string{
		"a.txt.tmpl": `{{define "y"}}A{{end}}{{template "y"}}`,
		"b.txt.tmpl": `{{template "y"}}`,
	})
	if _, err := leak.Render(context.Background(), map[string]any{"name": "demo"}); err == nil {
		t.Error("b.txt.tmpl used a template only a.txt.tmpl defines")
	}
}
