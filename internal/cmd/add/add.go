// Package add implements `kit add cartridge`.
package add

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/agencystandard/kit/generator"
	"github.com/agencystandard/kit/internal/answers"
	"github.com/agencystandard/kit/internal/cmd/cartridges"
	"github.com/agencystandard/kit/internal/cmd/repocmd"
	"github.com/agencystandard/kit/internal/cmdutil"
	"github.com/agencystandard/kit/internal/iostreams"
	"github.com/agencystandard/kit/internal/project"
	"github.com/agencystandard/kit/internal/prompt"
)

// NewCmdAdd builds `kit add`, the parent of `kit add cartridge`.
func NewCmdAdd(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "add <kind>",
		Short: "Add to an existing generated repository",
		Example: cmdutil.Examples(heredoc.Doc(`
			$ kit add cartridge email
		`)),
		// Without this, cobra prints the help for an unknown kind and exits 0.
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return cmdutil.FlagErrorf("say what to add: kit add cartridge NAME (kit cartridges lists them)")
			}
			return cmdutil.FlagErrorf("unknown kind %q: kit add knows cartridge (kit add cartridge NAME)", args[0])
		},
	}
	cmd.AddCommand(NewCmdCartridge(f, nil))
	return cmd
}

// Options holds the flags of `kit add cartridge` and what it runs with.
type Options struct {
	IO       *iostreams.IOStreams
	Version  func() string
	Prompter func() (*prompt.Prompter, error)
	// Names are the cartridges to add.
	Names       []string
	Dir         string
	Yes         bool
	Set         []string
	AnswersFile string
	List        bool
	Exec        project.ExecOptions
	flagValues  map[string]any
	catalog     *generator.Catalog
	loadErr     error
}

// NewCmdCartridge builds `kit add cartridge`; runF, when set, runs instead
// with the parsed options (tests).
func NewCmdCartridge(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	ios := f.IOStreams
	opts := &Options{IO: ios, Version: f.Version, Prompter: f.Prompter, Exec: project.ExecOptions{Operation: "add cartridge"}}
	opts.catalog, opts.loadErr = f.Catalog()
	var questions []generator.Question
	if opts.loadErr == nil {
		// The chassis's questions are answered already; only cartridges ask.
		questions = project.QuestionsOf(opts.catalog.Sets()[1:])
	}
	cmd := &cobra.Command{
		Use:   "cartridge <name>...",
		Short: "Add cartridges (optional modules) to the repository",
		Long: heredoc.Doc(`
			Layer cartridges onto the repository in the current directory, which
			may have been edited since kit generated it. Cartridges they require
			are added too (after confirmation, or with --yes). Their questions are
			asked like kit new asks, and each has a flag.

			The cartridge's files are added and the files kit owns (the module
			list, the migration order) are regenerated; your edits are merged, never
			overwritten. Adding a cartridge that is already there does nothing.
			Cartridges need this kit's current chassis: on a repository generated
			by an older kit, run kit update first.

			Exit status: 0 done, 3 done with conflicts to resolve, 1 error, 2 usage.
		`),
		Example: cmdutil.Examples(heredoc.Doc(`
			$ kit add cartridge --list
			$ kit add cartridge email --dry-run
			$ kit add cartridge email --yes --verify
		`)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.List {
				return cartridges.List(ios, f.Catalog, opts.Dir)
			}
			if len(args) == 0 {
				return cmdutil.FlagErrorf("name the cartridges to add (kit add cartridge --list shows them)")
			}
			if opts.Exec.VerifyTests {
				opts.Exec.Verify = true
			}
			opts.Names = args
			opts.flagValues = answers.FlagValues(cmd, questions)
			if runF != nil {
				return runF(opts)
			}
			return run(cmd.Context(), opts, args)
		},
	}
	if opts.loadErr == nil {
		cmd.ValidArgsFunction = cmdutil.CompleteCartridgeArgs(opts.catalog)
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Dir, "dir", ".", "the repository")
	fl.BoolVarP(&opts.Yes, "yes", "y", false, "add required cartridges and accept defaults without asking")
	fl.StringArrayVar(&opts.Set, "set", nil, "answer a question: key=value (repeatable)")
	fl.StringVar(&opts.AnswersFile, "answers", "", "read answers from a YAML file")
	fl.BoolVar(&opts.List, "list", false, "list the cartridges and which are installed")
	repocmd.AddExecFlags(cmd, &opts.Exec)
	answers.AddFlags(fl, questions)
	return cmd
}

