package generator

import (
	"strings"
	"testing"
)

// A user's migration in a kit module's migrations directory is reported
// when the template adds one of the same version, or an earlier one than
// the user's: golang-migrate would refuse the pair, or never run kit's.
func TestPlanReportsMigrationVersionClashes(t *testing.T) {
	root := t.TempDir()
	dir := "internal/modules/tenants/migrations"
	kit1 := dir + "/000001_create_tenants.up.sql"
	writeTestFile(t, root, kit1, "create table tenants ();\n")
	for _, p := range []string{"000001_mine.up.sql", "000002_add_plan.up.sql", "000002_add_plan.down.sql", "000009_late.up.sql"} {
		writeTestFile(t, root, dir+"/"+p, "-- the user's\n")
	}
	writeTestFile(t, root, "internal/modules/own/migrations/000002_own.up.sql", "-- elsewhere: fine\n")
	target := []File{
		{Path: kit1, Data: []byte("create table tenants ();\n")},
		{Path: dir + "/000002_tenant_directory.up.sql", Data: []byte("-- kit's\n")},
		{Path: dir + "/000002_tenant_directory.down.sql", Data: []byte("-- kit's\n")},
	}
	st := &State{Files: map[string]string{kit1: Checksum(target[0].Data)}}
	changes, err := Plan(PlanInput{Root: root, State: st, Base: target[:1], Target: target, Label: "kit v2"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, c := range changes {
		if c.Outcome == MigrationClash {
			got[c.Path] = c.Note
			if c.Modifies() || c.Track {
				t.Errorf("%s: a clash must neither write nor track", c.Path)
			}
		}
	}
	for _, p := range []string{"000001_mine.up.sql", "000002_add_plan.up.sql", "000002_add_plan.down.sql", "000009_late.up.sql"} {
		note, ok := got[dir+"/"+p]
		if !ok {
			t.Errorf("%s not reported; got %v", p, got)
			continue
		}
		if !strings.Contains(note, "module of your own") {
			t.Errorf("%s: note %q gives no remedy", p, note)
		}
	}
	if len(got) != 4 {
		t.Errorf("reported %v, want the user's four files in the kit module only", got)
	}
	if !MigrationClash.IsConflict() || MigrationClash.HasMarkers() {
		t.Error("a clash must count as something to resolve, without markers")
	}
}
