package main

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/agencystandard/kit/generator"
	"github.com/agencystandard/kit/generator/codemod"
	"github.com/agencystandard/kit/internal/catalog"
	"github.com/agencystandard/kit/internal/cmd/root"
	"github.com/agencystandard/kit/internal/iostreams"
	"github.com/agencystandard/kit/templates"
)

// The upgrade matrix: for every older release in the history and each
// representative answer set, generate with that release, edit the
// repository the way users do, migrate a database with it, then update to
// the current templates. The update must keep every user line and leave no
// conflict; the result builds, vets, is tidy and passes its own tests, and
// the old database migrates up with the new binaries with row-level
// security enabled and forced on every tenant table.

// upgradeCase is one answer set of the matrix.
type upgradeCase struct {
	name string
	args []string
	// cartridges must all be in the release for the case to apply.
	cartridges []string
}

var upgradeCases = []upgradeCase{
	{name: "default", args: []string{"--module", "example.com/demo"}},
	{name: "oauth+email", args: []string{"--module", "example.com/demo", "--oauth", "google,github", "--cartridge", "email"}, cartridges: []string{"email"}},
}

func TestUpgradeMatrix(t *testing.T) {
	if testing.Short() {
		t.Skip("builds, tests and migrates generated repositories of every release; run without -short")
	}
	for _, tool := range []string{"git", "psql", "createdb"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("the upgrade matrix needs %s: %v", tool, err)
		}
	}
	if out, err := exec.Command("psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc", "select 1").CombinedOutput(); err != nil {
		t.Fatalf("PostgreSQL is not reachable on 127.0.0.1:5432 as postgres: %v\n%s", err, out)
	}
	rs, err := generator.LoadReleases(templates.History())
	if err != nil {
		t.Fatal(err)
	}
	latest, _ := rs.Latest()
	ran := 0
	for _, rel := range rs {
		if rel.Version == latest.Version {
			continue
		}
		for _, c := range upgradeCases {
			if !shipsAll(rel, c.cartridges) {
				continue
			}
			ran++
			t.Run(rel.Version+"/"+c.name, func(t *testing.T) {
				// Cases run side by side (go test's -parallel, one per
				// CPU by default): most of a case is building and testing
				// a generated repository, which waits on the databases as
				// much as on the CPU.
				t.Parallel()
				runUpgrade(t, rel, c)
			})
		}
	}
	if ran == 0 && len(rs) > 1 {
		t.Fatal("no case of the matrix applies to any older release")
	}
	t.Logf("upgrade matrix: %d case(s) from %d older release(s) to %s", ran, len(rs)-1, latest.Version)
}

func latestVersion(t *testing.T) string {
	t.Helper()
	rs, err := generator.LoadReleases(templates.History())
	if err != nil {
		t.Fatal(err)
	}
	latest, _ := rs.Latest()
	return latest.Version
}

func shipsAll(r generator.Release, names []string) bool {
	for _, n := range names {
		if _, ok := r.Sets[n]; !ok {
			return false
		}
	}
	return true
}

// extractRelease writes the release's sets into dir, laid out as
// KIT_TEMPLATES expects (chassis/, cartridges/<name>/).
func extractRelease(t *testing.T, r generator.Release, dir string) {
	t.Helper()
	for name, digest := range r.Sets {
		set, err := generator.HistoryVersion(templates.History(), name, digest)
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(dir, "cartridges", name)
		if name == "chassis" {
			dst = filepath.Join(dir, "chassis")
		}
		err = fs.WalkDir(set.FS, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := fs.ReadFile(set.FS, p)
			if err != nil {
				return err
			}
			out := filepath.Join(dst, filepath.FromSlash(p))
			if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
				return err
			}
			return os.WriteFile(out, data, 0o644)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// upgradeKitMu serialises the upgrade matrix's kit runs, whose cases run in
// parallel: an old release's templates reach kit through the process's
// environment (KIT_TEMPLATES), which a concurrent run must not see.
var upgradeKitMu sync.Mutex

// kitRunWith runs kit with the templates in dir, or the embedded ones when
// dir is "".
func kitRunWith(t *testing.T, dir string, args ...string) (int, string) {
	t.Helper()
	upgradeKitMu.Lock()
	defer upgradeKitMu.Unlock()
	if dir != "" {
		os.Setenv(catalog.EnvTemplates, dir)
		defer os.Unsetenv(catalog.EnvTemplates)
	}
	return kitRun(t, args...)
}

func kitRun(t *testing.T, args ...string) (int, string) {
	t.Helper()
	ios, _, stdout, stderr := iostreams.Test()
	code := root.Run(context.Background(), ios, args)
	return int(code), stdout.String() + stderr.String()
}

func run(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s in %s: %v\n%s", name, strings.Join(args, " "), dir, err, tailLines(string(out), 60))
	}
	return string(out)
}

func tailLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{"..."}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}

