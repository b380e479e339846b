package merge

import (
	"strings"
	"testing"

	"golang.org/x/mod/modfile"
)

func TestGoMod(t *testing.T) {
	base := `module example.com/demo

go 1.26

require (
	github.com/labstack/echo/v4 v4.16.0
	github.com/uptrace/bun v1.3.0
	github.com/old/dep v1.0.0
)

require golang.org/x/text v0.30.0 // indirect
`
	ours := `module example.com/demo

go 1.26

require (
	github.com/labstack/echo/v4 v4.16.0
	github.com/uptrace/bun v1.3.0
	github.com/old/dep v1.0.0
	github.com/shopspring/decimal v1.4.0
	golang.org/x/text v0.32.0
)

replace github.com/uptrace/bun => ../bun

exclude github.com/bad/mod v1.0.0
`
	theirs := `module example.com/demo

go 1.27

require (
	github.com/labstack/echo/v4 v4.17.0
	github.com/uptrace/bun v1.3.0
	github.com/hibiken/asynq v0.26.0
)

require golang.org/x/text v0.31.0 // indirect
`
	got, _, err := GoMod(base, ours, theirs)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"go 1.27",                                  // higher go directive
		"github.com/labstack/echo/v4 v4.17.0",      // template bump
		"github.com/hibiken/asynq v0.26.0",         // template addition
		"github.com/shopspring/decimal v1.4.0",     // user addition
		"golang.org/x/text v0.32.0",                // user's higher version wins
		"replace github.com/uptrace/bun => ../bun", // user's replace kept
		"exclude github.com/bad/mod v1.0.0",        // user's exclude kept
	} {
		if !strings.Contains(got, want) {
			t.Errorf("merged go.mod lacks %q:\n%s", want, got)
		}
	}
	checkTidyShape(t, got)
	if strings.Contains(got, "github.com/old/dep") {
		t.Errorf("a requirement the template dropped and the user kept unchanged survived:\n%s", got)
	}
	if strings.Contains(got, "v4.16.0") {
		t.Errorf("old echo version left:\n%s", got)
	}
	if _, _, err := GoMod(base, "module (", theirs); err == nil || !strings.Contains(err.Error(), "your go.mod does not parse") {
		t.Errorf("broken user go.mod: err = %v", err)
	}
	// Merging again is a no-op.
	again, _, err := GoMod(base, got, theirs)
	if err != nil || again != got {
		t.Errorf("not idempotent:\n%s\nvs\n%s", got, again)
	}
}

func TestGoSum(t *testing.T) {
	got := GoSum("b h1:x\na h1:y\n", "c h1:z\na h1:y\n")
	if got != "a h1:y\nb h1:x\nc h1:z\n" {
		t.Errorf("got %q", got)
	}
}

func TestKeyValue(t *testing.T) {
	base := `# Server
HTTP_ADDR=:8080
LOG_LEVEL=info
OLD=1
KEEP_CHANGED=a
`
	ours := `# Server
HTTP_ADDR=:9999
LOG_LEVEL=info
OLD=1
KEEP_CHANGED=mine
MY_VAR=x
`
	theirs := `# Server
HTTP_ADDR=:8080
LOG_LEVEL=debug
KEEP_CHANGED=kit

# Redis connection
REDIS_URL=redis://127.0.0.1:6379/0
# OAUTH_GOOGLE_CLIENT_ID=
`
	want := `# Server
HTTP_ADDR=:9999
LOG_LEVEL=debug
KEEP_CHANGED=mine
MY_VAR=x

# Redis connection
REDIS_URL=redis://127.0.0.1:6379/0
# OAUTH_GOOGLE_CLIENT_ID=
`
	r := KeyValue(base, ours, theirs, Labels{})
	if r.Text != want || r.Conflicts != 0 {
		t.Errorf("got (%d conflicts):\n%s\nwant:\n%s", r.Conflicts, r.Text, want)
	}
	if again := KeyValue(base, r.Text, theirs, Labels{}); again.Text != r.Text {
		t.Errorf("not idempotent:\n%s", again.Text)
	}
}

