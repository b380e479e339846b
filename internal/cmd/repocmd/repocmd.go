// Package repocmd holds what the commands that read or change a generated
// repository (update, add cartridge, diff) share: their flags and how they
// settle answers. Commands import it, never each other.
package repocmd

import (
	"errors"

	"github.com/spf13/cobra"

	"github.com/agencystandard/kit/internal/answers"
	"github.com/agencystandard/kit/internal/cmdutil"
	"github.com/agencystandard/kit/internal/iostreams"
	"github.com/agencystandard/kit/internal/project"
	"github.com/agencystandard/kit/internal/prompt"
)

// AddExecFlags registers the flags shared by the commands that change a
// repository.
func AddExecFlags(cmd *cobra.Command, o *project.ExecOptions) {
	f := cmd.Flags()
	f.BoolVar(&o.DryRun, "dry-run", false, "show the plan; change nothing")
	f.BoolVar(&o.JSON, "json", false, "print a machine-readable report to stdout")
	f.BoolVar(&o.AllowDirty, "allow-dirty", false, "run even with uncommitted changes")
	f.BoolVar(&o.Verify, "verify", false, "first run go build and go vet on the result in a scratch copy; change nothing if they fail")
	f.BoolVar(&o.VerifyTests, "verify-tests", false, "with --verify, also run go test")
}

// Resolve settles the target's answers, prompting on a terminal for new
// questions.
func Resolve(ios *iostreams.IOStreams, newPrompter func() (*prompt.Prompter, error), repo *project.Repo, target *project.Target, in answers.Inputs, yes bool) error {
	var ask answers.Asker
	if ios.CanPrompt() && !yes && len(target.NewQuestions(repo)) > 0 {
		p, err := newPrompter()
		if err != nil {
			return err
		}
		ask = p
	}
	err := target.Resolve(repo, in, ask, yes)
	if errors.Is(err, prompt.ErrInterrupted) {
		return cmdutil.ErrInterrupted
	}
	return err
}
