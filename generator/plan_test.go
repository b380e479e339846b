package generator

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// planCase describes one file across the three versions; "" means absent
// (use "\x00" prefix for binary content).
type planCase struct {
	name               string
	path               string
	base, ours, theirs string
	owner              Ownership
	untracked          bool // base exists but kit no longer tracks it
	unknownBase        bool // the base could not be rebuilt
	want               Outcome
	wantFile           string // expected working-tree content after apply ("-" for absent)
	wantContains       []string
	wantNote           string // expected to be part of the change's note
}

func TestPlanOutcomes(t *testing.T) {
	const lines = "one\ntwo\nthree\nfour\nfive\nsix\n"
	tests := []planCase{
		{name: "unchanged", path: "a.txt", base: lines, ours: lines, theirs: lines, want: Unchanged, wantFile: lines},
		{name: "updated", path: "a.txt", base: lines, ours: lines, theirs: "one\nTWO\nthree\nfour\nfive\nsix\n",
			want: Updated, wantFile: "one\nTWO\nthree\nfour\nfive\nsix\n"},
		{name: "user change kept", path: "a.txt", base: lines, ours: "mine\n" + lines, theirs: lines,
			want: UserChangeKept, wantFile: "mine\n" + lines},
		{name: "merged cleanly", path: "a.txt", base: lines, ours: "one\nmine\nthree\nfour\nfive\nsix\n",
			theirs: "one\ntwo\nthree\nfour\nfive\nkit\n", want: MergedClean, wantFile: "one\nmine\nthree\nfour\nfive\nkit\n"},
		{name: "conflict", path: "a.txt", base: lines, ours: "one\nmine\nthree\nfour\nfive\nsix\n",
			theirs: "one\nkit\nthree\nfour\nfive\nsix\n", want: Conflict,
			wantContains: []string{"<<<<<<< yours\nmine\n||||||| base\ntwo\n=======\nkit\n>>>>>>> kit v2\n"}},
		{name: "same change on both sides", path: "a.txt", base: lines, ours: "x\n", theirs: "x\n", want: Unchanged, wantFile: "x\n"},
		{name: "added", path: "new.txt", theirs: "new\n", want: Added, wantFile: "new\n"},
		{name: "added over a user file", path: "new.txt", ours: "user's\n", theirs: "kit's\n", want: AddedConflict,
			wantContains: []string{"<<<<<<< yours\nuser's\n=======\nkit's\n>>>>>>> kit v2\n"}},
		{name: "added, identical user file", path: "new.txt", ours: "same\n", theirs: "same\n", want: Unchanged, wantFile: "same\n"},
		{name: "deleted", path: "old.txt", base: lines, ours: lines, want: Deleted, wantFile: "-"},
		{name: "deleted by template, edited by user", path: "old.txt", base: lines, ours: "edited\n", want: DeletedKept, wantFile: "edited\n"},
		{name: "deleted by user", path: "a.txt", base: lines, theirs: "changed\n", want: UserDeleted, wantFile: "-"},
		{name: "deleted by user earlier", path: "a.txt", base: lines, theirs: "changed again\n", untracked: true, want: "", wantFile: "-"},
		{name: "binary", path: "logo.png", base: "\x00v1", ours: "\x00user", theirs: "\x00v2", want: BinaryNew, wantFile: "\x00user"},
		{name: "Latin-1 text merges as text", path: "notes.txt", base: "caf\xe9\ntwo\nthree\nfour\n",
			ours: "caf\xe9 cr\xe8me\ntwo\nthree\nfour\n", theirs: "caf\xe9\ntwo\nthree\nfour (kit)\n",
			want: MergedClean, wantFile: "caf\xe9 cr\xe8me\ntwo\nthree\nfour (kit)\n"},
		{name: "CRLF checkout, untouched, template changed", path: "a.txt", base: lines, ours: crlf(lines),
			theirs: "one\nTWO\nthree\nfour\nfive\nsix\n", want: Updated, wantFile: crlf("one\nTWO\nthree\nfour\nfive\nsix\n")},
		{name: "CRLF checkout, untouched, template unchanged", path: "a.txt", base: lines, ours: crlf(lines), theirs: lines,
			want: Unchanged, wantFile: crlf(lines)},
		{name: "CRLF checkout, both changed", path: "a.txt", base: lines, ours: crlf("one\nmine\nthree\nfour\nfive\nsix\n"),
			theirs: "one\ntwo\nthree\nfour\nfive\nkit\n", want: MergedClean, wantFile: crlf("one\nmine\nthree\nfour\nfive\nkit\n")},
		{name: "CRLF checkout, conflict", path: "a.txt", base: lines, ours: crlf("one\nmine\nthree\nfour\nfive\nsix\n"),
			theirs: "one\nkit\nthree\nfour\nfive\nsix\n", want: Conflict,
			wantContains: []string{crlf("<<<<<<< yours\nmine\n||||||| base\ntwo\n=======\nkit\n>>>>>>> kit v2\n")}},
		{name: "CRLF checkout, deleted by template", path: "old.txt", base: lines, ours: crlf(lines), want: Deleted, wantFile: "-"},
		{name: "CRLF checkout, added file already there", path: "new.txt", ours: crlf("same\n"), theirs: "same\n", want: Unchanged, wantFile: crlf("same\n")},
		{name: "CRLF checkout, go.mod merged", path: "go.mod",
			base:   "module m\n\ngo 1.26\n\nrequire a.com/x v1.0.0\n",
			ours:   crlf("module m\n\ngo 1.26\n\nrequire (\n\ta.com/x v1.0.0\n\tb.com/y v1.2.0\n)\n"),
			theirs: "module m\n\ngo 1.26\n\nrequire a.com/x v1.1.0\n",
			want:   MergedClean, wantFile: crlf("module m\n\ngo 1.26\n\nrequire (\n\ta.com/x v1.1.0\n\tb.com/y v1.2.0\n)\n")},
		{name: "kit-owned edited", path: "modules.go", base: lines, ours: "one\nmine\nthree\nfour\nfive\nsix\n",
			theirs: "one\ntwo\nthree\nfour\nfive\nkit\n", owner: OwnerKit, want: Conflict,
			wantContains: []string{"<<<<<<< yours\n", ">>>>>>> kit v2\n"}},
		{name: "user-owned", path: "notes.md", base: "v1\n", ours: "mine\n", theirs: "v2\n", owner: OwnerUser,
			want: UserOwnedSkipped, wantFile: "mine\n"},
		{name: "base unknown, user untouched", path: "a.txt", base: lines, ours: lines, theirs: "v2\n", unknownBase: true,
			want: Updated, wantFile: "v2\n"},
		{name: "base unknown, both changed", path: "a.txt", base: lines, ours: "mine\n", theirs: "v2\n", unknownBase: true,
			want: Conflict, wantContains: []string{"<<<<<<< yours\nmine\n=======\nv2\n>>>>>>> kit v2\n"}},
		{name: "go.mod merged structurally", path: "go.mod",
			base:   "module m\n\ngo 1.26\n\nrequire a.com/x v1.0.0\n",
			ours:   "module m\n\ngo 1.26\n\nrequire (\n\ta.com/x v1.0.0\n\tb.com/y v1.2.0\n)\n",
			theirs: "module m\n\ngo 1.26\n\nrequire a.com/x v1.1.0\n",
			want:   MergedClean, wantContains: []string{"a.com/x v1.1.0", "b.com/y v1.2.0"}},
		{name: "go.mod: the template's go directive and the user's downgrade", path: "go.mod",
			base:   "module m\n\ngo 1.26\n\nrequire (\n\ta.com/x v1.0.0\n\tr.com/redis/v9 v9.16.0\n)\n",
			ours:   "module m\n\ngo 1.26\n\nrequire (\n\ta.com/x v1.0.0\n\tr.com/redis/v9 v9.14.0\n)\n",
			theirs: "module m\n\ngo 1.26.0\n\nrequire (\n\ta.com/x v1.1.0\n\tr.com/redis/v9 v9.17.0\n)\n",
			want:   MergedClean, wantContains: []string{"go 1.26.0\n", "a.com/x v1.1.0", "r.com/redis/v9 v9.14.0"},
			wantNote: "kept your r.com/redis/v9 v9.14.0; the template moved it to v9.17.0"},
		{name: ".env.example: the template's comment change carried", path: ".env.example",
			base: "# the address\nA=1\nB=2\n", ours: "# the address\nA=1\nB=mine\n", theirs: "# the address to listen on\nA=1\nB=2\n",
			want: MergedClean, wantFile: "# the address to listen on\nA=1\nB=mine\n"},
		{name: ".env.example: a comment changed on both sides", path: ".env.example",
			base: "# the address\nA=1\n", ours: "# my address\nA=1\n", theirs: "# the address to listen on\nA=1\n",
			want: Conflict, wantContains: []string{"<<<<<<< yours\n# my address\n||||||| base\n# the address\n=======\n# the address to listen on\n>>>>>>> kit v2\nA=1\n"}},
		{name: ".env.example merged by key", path: ".env.example", base: "A=1\nB=2\n", ours: "A=1\nB=mine\n", theirs: "A=one\nB=2\nC=3\n",
			want: MergedClean, wantFile: "A=one\nB=mine\nC=3\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runPlanCase(t, tt)
		})
	}
	t.Run("all in one plan", func(t *testing.T) { planAllAtOnce(t, tests) })
}