func run(ctx context.Context, opts *Options, names []string) error {
	if opts.loadErr != nil {
		return opts.loadErr
	}
	if err := project.RecoverUnfinished(opts.IO, opts.Dir); err != nil {
		return err
	}
	repo, err := project.Open(opts.Dir)
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
	var fresh []string
	for _, n := range names {
		if repo.Installed(n) {
			fmt.Fprintf(opts.IO.ErrOut, "kit: cartridge %s is already installed; nothing to do for it\n", n)
			continue
		}
		fresh = append(fresh, n)
	}
	if len(fresh) == 0 {
		return nil
	}
	if err := requireCurrentChassis(opts.catalog, repo, fresh); err != nil {
		return err
	}
	add, required, err := project.ResolveCartridges(opts.catalog, repo, fresh)
	if err != nil {
		return cmdutil.FlagErrorf("%v", err)
	}
	if len(required) > 0 && !opts.Yes {
		if !opts.IO.CanPrompt() {
			return cmdutil.FlagErrorf("%s also require(s) %s; pass --yes to add them too, or add them first",
				strings.Join(fresh, ", "), strings.Join(required, ", "))
		}
		p, err := opts.Prompter()
		if err != nil {
			return err
		}
		ok, err := p.Confirm(fmt.Sprintf("%s require(s) %s. Add them too?", strings.Join(fresh, ", "), strings.Join(required, ", ")), true)
		if errors.Is(err, prompt.ErrInterrupted) {
			return cmdutil.ErrInterrupted
		}
		if err != nil {
			return err
		}
		if !ok {
			return cmdutil.FlagErrorf("not adding %s without %s", strings.Join(fresh, ", "), strings.Join(required, ", "))
		}
	}
	if !opts.Exec.DryRun {
		if err := project.CheckClean(ctx, opts.IO, repo, opts.Exec.AllowDirty); err != nil {
			return err
		}
	}
	target, err := project.AddTarget(opts.catalog, repo, add)
	if err != nil {
		return err
	}
	in := answers.Inputs{AnswersFile: opts.AnswersFile, Set: opts.Set, Flags: opts.flagValues}
	if err := repocmd.Resolve(opts.IO, opts.Prompter, repo, target, in, opts.Yes); err != nil {
		return err
	}
	plan, err := project.MakePlan(ctx, repo, opts.catalog, target, opts.Version())
	if err != nil {
		return err
	}
	return project.Execute(ctx, opts.IO, repo, plan, opts.Exec)
}

// requireCurrentChassis refuses to add cartridges to a repository whose
// chassis is not this kit's current one: a cartridge is written against the
// chassis it ships with, and added to an older one the tree may not build.
func requireCurrentChassis(cat *generator.Catalog, repo *project.Repo, names []string) error {
	current, err := cat.Chassis().Digest()
	if err != nil {
		return err
	}
	recorded := repo.State.Template
	if recorded.Name == cat.Chassis().Manifest.Name && recorded.Version == current {
		return nil
	}
	return fmt.Errorf("the repository is on %s %s, but the cartridges of this kit need its current %s %s: run kit update first (and commit), then kit add cartridge %s",
		recorded.Name, recorded.Version, cat.Chassis().Manifest.Name, current, strings.Join(names, " "))
}
