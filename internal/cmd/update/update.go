// Package update implements `kit update`.
package update

import (
	"context"
	"errors"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/agencystandard/kit/generator"
	"github.com/agencystandard/kit/internal/answers"
	"github.com/agencystandard/kit/internal/cmd/repocmd"
	"github.com/agencystandard/kit/internal/cmdutil"
	"github.com/agencystandard/kit/internal/iostreams"
	"github.com/agencystandard/kit/internal/project"
	"github.com/agencystandard/kit/internal/prompt"
)

// Options holds the flags of `kit update` and what it runs with.
type Options struct {
	IO          *iostreams.IOStreams
	Catalog     func() (*generator.Catalog, error)
	Version     func() string
	Prompter    func() (*prompt.Prompter, error)
	Dir         string
	Yes         bool
	Set         []string
	AnswersFile string
	Exec        project.ExecOptions
}

// NewCmdUpdate builds `kit update`. runF, when set, runs instead of the
// update with the parsed options (tests).
func NewCmdUpdate(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Catalog: f.Catalog, Version: f.Version, Prompter: f.Prompter,
		Exec: project.ExecOptions{Operation: "update"}}
	cmd := &cobra.Command{
		Use:   "update",
		Short: "Merge this kit's template changes into the repository",
		Long: heredoc.Doc(`
			Move the repository in the current directory to the templates of this kit.

			kit rebuilds what it last wrote (from .kit.yaml and the template history
			embedded in kit), compares it with what it writes now, and merges the
			difference into your working tree: files you did not touch are updated,
			changes on both sides to different lines are merged, and changes to the
			same lines are left as conflict markers for you to resolve. Nothing you
			wrote is overwritten. The whole update is applied at once or not at all.

			Exit status: 0 done, 3 done with conflicts to resolve, 1 error, 2 usage.
		`),
		Example: cmdutil.Examples(heredoc.Doc(`
			# See what would change, then do it
			$ kit update --dry-run
			$ kit update

			# Machine-readable plan
			$ kit update --dry-run --json

			# Change nothing if the merged tree does not build
			$ kit update --verify

			# Change an answer while updating
			$ kit update --set http_port=9000
		`)),
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Exec.VerifyTests {
				opts.Exec.Verify = true
			}
			if runF != nil {
				return runF(opts)
			}
			return run(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Dir, "dir", ".", "the repository to update")
	fl.BoolVarP(&opts.Yes, "yes", "y", false, "accept defaults for new questions")
	fl.StringArrayVar(&opts.Set, "set", nil, "change an answer: key=value (repeatable)")
	fl.StringVar(&opts.AnswersFile, "answers", "", "read answers from a YAML file")
	repocmd.AddExecFlags(cmd, &opts.Exec)
	return cmd
}

func run(ctx context.Context, opts *Options) error {
	if err := project.RecoverUnfinished(opts.IO, opts.Dir); err != nil {
		return err
	}
	repo, err := project.Open(opts.Dir)
	if err != nil {
		return err
	}
	cat, err := opts.Catalog()
	if err != nil {
		return err
	}
	if err := project.RefuseConflicts(repo); err != nil {
		var ce *project.ConflictsError
		if !opts.Exec.DryRun || !errors.As(err, &ce) {
			return err
		}
		opts.IO.Notice("kit: %v", err)
	}
	if !opts.Exec.DryRun {
		if err := project.CheckClean(ctx, opts.IO, repo, opts.Exec.AllowDirty); err != nil {
			return err
		}
	}
	target, err := project.UpdateTarget(cat, repo)
	if err != nil {
		return err
	}
	if err := repocmd.Resolve(opts.IO, opts.Prompter, repo, target, answers.Inputs{AnswersFile: opts.AnswersFile, Set: opts.Set}, opts.Yes); err != nil {
		return err
	}
	plan, err := project.MakePlan(ctx, repo, cat, target, opts.Version())
	if err != nil {
		return err
	}
	return project.Execute(ctx, opts.IO, repo, plan, opts.Exec)
}
