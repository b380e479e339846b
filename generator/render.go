package generator

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"go/format"
	"go/scanner"
	"io/fs"
	"path"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"text/template"

	"github.com/agencystandard/kit/generator/internal/parallel"
)

// TemplateSuffix marks files that are rendered; others are copied verbatim.
const TemplateSuffix = ".tmpl"

// TemplateSet is a tree of templates with its manifest at the root.
type TemplateSet struct {
	FS       fs.FS
	Manifest *Manifest
	// Release is the kit release that shipped this exact set, when the
	// catalog's history knows it.
	Release string

	// digest is computed once: the set's files do not change.
	digest func() (string, error)
}

// File is one generated file.
type File struct {
	// Path is the slash-separated output path, relative to the project root.
	Path string
	// Source is the template path it came from.
	Source string
	// Set names the template set that generated it.
	Set   string
	Data  []byte
	Owner Ownership
}

// LoadTemplateSet reads the manifest at the root of fsys.
func LoadTemplateSet(fsys fs.FS) (*TemplateSet, error) {
	m, err := LoadManifest(fsys)
	if err != nil {
		return nil, err
	}
	s := &TemplateSet{FS: fsys, Manifest: m}
	s.digest = sync.OnceValues(s.computeDigest)
	return s, nil
}

// Digest identifies the exact content of the template set, manifest
// included: equal digests render equal bytes for equal answers.
func (s *TemplateSet) Digest() (string, error) {
	if s.digest != nil {
		return s.digest()
	}
	return s.computeDigest()
}

func (s *TemplateSet) computeDigest() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(s.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(s.FS, p)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", p, len(data))
		h.Write(data)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("digest template set %s: %w", s.Manifest.Name, err)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))[:16], nil
}

// Render renders every file of the set that the manifest includes for data,
// sorted by output path. It is deterministic: the same set and data produce
// the same files, byte for byte.
func (s *TemplateSet) Render(ctx context.Context, data map[string]any) ([]File, error) {
	return s.render(ctx, data, nil)
}