func runUpgrade(t *testing.T, rel generator.Release, c upgradeCase) {
	work := t.TempDir()
	old := filepath.Join(work, "templates-"+rel.Version)
	extractRelease(t, rel, old)
	repo := filepath.Join(work, "demo")

	// Generate with the old release.
	args := append([]string{"new", "demo", "--yes", "--dir", repo}, c.args...)
	if code, out := kitRunWith(t, old, args...); code != 0 {
		t.Fatalf("kit %s with %s's templates: exit %d\n%s", strings.Join(args, " "), rel.Version, code, out)
	}
	gitEnv := []string{"GIT_AUTHOR_NAME=Dev", "GIT_AUTHOR_EMAIL=dev@example.com", "GIT_COMMITTER_NAME=Dev", "GIT_COMMITTER_EMAIL=dev@example.com"}

	// The user's edits, then a database migrated by the old release.
	markers := applyUserEdits(t, repo)
	goEnv := []string{"GOFLAGS=-mod=mod", "GOWORK=off"}
	run(t, repo, goEnv, "go", "mod", "tidy")
	run(t, repo, goEnv, "go", "build", "./...")
	run(t, repo, gitEnv, "git", "add", "-A")
	run(t, repo, gitEnv, "git", "commit", "-q", "-m", "our edits")

	db := fmt.Sprintf("kit_upgrade_%d_%s", os.Getpid(), strings.NewReplacer(".", "_", "/", "_", "+", "_").Replace(rel.Version+"_"+c.name))
	run(t, work, nil, "createdb", "-h", "127.0.0.1", "-U", "postgres", db)
	t.Cleanup(func() { dropDatabase(db) })
	dbEnv := []string{
		"APP_ENV=development", "LOG_LEVEL=error",
		"MIGRATION_DATABASE_URL=postgres://postgres@127.0.0.1:5432/" + db + "?sslmode=disable",
		"DATABASE_URL=postgres://demo_app@127.0.0.1:5432/" + db + "?sslmode=disable",
		"REDIS_URL=redis://127.0.0.1:6379/0",
	}
	oldBin := filepath.Join(work, "bin-old")
	run(t, repo, goEnv, "go", "build", "-o", oldBin+string(filepath.Separator), "./cmd/democtl")
	run(t, repo, dbEnv, filepath.Join(oldBin, "democtl"), "db", "create-role")
	run(t, repo, dbEnv, filepath.Join(oldBin, "democtl"), "migrate", "up")

	// Update to this kit's templates.
	code, out := kitRunWith(t, "", "update", "--yes", "--dir", repo)
	if code != 0 {
		t.Fatalf("kit update from %s: exit %d\n%s", rel.Version, code, out)
	}
	t.Logf("kit update from %s (%s):\n%s", rel.Version, c.name, tailLines(out, 40))
	// Where the release moved an API the user's code uses, a codemod
	// carried it (listed in the report), and the build below proves it.
	for _, cm := range codemod.Due(rel.Version, latestVersion(t)) {
		if !strings.Contains(out, "codemod "+cm.ID) {
			t.Errorf("the update's report does not list codemod %s", cm.ID)
		}
	}
	for file, lines := range markers {
		data, err := os.ReadFile(filepath.Join(repo, file))
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		for _, l := range lines {
			if !bytes.Contains(data, []byte(l)) {
				t.Errorf("the update lost the user's line %q from %s", l, file)
			}
		}
	}
	for _, gone := range []string{"LICENSE", "docs/jobs.md"} {
		if _, err := os.Stat(filepath.Join(repo, gone)); err == nil {
			t.Errorf("%s, which the user deleted, is back", gone)
		}
	}
	grep := exec.Command("git", "grep", "-n", "-e", "^<<<<<<< ", "-e", "^>>>>>>> ")
	grep.Dir = repo
	if out, err := grep.Output(); err == nil && len(out) > 0 {
		t.Fatalf("conflict markers remain:\n%s", out)
	}

	// The updated tree builds, vets, is tidy and passes its own tests.
	run(t, repo, goEnv, "go", "build", "./...")
	run(t, repo, goEnv, "go", "vet", "./...")
	run(t, repo, []string{"GOWORK=off"}, "go", "mod", "tidy", "-diff")
	run(t, repo, goEnv, "go", "test", "-count=1", "./...")

	// The old database migrates up with the new release.
	newBin := filepath.Join(work, "bin-new")
	run(t, repo, goEnv, "go", "build", "-o", newBin+string(filepath.Separator), "./cmd/democtl")
	run(t, repo, dbEnv, filepath.Join(newBin, "democtl"), "migrate", "up")
	status := run(t, repo, dbEnv, filepath.Join(newBin, "democtl"), "migrate", "status")
	if strings.Contains(status, "true") {
		t.Errorf("a module's migrations are dirty after the upgrade:\n%s", status)
	}
	tables := strings.Fields(run(t, work, nil, "psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-Atc", `
		select c.relname from pg_class c
		join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
		join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
		where c.relkind in ('r', 'p') order by 1`))
	if len(tables) < 2 {
		t.Fatalf("only %v have a tenant_id after the upgrade", tables)
	}
	weak := strings.Fields(run(t, work, nil, "psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-Atc", `
		select c.relname from pg_class c
		join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
		join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
		where c.relkind in ('r', 'p') and not (c.relrowsecurity and c.relforcerowsecurity) order by 1`))
	if len(weak) > 0 {
		t.Errorf("after migrating %s's database with this release, row-level security is off or not forced on %v", rel.Version, weak)
	}
	if !strings.Contains(strings.Join(tables, " "), "notes") {
		t.Errorf("the user's own table is missing after the upgrade: %v", tables)
	}
}

