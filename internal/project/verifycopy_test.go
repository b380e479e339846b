package project

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/agencystandard/kit/generator"
	"github.com/agencystandard/kit/generator/txn"
	"github.com/agencystandard/kit/internal/iostreams"
)

func verifyRepo(t *testing.T) (*Repo, *Plan) {
	t.Helper()
	root := filepath.Join(t.TempDir(), "demo")
	for rel, body := range map[string]string{
		"go.mod":                "module example.com/demo\n\ngo 1.22\n",
		"main.go":               "package main\n\nfunc main() {}\n",
		generator.StateFile:     "state v1\n",
		".git/HEAD":             "ref: refs/heads/main\n",
		"node_modules/x/big.js": "big\n",
	} {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := &Repo{Root: root, State: &generator.State{Files: map[string]string{}}}
	p := &Plan{
		Changes:   []generator.Change{{Path: "main.go", Data: []byte("package main\n\nfunc main() { undefinedName() }\n"), Write: true, Outcome: generator.Updated}},
		StateData: []byte("state v2\n"),
	}
	return r, p
}

func readRel(t *testing.T, root, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestVerifyBuildsInScratchCopy shows that --verify never lets the
// repository hold the unverified merge: while the verification runs the
// real tree is as it was, the copy holds the merge (without .git and
// node_modules), and the repository changes only when the copy verifies.
func TestVerifyBuildsInScratchCopy(t *testing.T) {
	defer func(v func(context.Context, string, bool) error) { verify = v }(verify)
	for _, pass := range []bool{false, true} {
		r, p := verifyRepo(t)
		ran := false
		verify = func(ctx context.Context, dir string, tests bool) error {
			ran = true
			if dir == r.Root {
				t.Fatal("verifying in the repository itself")
			}
			if got := readRel(t, r.Root, "main.go"); strings.Contains(got, "undefinedName") {
				t.Error("the repository holds the unverified merge while it is verified")
			}
			if got := readRel(t, dir, "main.go"); !strings.Contains(got, "undefinedName") {
				t.Errorf("the copy does not hold the merge: %q", got)
			}
			for _, skipped := range []string{".git", "node_modules"} {
				if _, err := os.Stat(filepath.Join(dir, skipped)); err == nil {
					t.Errorf("%s was copied", skipped)
				}
			}
			if pass {
				return nil
			}
			return &VerifyError{Command: "go build ./...", Output: "boom", Err: errors.New("exit status 1")}
		}
		ios, _, _, _ := iostreams.Test()
		err := Execute(context.Background(), ios, r, p, ExecOptions{Verify: true, Operation: "update"})
		if !ran {
			t.Fatal("verification did not run")
		}
		got := readRel(t, r.Root, "main.go")
		if pass {
			if err != nil || !strings.Contains(got, "undefinedName") || readRel(t, r.Root, generator.StateFile) != "state v2\n" {
				t.Errorf("verified: err %v, main.go %q", err, got)
			}
		} else {
			if err == nil || !strings.Contains(err.Error(), "nothing was changed") {
				t.Errorf("err = %v", err)
			}
			if strings.Contains(got, "undefinedName") || readRel(t, r.Root, generator.StateFile) != "state v1\n" {
				t.Errorf("failed verification changed the repository: main.go %q", got)
			}
		}
		if m, _ := filepath.Glob(filepath.Join(r.Root, txn.TxPrefix+"*")); len(m) != 0 {
			t.Errorf("scratch left: %v", m)
		}
	}
}

// TestVerifyPlanRunsTheBuild runs the real go build in the copy.
func TestVerifyPlanRunsTheBuild(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	r, p := verifyRepo(t)
	err := VerifyPlan(context.Background(), r, p, false)
	var ve *VerifyError
	if !errors.As(err, &ve) || ve.Command != "go build ./..." || !strings.Contains(ve.Output, "undefinedName") {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(readRel(t, r.Root, "main.go"), "undefinedName") {
		t.Error("the repository changed")
	}
	p.Changes[0].Data = []byte("package main\n\nfunc main() { println() }\n")
	if err := VerifyPlan(context.Background(), r, p, false); err != nil {
		t.Fatalf("good merge: %v", err)
	}
}