// render renders the set with extra template functions (the slots).
func (s *TemplateSet) render(ctx context.Context, data map[string]any, extra map[string]any) ([]File, error) {
	var paths []string
	err := fs.WalkDir(s.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() || s.skipInRender(p) {
			return nil
		}
		ok, err := s.Manifest.Include(p, data)
		if err != nil {
			return fmt.Errorf("template %s: %w", p, err)
		}
		if ok {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Files render independently (templates only read the data), so they
	// render on every core; the first error in path order is reported, so
	// failures are as deterministic as the output.
	files := make([]File, len(paths))
	errs := make([]error, len(paths))
	r := &renderer{data: data, extra: extra}
	parallel.Each(ctx, len(paths), runtime.GOMAXPROCS(0), func(i int) {
		files[i], errs[i] = s.renderFile(r, paths[i])
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	seen := map[string]string{}
	for i, p := range paths {
		if errs[i] != nil {
			return nil, errs[i]
		}
		if prev, dup := seen[files[i].Path]; dup {
			return nil, fmt.Errorf("templates %s and %s both render to %s", prev, p, files[i].Path)
		}
		seen[files[i].Path] = p
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files, nil
}

func (s *TemplateSet) renderFile(r *renderer, p string) (File, error) {
	out, err := renderPath(p, r.data)
	if err != nil {
		return File{}, err
	}
	raw, err := fs.ReadFile(s.FS, p)
	if err != nil {
		return File{}, err
	}
	body := raw
	if strings.HasSuffix(p, TemplateSuffix) {
		left, right := s.Manifest.Delims(p)
		if body, err = r.execute(p, string(raw), left, right); err != nil {
			return File{}, err
		}
	}
	if strings.HasSuffix(out, ".go") {
		formatted, err := formatGo(body)
		if err != nil {
			return File{}, goSyntaxError(p, body, err)
		}
		body = formatted
	}
	return File{Path: out, Source: p, Data: body, Owner: s.Manifest.Owner(p)}, nil
}

// formatted caches gofmt's output by input: an update renders the base and
// the target, which share most files, and gofmt is most of rendering's cost.
// Behind it, a cache on disk keeps the output for later kit processes.
var formatted sync.Map // [sha256.Size]byte → []byte

// ResetCaches drops the in-process caches, so that a benchmark can measure
// what one kit process does from a cold start (the disk cache stays; set
// KIT_CACHE=off to measure without it).
func ResetCaches() { formatted.Clear() }

func formatGo(src []byte) ([]byte, error) {
	key := sha256.Sum256(src)
	if out, ok := formatted.Load(key); ok {
		return bytes.Clone(out.([]byte)), nil
	}
	if out, ok := cachedFormat(key); ok {
		formatted.Store(key, bytes.Clone(out))
		return out, nil
	}
	out, err := format.Source(src)
	if err != nil {
		return nil, err
	}
	formatted.Store(key, bytes.Clone(out))
	storeFormat(key, out)
	return out, nil
}

// renderPath renders the templated segments of a template path and drops the
// template suffix.
func renderPath(p string, data map[string]any) (string, error) {
	segs := strings.Split(strings.TrimSuffix(p, TemplateSuffix), "/")
	for i, seg := range segs {
		if !strings.Contains(seg, "{{") {
			continue
		}
		b, err := execute(p+" (path)", seg, data)
		if err != nil {
			return "", err
		}
		r := string(b)
		if r == "" || r == "." || r == ".." || strings.ContainsAny(r, `/\`) {
			return "", fmt.Errorf("template %s: path segment %q renders to %q, which is not a file name", p, seg, r)
		}
		segs[i] = r
	}
	return path.Join(segs...), nil
}

func execute(name, text string, data map[string]any) ([]byte, error) {
	return executeDelims(name, text, data, "", "", nil)
}

// executeDelims renders text with the given action delimiters ("" for the
// default {{ and }}) and extra functions besides FuncMap's.
func executeDelims(name, text string, data map[string]any, left, right string, extra map[string]any) ([]byte, error) {
	t := template.New(name).Delims(left, right).Funcs(baseFuncs())
	if len(extra) > 0 {
		t = t.Funcs(extra)
	}
	t, err := t.Option("missingkey=error").Parse(text)
	if err != nil {
		return nil, templateError(name, err)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return nil, templateError(name, err)
	}
	return b.Bytes(), nil
}

// renderer renders the files of one render call. text/template checks
// every function it is given by reflection, which for sprig's map costs
// more than parsing most files; so the files share one parent template
// per pair of delimiters, which holds the functions once, and each file
// is parsed as a new template associated with it. Associated templates
// share their namespace of named templates, so a file that defines or
// calls named templates ({{define}}, {{block}}, {{template}}) gets a
// parent of its own, as every file did before: one file's definitions
// never reach another's.
type renderer struct {
	data  map[string]any
	extra map[string]any

	mu      sync.Mutex
	parents map[[2]string]*parent
}

type parent struct {
	tmpl  *template.Template
	named *regexp.Regexp // an action that defines or calls a named template
}

func (r *renderer) parent(left, right string) (*parent, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	key := [2]string{left, right}
	if p, ok := r.parents[key]; ok {
		return p, nil
	}
	t := template.New("").Delims(left, right).Funcs(baseFuncs())
	if len(r.extra) > 0 {
		t = t.Funcs(r.extra)
	}
	if left == "" {
		left = "{{"
	}
	p := &parent{
		tmpl:  t.Option("missingkey=error"),
		named: regexp.MustCompile(regexp.QuoteMeta(left) + `-?\s*(define|block|template)\b`),
	}
	if r.parents == nil {
		r.parents = map[[2]string]*parent{}
	}
	r.parents[key] = p
	return p, nil
}

func (r *renderer) execute(name, text, left, right string) ([]byte, error) {
	p, err := r.parent(left, right)
	if err != nil {
		return nil, err
	}
	if p.named.MatchString(text) {
		return executeDelims(name, text, r.data, left, right, r.extra)
	}
	t, err := p.tmpl.New(name).Parse(text)
	if err != nil {
		return nil, templateError(name, err)
	}
	var b bytes.Buffer
	b.Grow(len(text) + len(text)/4)
	if err := t.Execute(&b, r.data); err != nil {
		return nil, templateError(name, err)
	}
	return b.Bytes(), nil
}

var (
	// text/template's messages: "template: NAME:LINE:COL: executing "NAME" at <...>: MSG"
	// and, for parse errors, "template: NAME:LINE: MSG".
	execErrRE  = regexp.MustCompile(`^template: (.*?):(\d+):(\d+): executing ".*?" at <(.*?)>: (.*)$`)
	parseErrRE = regexp.MustCompile(`^template: (.*?):(\d+): (.*)$`)
)

// TemplateError is a failure located in a template file.
type TemplateError struct {
	Path      string
	Line, Col int // Col is 0 when text/template does not report it
	Msg       string
}

func (e *TemplateError) Error() string {
	if e.Col > 0 {
		return fmt.Sprintf("template %s:%d:%d: %s", e.Path, e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("template %s:%d: %s", e.Path, e.Line, e.Msg)
}

// templateError rewrites text/template's messages to "template PATH:LINE:COL: MSG".
func templateError(name string, err error) error {
	msg := err.Error()
	var line, col int
	if m := execErrRE.FindStringSubmatch(msg); m != nil {
		fmt.Sscan(m[2], &line)
		fmt.Sscan(m[3], &col)
		return &TemplateError{Path: name, Line: line, Col: col, Msg: fmt.Sprintf("%s (at <%s>)", m[5], m[4])}
	}
	if m := parseErrRE.FindStringSubmatch(msg); m != nil {
		fmt.Sscan(m[2], &line)
		return &TemplateError{Path: name, Line: line, Msg: m[3]}
	}
	return fmt.Errorf("template %s: %w", name, err)
}

// goSyntaxError reports generated Go that does not parse, naming the template
// and the offending line of its output.
func goSyntaxError(name string, src []byte, err error) error {
	var list scanner.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		first := list[0]
		lines := strings.Split(string(src), "\n")
		text := ""
		if n := first.Pos.Line; n >= 1 && n <= len(lines) {
			text = strings.TrimSpace(lines[n-1])
		}
		return fmt.Errorf("template %s: renders invalid Go at output line %d:%d: %s\n\t%s",
			name, first.Pos.Line, first.Pos.Column, first.Msg, text)
	}
	return fmt.Errorf("template %s: renders invalid Go: %w", name, err)
}

// ReservedKey is the template data key that lists the installed cartridges;
// no question may use it.
const ReservedKey = "cartridges"

// TemplateData is what templates see: the answers plus the installed
// cartridges under ReservedKey, in the order they were added (which is
// dependency order: a cartridge comes after those it requires).
func TemplateData(answers map[string]any, cartridges []string) map[string]any {
	data := make(map[string]any, len(answers)+1)
	for k, v := range answers {
		data[k] = v
	}
	data[ReservedKey] = append([]string{}, cartridges...)
	return data
}

// RenderProject renders the chassis and each cartridge for the answers and
// returns all files sorted by path. Two sets may not generate the same path.
func RenderProject(ctx context.Context, chassis *TemplateSet, cartridges []*TemplateSet, answers map[string]any) ([]File, error) {
	var names []string
	for _, c := range cartridges {
		names = append(names, c.Manifest.Name)
	}
	// Not through the render cache: kit new renders a project once; the
	// cache is for the renders that updates, kit diff and kit check repeat.
	return renderAll(ctx, append([]*TemplateSet{chassis}, cartridges...), TemplateData(answers, names))
}

// RenderSets renders sets with the answers, telling templates that the
// cartridges named are installed.
//
// The result is kept in kit's cache directory (see rendercache.go): the
// same kit rendering the same sets with the same data reads it back, as
// an update, kit diff and kit check do for the base and the target.
func RenderSets(ctx context.Context, sets []*TemplateSet, answers map[string]any, cartridges []string) ([]File, error) {
	data := TemplateData(answers, cartridges)
	key, cacheable := renderKey(sets, data)
	if cacheable {
		if files, ok := cachedRender(key); ok {
			return files, nil
		}
	}
	files, err := renderAll(ctx, sets, data)
	if err == nil && cacheable {
		storeRender(key, files)
	}
	return files, err
}

// Generate renders the chassis and cartridges for answers and adds the
// StateFile that records them, the sets' digests and the checksum of every
// file: everything kit writes for a new project.
func Generate(ctx context.Context, chassis *TemplateSet, cartridges []*TemplateSet, answers map[string]any, kitVersion string) ([]File, error) {
	files, err := RenderProject(ctx, chassis, cartridges, answers)
	if err != nil {
		return nil, err
	}
	refs, err := Refs(append([]*TemplateSet{chassis}, cartridges...))
	if err != nil {
		return nil, err
	}
	state := NewState(kitVersion, refs, answers, Checksums(files))
	data, err := state.Marshal()
	if err != nil {
		return nil, err
	}
	return append(files, File{Path: StateFile, Source: ManifestFile, Data: data, Owner: OwnerKit}), nil
}

// RenderString renders one template string (a path, a rename) with data.
func RenderString(name, text string, data map[string]any) (string, error) {
	b, err := execute(name, text, data)
	return string(b), err
}
