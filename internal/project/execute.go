package project

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/agencystandard/kit/generator"
	"github.com/agencystandard/kit/internal/cmdutil"
	"github.com/agencystandard/kit/internal/iostreams"
)

// ExecOptions are the flags shared by the commands that change a repository.
type ExecOptions struct {
	DryRun      bool
	JSON        bool
	AllowDirty  bool
	Verify      bool
	VerifyTests bool
	// Operation names the command in reports ("update", "add cartridge").
	Operation string
}

// Report is the machine-readable account of an operation (--json).
type Report struct {
	Operation   string             `json:"operation"`
	DryRun      bool               `json:"dry_run"`
	Applied     bool               `json:"applied"`
	Verified    bool               `json:"verified"`
	From        []generator.SetRef `json:"from"`
	To          []generator.SetRef `json:"to"`
	Summary     map[string]int     `json:"summary"`
	Conflicts   int                `json:"conflicts"`
	UnknownBase []string           `json:"unknown_base,omitempty"`
	Files       []generator.Change `json:"files"`
}

// CheckClean refuses a repository with uncommitted changes to tracked files,
// unless allowed; without git it warns.
func CheckClean(ctx context.Context, ios *iostreams.IOStreams, r *Repo, allowDirty bool) error {
	isRepo, dirty, err := GitStatus(ctx, r.Root)
	if err != nil {
		return err
	}
	switch {
	case !isRepo:
		ios.Notice("%s is not a git repository: kit cannot tell you what it changed afterwards; consider git init", r.Root)
	case dirty && !allowDirty:
		return errors.New("the working tree has uncommitted changes; commit or stash them first (so the update can be reviewed and undone), or pass --allow-dirty")
	}
	return nil
}

