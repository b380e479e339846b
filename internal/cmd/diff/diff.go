// Package diff implements `kit diff`.
package diff

import (
	"context"
	"errors"
	"fmt"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/agencystandard/kit/generator"
	"github.com/agencystandard/kit/internal/answers"
	"github.com/agencystandard/kit/internal/cmd/repocmd"
	"github.com/agencystandard/kit/internal/cmdutil"
	"github.com/agencystandard/kit/internal/iostreams"
	"github.com/agencystandard/kit/internal/project"
)

// Options holds the flags of `kit diff` and what it runs with.
type Options struct {
	IO      *iostreams.IOStreams
	Catalog func() (*generator.Catalog, error)
	Version func() string
	Dir     string
	Set     []string
}

// NewCmdDiff builds `kit diff`; runF, when set, runs instead (tests).
func NewCmdDiff(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Catalog: f.Catalog, Version: f.Version}
	cmd := &cobra.Command{
		Use:   "diff",
		Short: "Show what kit update would change, as a unified diff",
		Long: heredoc.Doc(`
			Print, for each file kit update would change, a unified diff from your
			working tree to the result of the update (merges and conflict markers
			included). Nothing is written. New questions take their defaults.
		`),
		Example: cmdutil.Examples(heredoc.Doc(`
			$ kit diff
			$ kit diff | less -R
			$ kit diff --set http_port=9000
		`)),
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return run(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Dir, "dir", ".", "the repository")
	cmd.Flags().StringArrayVar(&opts.Set, "set", nil, "change an answer: key=value (repeatable)")
	return cmd
}

func run(ctx context.Context, opts *Options) error {
	ios, dir, set := opts.IO, opts.Dir, opts.Set
	if err := project.RecoverUnfinished(ios, dir); err != nil {
		return err
	}
	repo, err := project.Open(dir)
	if err != nil {
		return err
	}
	if err := project.RefuseConflicts(repo); err != nil {
		var ce *project.ConflictsError
		if !errors.As(err, &ce) {
			return err
		}
		ios.Notice("kit: warning: %v", err)
	}
	cat, err := opts.Catalog()
	if err != nil {
		return err
	}
	target, err := project.UpdateTarget(cat, repo)
	if err != nil {
		return err
	}
	if err := repocmd.Resolve(ios, nil, repo, target, answers.Inputs{Set: set}, true); err != nil {
		return err
	}
	plan, err := project.MakePlan(ctx, repo, cat, target, opts.Version())
	if err != nil {
		return err
	}
	if plan.Empty(repo) {
		// Say so, on stderr, so that `kit diff > x.patch` stays a patch.
		fmt.Fprintln(ios.ErrOut, "kit: diff: nothing would change; the repository is current")
		return nil
	}
	project.WriteDiff(ios.Out, plan)
	return nil
}