// planAllAtOnce plans every case in one tree, each under a directory of its
// own: paths plan several at a time, and each must come out as it does
// alone, the changes in path order.
func planAllAtOnce(t *testing.T, tests []planCase) {
	root := t.TempDir()
	state := &State{Files: map[string]string{}}
	var base, target []File
	want := map[string]Outcome{}
	for i, tt := range tests {
		p := fmt.Sprintf("c%02d/%s", i, tt.path)
		owner := tt.owner
		if owner == "" {
			owner = OwnerMerged
		}
		if tt.base != "" {
			if !tt.untracked {
				state.Files[p] = Checksum([]byte(tt.base))
			}
			if !tt.unknownBase {
				base = append(base, File{Path: p, Data: []byte(tt.base), Owner: owner})
			}
		}
		if tt.theirs != "" {
			target = append(target, File{Path: p, Data: []byte(tt.theirs), Owner: owner})
		}
		if tt.ours != "" {
			writeTestFile(t, root, p, tt.ours)
		}
		want[p] = tt.want
	}
	changes, err := Plan(PlanInput{Root: root, State: state, Base: base, Target: target, Label: "kit v2"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Outcome{}
	for i, c := range changes {
		if i > 0 && changes[i-1].Path >= c.Path {
			t.Errorf("%s planned after %s: not in path order", c.Path, changes[i-1].Path)
		}
		got[c.Path] = c.Outcome
	}
	for p, w := range want {
		if got[p] != w {
			t.Errorf("%s: outcome %q, want %q", p, got[p], w)
		}
	}
}

func runPlanCase(t *testing.T, tt planCase) {
	t.Helper()
	root := t.TempDir()
	state := &State{Files: map[string]string{}}
	var base, target []File
	owner := tt.owner
	if owner == "" {
		owner = OwnerMerged
	}
	if tt.base != "" {
		data := []byte(tt.base)
		if !tt.untracked {
			state.Files[tt.path] = Checksum(data)
		}
		if !tt.unknownBase {
			base = append(base, File{Path: tt.path, Data: data, Owner: owner})
		}
	}
	if tt.theirs != "" {
		target = append(target, File{Path: tt.path, Data: []byte(tt.theirs), Owner: owner})
	}
	if tt.ours != "" {
		writeTestFile(t, root, tt.path, tt.ours)
	}
	changes, err := Plan(PlanInput{Root: root, State: state, Base: base, Target: target, Label: "kit v2"})
	if err != nil {
		t.Fatal(err)
	}
	var got Outcome
	if len(changes) == 1 {
		got = changes[0].Outcome
	} else if len(changes) > 1 {
		t.Fatalf("%d changes for one file: %v", len(changes), changes)
	}
	if got != tt.want {
		t.Fatalf("outcome %q, want %q", got, tt.want)
	}
	if tt.wantNote != "" && !strings.Contains(changes[0].Note, tt.wantNote) {
		t.Errorf("note %q, want it to hold %q", changes[0].Note, tt.wantNote)
	}
	tx, err := ApplyPlan(context.Background(), root, changes, []byte("state\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(root, tt.path))
	content := string(data)
	if err != nil {
		content = "-"
	}
	if tt.wantFile != "" && content != tt.wantFile {
		t.Errorf("file:\n%q\nwant:\n%q", content, tt.wantFile)
	}
	for _, w := range tt.wantContains {
		if !strings.Contains(content, w) {
			t.Errorf("file:\n%s\nlacks:\n%s", content, w)
		}
	}
	if tt.want == BinaryNew {
		if b, err := os.ReadFile(filepath.Join(root, tt.path+BinaryNewSuffix)); err != nil || string(b) != tt.theirs {
			t.Errorf("%s%s = %q, %v; want the template's version", tt.path, BinaryNewSuffix, b, err)
		}
	}
	if entries, _ := filepath.Glob(filepath.Join(root, ".kit-tx-*")); len(entries) > 0 {
		t.Errorf("transaction scratch left behind: %v", entries)
	}
}

func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

func TestIsBinary(t *testing.T) {
	for _, tt := range []struct {
		data string
		want bool
	}{
		{"plain\n", false},
		{"caf\xe9\n", false}, // Latin-1
		{"\x00\x01", true},
		{strings.Repeat("a", 7999) + "\x00", true},
		{strings.Repeat("a", 8000) + "\x00", false}, // past what git looks at
	} {
		if got := isBinary([]byte(tt.data)); got != tt.want {
			t.Errorf("isBinary(%.20q…) = %v, want %v", tt.data, got, tt.want)
		}
	}
}

func writeTestFile(t *testing.T, root, rel, content string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestPlanRenameCarriesUserEdits(t *testing.T) {
	root := t.TempDir()
	base := "package x\n\nfunc A() {}\n\nfunc B() {}\n"
	ours := "package x\n\n// A is mine.\nfunc A() {}\n\nfunc B() {}\n"
	theirs := "package x\n\nfunc A() {}\n\nfunc B() { println() }\n"
	writeTestFile(t, root, "old/x.go", ours)
	state := &State{Files: map[string]string{"old/x.go": Checksum([]byte(base))}}
	changes, err := Plan(PlanInput{
		Root: root, State: state, Label: "kit v2",
		Base:    []File{{Path: "old/x.go", Data: []byte(base), Owner: OwnerMerged}},
		Target:  []File{{Path: "new/x.go", Data: []byte(theirs), Owner: OwnerMerged}},
		Renames: map[string]string{"old/x.go": "new/x.go"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 1 || changes[0].Outcome != Renamed || changes[0].From != "old/x.go" {
		t.Fatalf("changes: %+v", changes)
	}
	tx, err := ApplyPlan(context.Background(), root, changes, []byte("s"))
	if err != nil {
		t.Fatal(err)
	}
	tx.Commit()
	got, _ := os.ReadFile(filepath.Join(root, "new/x.go"))
	if string(got) != "package x\n\n// A is mine.\nfunc A() {}\n\nfunc B() { println() }\n" {
		t.Errorf("renamed file:\n%s", got)
	}
	if _, err := os.Stat(filepath.Join(root, "old")); !os.IsNotExist(err) {
		t.Errorf("old directory still there: %v", err)
	}
	if NewFiles(changes)["new/x.go"] != Checksum([]byte(theirs)) {
		t.Error("new state does not track the new path with the template's checksum")
	}
}

func TestApplyPlanRollsBackOnFailureAndCancel(t *testing.T) {
	root := t.TempDir()
	writeTestFile(t, root, "a.txt", "a\n")
	writeTestFile(t, root, "b.txt", "b\n")
	os.MkdirAll(filepath.Join(root, "c.txt"), 0o755) // a directory where a file must go
	before := tree(t, root)
	changes := []Change{
		{Path: "a.txt", Data: []byte("A\n"), Write: true},
		{Path: "b.txt", Remove: []string{"b.txt"}},
		{Path: "new/deep/d.txt", Data: []byte("d\n"), Write: true},
		{Path: "c.txt", Data: []byte("c\n"), Write: true},
	}
	if _, err := ApplyPlan(context.Background(), root, changes, []byte("state")); err == nil {
		t.Fatal("no error")
	}
	assertTree(t, root, before)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ApplyPlan(ctx, root, changes[:3], []byte("state")); err == nil {
		t.Fatal("no error when cancelled")
	}
	assertTree(t, root, before)

	// Applied, then rolled back by the caller (a failed verification).
	tx, err := ApplyPlan(context.Background(), root, changes[:3], []byte("state"))
	if err != nil {
		t.Fatal(err)
	}
	if got := tree(t, root)["a.txt"]; got != "A\n" {
		t.Fatalf("not applied: a.txt = %q", got)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	assertTree(t, root, before)
}

func assertTree(t *testing.T, root string, want map[string]string) {
	t.Helper()
	got := tree(t, root)
	if len(got) != len(want) {
		t.Fatalf("tree:\n%v\nwant:\n%v", got, want)
	}
	for p, w := range want {
		if got[p] != w {
			t.Errorf("%s = %q, want %q", p, got[p], w)
		}
	}
}

func TestPlanSymlinks(t *testing.T) {
	root, outside := t.TempDir(), t.TempDir()
	const v1, v2 = "v1\n", "v2\n"
	writeTestFile(t, root, "real.txt", v1)
	writeTestFile(t, outside, "x.txt", v1)
	writeTestFile(t, outside, "old.txt", v1)
	if err := os.Symlink("real.txt", filepath.Join(root, "a.txt")); err != nil {
		t.Skip("no symlinks:", err)
	}
	if err := os.Symlink(outside, filepath.Join(root, "linked")); err != nil {
		t.Fatal(err)
	}
	outsideBefore := tree(t, outside)
	state := &State{Files: map[string]string{}}
	var base, target []File
	for _, p := range []string{"a.txt", "linked/x.txt", "linked/old.txt"} {
		state.Files[p] = Checksum([]byte(v1))
		base = append(base, File{Path: p, Data: []byte(v1), Owner: OwnerMerged})
	}
	target = []File{
		{Path: "a.txt", Data: []byte(v2), Owner: OwnerMerged},
		{Path: "linked/x.txt", Data: []byte(v2), Owner: OwnerMerged},
		{Path: "linked/new.txt", Data: []byte(v2), Owner: OwnerMerged},
	}
	changes, err := Plan(PlanInput{Root: root, State: state, Base: base, Target: target, Label: "kit v2"})
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 4 {
		t.Fatalf("%d changes, want 4: %v", len(changes), changes)
	}
	for _, c := range changes {
		if c.Outcome != SymlinkSkipped || c.Modifies() || c.Note == "" || c.Track {
			t.Errorf("%s: %q (modifies %v, track %v, note %q), want %q with a note, writing and tracking nothing",
				c.Path, c.Outcome, c.Modifies(), c.Track, c.Note, SymlinkSkipped)
		}
	}
	tx, err := ApplyPlan(context.Background(), root, changes, []byte("state\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	assertTree(t, outside, outsideBefore)
	if got, _ := os.ReadFile(filepath.Join(root, "real.txt")); string(got) != v1 {
		t.Errorf("written through the link: real.txt = %q", got)
	}
}

func TestPlanFileDirectoryClash(t *testing.T) {
	root := t.TempDir()
	writeTestFile(t, root, "a/inner.txt", "mine\n") // a directory where the template has a file
	writeTestFile(t, root, "b", "mine\n")           // a file where the template has a directory
	writeTestFile(t, root, "c.txt", "v1\n")
	state := &State{Files: map[string]string{"c.txt": Checksum([]byte("v1\n"))}}
	base := []File{{Path: "c.txt", Data: []byte("v1\n"), Owner: OwnerMerged}}
	target := []File{
		{Path: "a", Data: []byte("kit's a\n"), Owner: OwnerMerged},
		{Path: "b/c.txt", Data: []byte("kit's c\n"), Owner: OwnerMerged},
		{Path: "c.txt", Data: []byte("v2\n"), Owner: OwnerMerged},
	}
	changes, err := Plan(PlanInput{Root: root, State: state, Base: base, Target: target, Label: "kit v2"})
	if err != nil {
		t.Fatalf("the plan aborted: %v", err)
	}
	got := map[string]Change{}
	for _, c := range changes {
		got[c.Path] = c
	}
	if c := got["a"]; c.Outcome != BlockedByDirectory || !c.Outcome.IsConflict() || c.Write || c.Track ||
		!strings.Contains(c.Note, "a"+BinaryNewSuffix) || c.Extra == nil || c.Extra.Path != "a"+BinaryNewSuffix {
		t.Errorf("a: %+v", c)
	}
	if c := got["b/c.txt"]; c.Outcome != BlockedByFile || !c.Outcome.IsConflict() || c.Modifies() || c.Track ||
		!strings.Contains(c.Note, "b") {
		t.Errorf("b/c.txt: %+v", c)
	}
	if c := got["c.txt"]; c.Outcome != Updated {
		t.Errorf("c.txt: %+v", c)
	}
	tx, err := ApplyPlan(context.Background(), root, changes, []byte("state\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	assertTree(t, root, map[string]string{"./": "", "a/": "", "a/inner.txt": "mine\n", "a" + BinaryNewSuffix: "kit's a\n", "b": "mine\n",
		"c.txt": "v2\n", StateFile: "state\n"})
}