// Execute reports the plan and, unless it is a dry run, applies it in one
// transaction and commits it. With Verify it first applies the plan to a
// scratch copy and builds that, touching the repository only if the copy
// verifies. It returns a cmdutil.ExitError with ExitConflicts when
// conflicts remain.
func Execute(ctx context.Context, ios *iostreams.IOStreams, r *Repo, p *Plan, opts ExecOptions) error {
	rep := Report{
		Operation: opts.Operation, DryRun: opts.DryRun, From: p.From, To: p.To,
		Summary: map[string]int{}, Conflicts: p.Conflicts(), UnknownBase: p.UnknownBase,
		Files: []generator.Change{},
	}
	for o, n := range generator.Summary(p.Changes) {
		rep.Summary[string(o)] = n
	}
	for _, c := range p.Changes {
		if c.Outcome != generator.Unchanged {
			rep.Files = append(rep.Files, c)
		}
	}
	finish := func(err error) error {
		if opts.JSON {
			enc := json.NewEncoder(ios.Out)
			enc.SetIndent("", "  ")
			if encErr := enc.Encode(rep); encErr != nil {
				return encErr
			}
		} else {
			printHuman(ios, rep)
		}
		if err != nil {
			return err
		}
		if rep.Conflicts > 0 && (rep.Applied || rep.DryRun) {
			return &cmdutil.ExitError{Code: cmdutil.ExitConflicts}
		}
		return nil
	}

	if p.Empty(r) {
		rep.Files = nil
		if !opts.JSON {
			fmt.Fprintf(ios.ErrOut, "kit: %s: nothing to do; the repository is current\n", opts.Operation)
			return nil
		}
		return finish(nil)
	}
	if !opts.JSON {
		for _, u := range p.UnknownBase {
			ios.Notice("this kit cannot rebuild %s, the version that last wrote the repository: files changed on both sides get both versions, marked as conflicts", u)
		}
	}
	if opts.DryRun {
		return finish(nil)
	}
	if opts.Verify && rep.Conflicts > 0 {
		return finish(fmt.Errorf("%d file(s) would be left with conflicts, which --verify cannot build; nothing was written. Run without --verify and resolve them", rep.Conflicts))
	}
	if opts.Verify {
		if !opts.JSON {
			fmt.Fprintf(ios.ErrOut, "Verifying the merged tree in a scratch copy (go build, go vet, go mod tidy -diff%s)...\n", map[bool]string{true: ", go test"}[opts.VerifyTests])
		}
		err := VerifyPlan(ctx, r, p, opts.VerifyTests)
		var tidyUnknown *TidyUnknownError
		if errors.As(err, &tidyUnknown) {
			ios.Notice("%v", tidyUnknown)
			err = nil
		}
		if err != nil {
			if errors.Is(err, context.Canceled) || ctx.Err() != nil {
				return cmdutil.ErrInterrupted
			}
			return finish(fmt.Errorf("%w\nthe merge was built in a scratch copy of the repository: nothing was changed", err))
		}
		rep.Verified = true
	}
	tx, err := generator.ApplyPlan(ctx, r.Root, p.Changes, p.StateData)
	if err != nil {
		if ctx.Err() != nil {
			return cmdutil.ErrInterrupted
		}
		return fmt.Errorf("nothing was changed: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	rep.Applied = true
	return finish(nil)
}

func printHuman(ios *iostreams.IOStreams, rep Report) {
	// A dry run's plan is the command's output (kit update --dry-run >
	// plan.txt); an applied run reports on stderr what it did.
	w := ios.ErrOut
	if rep.DryRun {
		w = ios.Out
	}
	verb := map[bool]string{true: "would change", false: "changed"}[!rep.Applied]
	fmt.Fprintf(w, "kit %s: %s\n", rep.Operation, versions(rep.From, rep.To))
	for _, c := range rep.Files {
		line := "  " + c.String()
		if c.Note != "" {
			line += "\n      " + c.Note
		}
		fmt.Fprintln(w, line)
	}
	var parts []string
	counts := map[generator.Outcome]int{}
	for k, v := range rep.Summary {
		counts[generator.Outcome(k)] = v
	}
	for _, o := range SortedOutcomes(counts) {
		parts = append(parts, fmt.Sprintf("%d %s", counts[o], o))
	}
	fmt.Fprintf(w, "Summary (%s): %s\n", verb, strings.Join(parts, ", "))
	markers := 0
	for _, c := range rep.Files {
		if c.Outcome.HasMarkers() {
			markers++
		}
	}
	if markers > 0 {
		fmt.Fprintf(w, "%d file(s) %s conflict markers (<<<<<<< yours ... >>>>>>> kit). Find them with:\n  grep -rln '^<<<<<<< yours' .\nresolve each, then commit.\n",
			markers, map[bool]string{true: "would have", false: "have"}[!rep.Applied])
	}
	if other := rep.Conflicts - markers; other > 0 {
		fmt.Fprintf(w, "%d path(s) need you before kit can finish (the notes above say what to do); then run kit update again.\n", other)
	}
	if rep.Verified {
		fmt.Fprintln(w, "Verified: the merged tree builds and vets.")
	}
}

func versions(from, to []generator.SetRef) string {
	old := map[string]generator.SetRef{}
	for _, f := range from {
		old[f.Name] = f
	}
	var parts []string
	for _, t := range to {
		switch o, ok := old[t.Name]; {
		case !ok:
			parts = append(parts, fmt.Sprintf("%s (new) %s", t.Name, t.Label()))
		case o.Version == t.Version:
			parts = append(parts, fmt.Sprintf("%s %s", t.Name, t.Label()))
		default:
			parts = append(parts, fmt.Sprintf("%s %s → %s", t.Name, o.Label(), t.Label()))
		}
	}
	return strings.Join(parts, ", ")
}

// WriteDiff prints a unified diff per file the plan would change.
func WriteDiff(w io.Writer, p *Plan) {
	for _, c := range p.Changes {
		if !c.Modifies() {
			continue
		}
		from := c.Path
		if c.From != "" {
			from = c.From
		}
		switch {
		case c.Write:
			fmt.Fprint(w, unified("a/"+from, "b/"+c.Path, c.Old, c.Data))
		case len(c.Remove) > 0:
			fmt.Fprint(w, unified("a/"+from, "/dev/null", c.Old, nil))
		}
		if c.Extra != nil {
			fmt.Fprintf(w, "Binary file b/%s added (the template's version of %s)\n", c.Extra.Path, c.Path)
		}
	}
}
