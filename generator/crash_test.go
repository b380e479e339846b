//go:build unix

package generator

import (
	"context"
	"errors"
	"github.com/agencystandard/kit/generator/txn"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
)

// TestCrashHelper is the process TestTransactionSurvivesSIGKILL kills: it
// runs a transaction on KIT_TEST_CRASH_DIR and SIGKILLs itself after step
// KIT_TEST_CRASH_STEP.
func TestCrashHelper(t *testing.T) {
	dir := os.Getenv("KIT_TEST_CRASH_DIR")
	if dir == "" {
		t.Skip("run by TestTransactionSurvivesSIGKILL")
	}
	step, err := strconv.Atoi(os.Getenv("KIT_TEST_CRASH_STEP"))
	if err != nil {
		t.Fatal(err)
	}
	txn.StepHook = func(i int) {
		if i == step {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {}
		}
	}
	ctx := context.Background()
	switch os.Getenv("KIT_TEST_CRASH_MODE") {
	case "update":
		tx, err := ApplyPlan(ctx, dir, crashChanges, []byte("state v2\n"))
		if err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	case "new --force":
		if err := WriteProject(ctx, dir, sample, WriteOptions{Force: true}); err != nil {
			t.Fatal(err)
		}
	}
}

var crashChanges = []Change{
	{Path: "a.txt", Data: []byte("A\n"), Write: true},
	{Path: "b.txt", Remove: []string{"b.txt"}},
	{Path: "new/deep/d.txt", Data: []byte("d\n"), Write: true},
}

// TestTransactionSurvivesSIGKILL kills a process at every step of a
// transaction (kit update's and kit new --force's) and shows that Recover
// restores the exact original tree, and that a run nobody kills leaves the
// new tree and no scratch directory.
func TestTransactionSurvivesSIGKILL(t *testing.T) {
	for _, mode := range []string{"update", "new --force"} {
		t.Run(mode, func(t *testing.T) {
			setup := func(root string) {
				writeTestFile(t, root, "a.txt", "a\n")
				writeTestFile(t, root, "b.txt", "b\n")
				writeTestFile(t, root, StateFile, "state v1\n")
				writeTestFile(t, root, "README.md", "old readme\n")
				writeTestFile(t, root, "mine/keep.txt", "mine\n")
			}
			ref := t.TempDir()
			setup(ref)
			before := tree(t, ref)
			for step := -1; ; step++ {
				root := filepath.Join(t.TempDir(), "repo")
				setup(root)
				cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelper$", "-test.count=1")
				cmd.Env = append(os.Environ(), "KIT_TEST_CRASH_DIR="+root, "KIT_TEST_CRASH_STEP="+strconv.Itoa(step), "KIT_TEST_CRASH_MODE="+mode)
				out, err := cmd.CombinedOutput()
				var exitErr *exec.ExitError
				if errors.As(err, &exitErr) {
					ws, ok := exitErr.Sys().(syscall.WaitStatus)
					if !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
						t.Fatalf("step %d: helper failed: %v\n%s", step, err, out)
					}
				} else if err != nil {
					t.Fatal(err)
				}
				if err == nil {
					// Nobody killed it: the transaction committed.
					got := tree(t, root)
					if mode == "update" && (got["a.txt"] != "A\n" || got["new/deep/d.txt"] != "d\n" || got[StateFile] != "state v2\n") {
						t.Errorf("committed tree: %v", got)
					}
					if mode == "new --force" && (got["README.md"] != "readme\n" || got["mine/keep.txt"] != "mine\n") {
						t.Errorf("committed tree: %v", got)
					}
					assertNoScratch(t, root)
					if step < 3 {
						t.Fatalf("helper finished at step %d: the hook never fired", step)
					}
					return
				}
				matches, _ := filepath.Glob(filepath.Join(root, txn.TxPrefix+"*", txn.JournalName))
				if len(matches) != 1 {
					t.Fatalf("step %d: want one journal left by the killed process, got %v", step, matches)
				}
				recs, err := txn.Recover(root)
				if err != nil {
					t.Fatalf("step %d: recover: %v", step, err)
				}
				if len(recs) != 1 || !recs[0].Journaled {
					t.Errorf("step %d: recoveries %+v", step, recs)
				}
				assertTree(t, root, before)
				assertNoScratch(t, root)
				// A second recovery finds nothing.
				if recs, err := txn.Recover(root); err != nil || len(recs) != 0 {
					t.Errorf("step %d: second recover: %+v, %v", step, recs, err)
				}
			}
		})
	}
}

func assertNoScratch(t *testing.T, root string) {
	t.Helper()
	if m, _ := filepath.Glob(filepath.Join(root, txn.TxPrefix+"*")); len(m) != 0 {
		t.Errorf("scratch left: %v", m)
	}
}