func TestGoModGoDirective(t *testing.T) {
	const reqs = "\nrequire a.com/x v1.0.0\n"
	mod := func(directives string) string { return "module m\n\n" + directives + reqs }
	tests := []struct {
		name, base, ours, theirs, want string
	}{
		{"template patch form carried", "go 1.26\n", "go 1.26\n", "go 1.26.0\n", "go 1.26.0\n"},
		{"template downgrade carried", "go 1.27\n", "go 1.27\n", "go 1.26\n", "go 1.26\n"},
		{"user change kept", "go 1.26\n", "go 1.27\n", "go 1.26\n", "go 1.27\n"},
		{"both changed: higher (template)", "go 1.26\n", "go 1.26.1\n", "go 1.27.0\n", "go 1.27.0\n"},
		{"both changed: higher (user)", "go 1.26\n", "go 1.28\n", "go 1.26.0\n", "go 1.28\n"},
		{"toolchain added by template", "go 1.26\n", "go 1.26\n", "go 1.26.0\n\ntoolchain go1.26.1\n", "go 1.26.0\n\ntoolchain go1.26.1\n"},
		{"toolchain bumped by template", "go 1.26.0\n\ntoolchain go1.26.0\n", "go 1.26.0\n\ntoolchain go1.26.0\n", "go 1.26.0\n\ntoolchain go1.26.1\n", "go 1.26.0\n\ntoolchain go1.26.1\n"},
		{"toolchain dropped by template", "go 1.26.0\n\ntoolchain go1.26.0\n", "go 1.26.0\n\ntoolchain go1.26.0\n", "go 1.26.0\n", "go 1.26.0\n\nrequire"},
		{"toolchain changed on both: higher", "go 1.26.0\n\ntoolchain go1.26.0\n", "go 1.26.0\n\ntoolchain go1.26.3\n", "go 1.26.0\n\ntoolchain go1.26.1\n", "toolchain go1.26.3\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, err := GoMod(mod(tt.base), mod(tt.ours), mod(tt.theirs))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(got, "\n"+tt.want) {
				t.Errorf("got:\n%s\nwant it to hold:\n%s", got, tt.want)
			}
		})
	}
}

func TestGoModKeepsUserDowngrade(t *testing.T) {
	base := "module m\n\ngo 1.26\n\nrequire github.com/redis/go-redis/v9 v9.16.0\n"
	ours := "module m\n\ngo 1.26\n\nrequire github.com/redis/go-redis/v9 v9.14.0\n"
	// The template left it alone: the user's version stays, without a note.
	got, notes, err := GoMod(base, ours, base)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, "go-redis/v9 v9.14.0") || len(notes) != 0 {
		t.Errorf("template unchanged: got\n%s\nnotes %q", got, notes)
	}
	// The template upgraded it: the user's version stays, with a note.
	theirs := "module m\n\ngo 1.26\n\nrequire github.com/redis/go-redis/v9 v9.17.0\n"
	got, notes, err = GoMod(base, ours, theirs)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, "go-redis/v9 v9.14.0") {
		t.Errorf("template upgraded: the user's downgrade was reverted:\n%s", got)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "github.com/redis/go-redis/v9") || !strings.Contains(notes[0], "v9.17.0") {
		t.Errorf("notes = %q, want one naming the module and the template's version", notes)
	}
}

func TestGoModIndirectChanges(t *testing.T) {
	base := `module m

go 1.26

require a.com/direct v1.0.0

require (
	b.com/becomes-direct v1.0.0 // indirect
	c.com/stays v1.0.0 // indirect
)
`
	ours := `module m

go 1.26

require (
	a.com/direct v1.0.0
	u.com/mine v1.0.0
)

require (
	b.com/becomes-direct v1.0.0 // indirect
	c.com/stays v1.0.0 // indirect
)
`
	// a.com/direct becomes indirect in the template, b.com/becomes-direct direct.
	theirs := `module m

go 1.26

require b.com/becomes-direct v1.0.0

require (
	a.com/direct v1.0.0 // indirect
	c.com/stays v1.0.0 // indirect
)
`
	got, _, err := GoMod(base, ours, theirs)
	if err != nil {
		t.Fatal(err)
	}
	want := `module m

go 1.26

require (
	b.com/becomes-direct v1.0.0
	u.com/mine v1.0.0
)

require (
	a.com/direct v1.0.0 // indirect
	c.com/stays v1.0.0 // indirect
)
`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	checkTidyShape(t, got)
}

func TestGoModKeepsUserComments(t *testing.T) {
	base := `module m

go 1.26

require (
	a.com/x v1.0.0
	b.com/y v1.0.0
)

require c.com/z v1.0.0 // indirect
`
	ours := `// Module m is the service.
module m

go 1.26

require (
	// x is pinned below v2: see the changelog.
	a.com/x v1.0.0
	b.com/y v1.0.0 // used by the importer
)

require c.com/z v1.0.0 // indirect; pulled in by y
`
	theirs := `module m

go 1.26

require (
	a.com/x v1.1.0
	b.com/y v1.0.0
	c.com/z v1.0.0
	d.com/new v1.0.0
)

require e.com/ind v1.0.0 // indirect
`
	got, _, err := GoMod(base, ours, theirs)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"// Module m is the service.\nmodule m\n",
		"\t// x is pinned below v2: see the changelog.\n\ta.com/x v1.1.0\n",
		"\tb.com/y v1.0.0 // used by the importer\n",
		"c.com/z v1.0.0 // pulled in by y\n",
		"d.com/new v1.0.0\n",
		"e.com/ind v1.0.0 // indirect\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("merged go.mod lacks %q:\n%s", want, got)
		}
	}
	checkTidyShape(t, got)
}