// applyUserEdits edits the repository as its users do and returns, by file,
// lines the update must keep.
func applyUserEdits(t *testing.T, repo string) map[string][]string {
	t.Helper()
	edit := func(rel string, f func(string) string) {
		t.Helper()
		p := filepath.Join(repo, rel)
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out := f(string(data))
		if out == string(data) {
			t.Fatalf("the edit of %s changed nothing: the fixture no longer fits the release", rel)
		}
		if err := os.WriteFile(p, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write := func(rel, body string) {
		t.Helper()
		p := filepath.Join(repo, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	insertBefore := func(s, anchor, text string) string {
		i := strings.Index(s, anchor)
		if i < 0 {
			return s
		}
		return s[:i] + text + s[i:]
	}

	// A handler of their own at the end of a chassis handler file.
	edit("internal/modules/tenants/handler.go", func(s string) string {
		return s + "\n// userPing is the user's own handler.\nfunc userPing(c echo.Context) error { return c.String(http.StatusOK, \"user-ping\") }\n\nvar _ = userPing\n"
	})
	// A model field.
	edit("internal/modules/tenants/model.go", func(s string) string {
		return strings.Replace(s, "type Tenant struct {\n", "type Tenant struct {\n\t// UserNote is the user's field, not stored.\n\tUserNote string `bun:\"-\" json:\"-\"`\n", 1)
	})
	// A helper in the middle of a file.
	edit("internal/modules/tenants/service.go", func(s string) string {
		return insertBefore(s, "\nfunc NewService(", "\n// userSlugHint is the user's helper, mid-file.\nfunc userSlugHint(name string) string { return name + \"-hint\" }\n\nvar _ = userSlugHint\n")
	})
	// Their own module, with a migration and a new dependency.
	write("internal/modules/notes/module.go", notesModule)
	write("internal/modules/notes/migrations/000001_create_notes.up.sql", notesUp)
	write("internal/modules/notes/migrations/000001_create_notes.down.sql", "DROP TABLE notes;\n")
	// The test helpers as the release documents them: testdb until
	// v0.2.0 moved them to internal/app/apptest (its codemod rewrites the
	// older form on update).
	test := notesTest
	if _, err := os.Stat(filepath.Join(repo, "internal", "app", "apptest")); err == nil {
		test = strings.NewReplacer("internal/platform/testdb", "internal/app/apptest", "testdb.New(", "apptest.New(").Replace(notesTest)
	}
	write("internal/modules/notes/notes_test.go", test)
	edit("internal/app/user_modules.go", func(s string) string {
		s = strings.Replace(s, "import \"example.com/demo/internal/module\"", "import (\n\t\"example.com/demo/internal/module\"\n\t\"example.com/demo/internal/modules/notes\"\n)", 1)
		return strings.Replace(s, "\t\t// billing.New(d),\n", "\t\tnotes.New(d),\n", 1)
	})
	// Documentation and settings.
	edit("README.md", func(s string) string { return s + "\n## Our deployment notes\n\nWe deploy on Fridays.\n" })
	edit(".env.example", func(s string) string {
		return s + "\n# Our notes module: how many notes a tenant keeps.\nNOTES_LIMIT=25\n"
	})
	// A deleted file and a renamed one.
	if err := os.Remove(filepath.Join(repo, "LICENSE")); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(repo, "docs/jobs.md"), filepath.Join(repo, "docs/background-jobs.md")); err != nil {
		t.Fatal(err)
	}
	return map[string][]string{
		"internal/modules/tenants/handler.go":  {"func userPing(c echo.Context) error"},
		"internal/modules/tenants/model.go":    {"UserNote string `bun:\"-\" json:\"-\"`"},
		"internal/modules/tenants/service.go":  {"func userSlugHint(name string) string"},
		"internal/app/user_modules.go":         {"notes.New(d),"},
		"internal/modules/notes/module.go":     {"singleflight.Group"},
		"internal/modules/notes/notes_test.go": {"func TestNotesTableIsEmpty"},
		"README.md":                            {"## Our deployment notes"},
		".env.example":                         {"NOTES_LIMIT=25"},
		"docs/background-jobs.md":              {"# "},
	}
}

// notesTest uses the test helpers as the oldest release documents them;
// where a release moved them, its codemod must carry this file along.
const notesTest = `package notes_test

import (
	"context"
	"testing"

	"example.com/demo/internal/platform/testdb"
)

func TestNotesTableIsEmpty(t *testing.T) {
	db := testdb.New(t)
	var n int
	if err := db.NewSelect().Table("notes").ColumnExpr("count(*)").Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d notes in a new database", n)
	}
}
`

// notesModule implements module.Module as the oldest release defines it;
// later releases must keep it compiling (or rewrite it themselves).
const notesModule = `// Package notes is the user's own module.
package notes

import (
	"embed"
	"io/fs"

	"golang.org/x/sync/singleflight"

	"example.com/demo/internal/module"
	"example.com/demo/internal/platform/api"
	"example.com/demo/internal/platform/events"
	"example.com/demo/internal/platform/jobs"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Module keeps notes per tenant.
type Module struct {
	loads singleflight.Group
}

// New builds the module.
func New(module.Deps) *Module { return &Module{} }

// Name names the module and its migrations table.
func (m *Module) Name() string { return "notes" }

// Migrations returns the module's SQL migrations.
func (m *Module) Migrations() fs.FS {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		panic(err)
	}
	return sub
}

// RegisterRoutes declares no routes yet.
func (m *Module) RegisterRoutes(*api.Router) {}

// RegisterJobs declares no tasks.
func (m *Module) RegisterJobs(*jobs.Registry) {}

// RegisterEvents subscribes to nothing.
func (m *Module) RegisterEvents(*events.Bus) {}
`

const notesUp = `CREATE TABLE notes (
    id         uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id  uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    body       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notes_tenant_id_idx ON notes (tenant_id);
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE notes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON notes
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
`