// checkTidyShape checks what `go mod tidy -diff` would complain about in a
// merged go.mod without dependencies to resolve: it parses, no module is
// required twice, no require block mixes direct and indirect requirements,
// and tidy's layout of the requirements is the text as it is.
func checkTidyShape(t *testing.T, text string) {
	t.Helper()
	f, err := modfile.Parse("go.mod", []byte(text), nil)
	if err != nil {
		t.Fatalf("merged go.mod does not parse: %v\n%s", err, text)
	}
	if strings.Contains(text, "(\n\n") || strings.Contains(text, "\n\n)") {
		t.Errorf("a block starts or ends with a blank line:\n%s", text)
	}
	seen := map[string]bool{}
	for _, r := range f.Require {
		if seen[r.Mod.Path] {
			t.Errorf("%s required twice:\n%s", r.Mod.Path, text)
		}
		seen[r.Mod.Path] = true
	}
	var blocks []string // "direct" or "indirect", one per require statement
	for _, stmt := range f.Syntax.Stmt {
		var lines []*modfile.Line
		switch s := stmt.(type) {
		case *modfile.Line:
			if len(s.Token) > 0 && s.Token[0] == "require" {
				lines = []*modfile.Line{s}
			}
		case *modfile.LineBlock:
			if len(s.Token) > 0 && s.Token[0] == "require" {
				lines = s.Line
			}
		}
		if len(lines) == 0 {
			continue
		}
		kind := ""
		for _, l := range lines {
			k := "direct"
			if len(l.Suffix) > 0 && strings.HasPrefix(strings.TrimSpace(strings.TrimPrefix(l.Suffix[0].Token, "//")), "indirect") {
				k = "indirect"
			}
			if kind != "" && k != kind {
				t.Errorf("a require block mixes direct and indirect requirements:\n%s", text)
			}
			kind = k
		}
		blocks = append(blocks, kind)
	}
	if len(blocks) == 2 && (blocks[0] != "direct" || blocks[1] != "indirect") {
		t.Errorf("require blocks %v, want direct then indirect:\n%s", blocks, text)
	}
	// What tidy writes for the same requirements is the same text.
	var req []*modfile.Require
	for _, r := range f.Require {
		req = append(req, &modfile.Require{Mod: r.Mod, Indirect: r.Indirect})
	}
	f.SetRequireSeparateIndirect(req)
	f.Cleanup()
	if out, err := f.Format(); err != nil || string(out) != text {
		t.Errorf("not in tidy's layout: tidy would write\n%s\nfor\n%s", out, text)
	}
	for _, r := range f.Require {
		for _, c := range r.Syntax.Suffix {
			if strings.Contains(c.Token, "indirect") && !r.Indirect {
				t.Errorf("stray indirect comment on %s:\n%s", r.Mod.Path, text)
			}
		}
	}
}

func TestKeyValueComments(t *testing.T) {
	base := `# Server address.
HTTP_ADDR=:8080
# Log level: debug or info.
LOG_LEVEL=info
# Old setting.
OLD=1

# Database
DB_URL=postgres://localhost/app
`
	ours := `# Server address.
HTTP_ADDR=:9999
# Log level: debug or info.
LOG_LEVEL=info
# Old setting.
OLD=1

# Database
DB_URL=postgres://localhost/app
MINE=1
`
	theirs := `# Address the server listens on.
HTTP_ADDR=:8080
# Log level: debug, info or warn.
LOG_LEVEL=info

# Database
DB_URL=postgres://localhost/app

# See docs/config.md for the rest.
`
	want := `# Address the server listens on.
HTTP_ADDR=:9999
# Log level: debug, info or warn.
LOG_LEVEL=info

# Database
DB_URL=postgres://localhost/app
MINE=1

# See docs/config.md for the rest.
`
	r := KeyValue(base, ours, theirs, Labels{Ours: "yours", Base: "base", Theirs: "kit"})
	if r.Text != want || r.Conflicts != 0 {
		t.Errorf("got (%d conflicts):\n%s\nwant:\n%s", r.Conflicts, r.Text, want)
	}
	if again := KeyValue(base, r.Text, theirs, Labels{}); again.Text != r.Text || again.Conflicts != 0 {
		t.Errorf("not idempotent:\n%s", again.Text)
	}

	// The same comment changed differently on both sides: a conflict.
	ours = strings.Replace(ours, "# Database\n", "# Database (local)\n", 1)
	theirs = strings.Replace(theirs, "# Database\n", "# Database: a PostgreSQL URL\n", 1)
	r = KeyValue(base, ours, theirs, Labels{Ours: "yours", Base: "base", Theirs: "kit"})
	if r.Conflicts != 1 {
		t.Errorf("%d conflicts, want 1:\n%s", r.Conflicts, r.Text)
	}
	for _, w := range []string{"<<<<<<< yours\n", "# Database (local)\n", "# Database: a PostgreSQL URL\n", ">>>>>>> kit\n", "DB_URL=postgres://localhost/app\n"} {
		if !strings.Contains(r.Text, w) {
			t.Errorf("merged file lacks %q:\n%s", w, r.Text)
		}
	}
}
