// Package newcmd implements `kit new`.
package newcmd

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/agencystandard/kit/generator"
	"github.com/agencystandard/kit/internal/answers"
	"github.com/agencystandard/kit/internal/cmdutil"
	"github.com/agencystandard/kit/internal/gitrepo"
	"github.com/agencystandard/kit/internal/iostreams"
	"github.com/agencystandard/kit/internal/project"
	"github.com/agencystandard/kit/internal/prompt"
)

// Options holds everything `kit new` needs.
type Options struct {
	IO *iostreams.IOStreams
	// Catalog holds the template sets; nil when it failed to load (LoadErr
	// says why).
	Catalog *generator.Catalog
	LoadErr error
	// KitVersion is recorded in .kit.yaml.
	KitVersion string
	// Prompter asks on the terminal; GitAvailable tells whether git runs.
	Prompter     func() (*prompt.Prompter, error)
	GitAvailable func() bool

	Name        string
	Dir         string
	Yes         bool
	Set         []string
	AnswersFile string
	NoGit       bool
	Force       bool
	Cartridges  []string
	// CartridgesGiven is set when --cartridge was passed (even empty):
	// no cartridge is offered on a terminal then.
	CartridgesGiven bool

	// flagValues holds the answers given by dedicated flags, by question key.
	flagValues map[string]any
}

// NewCmdNew builds the `kit new` command. runF replaces the real work in
// tests of flag parsing.
func NewCmdNew(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	ios := f.IOStreams
	opts := &Options{IO: ios, KitVersion: f.Version(), Prompter: f.Prompter, GitAvailable: f.GitAvailable}
	var questions []generator.Question
	if cat, err := f.Catalog(); err != nil {
		opts.LoadErr = err
	} else {
		opts.Catalog = cat
		questions = allQuestions(cat)
	}
	cmd := &cobra.Command{
		Use:   "new <name>",
		Short: "Generate a new service from the chassis",
		Long: heredoc.Doc(`
			Generate a new multi-tenant Go service: an echo API, an asynq worker and a
			management command, on PostgreSQL (bun, golang-migrate) and Redis.

			Every question can be answered by a flag, by --set key=value or by an
			answers file. On a terminal, kit asks for whatever is missing; elsewhere,
			pass --yes to accept the defaults, or kit lists what is missing.

			The project is written to a staging directory and moved into place at the
			end, so a failure or Ctrl-C leaves nothing behind. Its .kit.yaml records
			the answers and what kit wrote, for later kit update and kit add.
		`),
		Example: cmdutil.Examples(heredoc.Doc(`
			# Ask for everything not given (on a terminal)
			$ kit new billing-api

			# Non-interactive, accepting the defaults
			$ kit new billing-api --yes --module github.com/acme/billing-api

			# The argument may be the module path itself
			$ kit new github.com/acme/billing-api -y --oauth google,github --ci none

			# Answers from a file, one overridden
			$ kit new billing-api --answers answers.yaml --set http_port=9000

			# With cartridges from the start (the same as kit add cartridge later)
			$ kit new billing-api -y --cartridge email
		`)),
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return cmdutil.FlagErrorf("kit new takes one project name, got %d arguments: %s", len(args), strings.Join(args, " "))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Name = args[0]
			}
			opts.flagValues = answers.FlagValues(cmd, questions)
			opts.CartridgesGiven = cmd.Flags().Changed("cartridge")
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return run(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Dir, "dir", "", "directory to create (default ./<name>)")
	fl.BoolVarP(&opts.Yes, "yes", "y", false, "accept the default for every answer not given")
	fl.StringArrayVar(&opts.Set, "set", nil, "answer a question: key=value (repeatable)")
	fl.StringVar(&opts.AnswersFile, "answers", "", "read answers from a YAML file of key: value")
	fl.BoolVar(&opts.NoGit, "no-git", false, "do not create a git repository")
	fl.BoolVar(&opts.Force, "force", false, "write into a non-empty directory, replacing (and listing) files kit generates")
	fl.StringSliceVar(&opts.Cartridges, "cartridge", nil, "include a cartridge (repeatable); kit cartridges lists them")
	answers.AddFlags(fl, questions)
	answers.RegisterCompletions(cmd, questions)
	_ = cmd.RegisterFlagCompletionFunc("cartridge", func(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		return answers.CompleteList(cmdutil.CartridgeChoices(opts.Catalog), toComplete), cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
	})
	return cmd
}

func run(ctx context.Context, opts *Options) error {
	ios := opts.IO
	if opts.LoadErr != nil {
		return opts.LoadErr
	}
	set := opts.Catalog.Chassis()
	carts, err := opts.cartridges()
	if err != nil {
		return err
	}
	var p *prompt.Prompter
	if ios.CanPrompt() && !opts.Yes {
		if p, err = opts.Prompter(); err != nil {
			return err
		}
	}
	// On a terminal without --cartridge, the cartridges are chosen after
	// the chassis's questions; their answers may be given already.
	chooseCartridges := p != nil && !opts.CartridgesGiven && len(opts.Catalog.CartridgeNames()) > 0
	questions := project.QuestionsOf(append([]*generator.TemplateSet{set}, carts...))
	collectFor := questions
	if chooseCartridges {
		collectFor = allQuestions(opts.Catalog)
	}
	given := answers.NewGiven()
	in := answers.Inputs{AnswersFile: opts.AnswersFile, Set: opts.Set, Flags: opts.flagValues}
	if err := in.Collect(collectFor, given); err != nil {
		return err
	}
	if !chooseCartridges {
		if err := checkCartridgeAnswers(opts.Catalog, questions, opts.flagValues, given); err != nil {
			return err
		}
	}
	if opts.Name != "" {
		// `kit new github.com/acme/billing` names the project after the last
		// path element and uses the argument as the module path.
		name := opts.Name
		if strings.Contains(name, "/") {
			if _, ok := given.Values["module"]; !ok {
				given.Put("module", name, "module path "+name)
			}
			name = path.Base(name)
		}
		given.Put("name", name, "project name")
	}
	// Refuse a non-empty target before asking anything.
	if opts.Dir != "" {
		if err := opts.checkTarget(opts.Dir); err != nil {
			return err
		}
	} else if name, ok := given.Values["name"].(string); ok {
		if err := opts.checkTarget(opts.target(name)); err != nil {
			return err
		}
	}
	var ask answers.Asker
	if p != nil {
		ask = &targetChecker{Asker: p, opts: opts}
	}
	answers, err := answers.Resolve(questions, given, ask, opts.Yes)
	if err == nil && chooseCartridges {
		carts, questions, err = opts.chooseCartridges(p, set, given)
		if err == nil {
			answers, err = resolveAgain(questions, given, answers, ask)
		}
	}
	if err == nil && p != nil {
		err = opts.confirm(p, questions, carts, answers)
	}
	if errors.Is(err, prompt.ErrInterrupted) {
		return cmdutil.ErrInterrupted
	}
	if err != nil {
		return err
	}
	name := answers["name"].(string)
	dir := opts.target(name)
	if err := opts.checkTarget(dir); err != nil {
		return err
	}

	files, err := generator.Generate(ctx, set, carts, answers, opts.KitVersion)
	if err != nil {
		return err
	}

	withGit := !opts.NoGit
	switch {
	case opts.NoGit:
	case !opts.GitAvailable():
		withGit = false
		ios.Notice("git is not installed; skipping git init (install git, then run git init in %s)", dir)
	case isGitRepo(dir):
		withGit = false
		ios.Notice("%s is already a git repository; leaving it to you to commit", dir)
	}
	var replaced []string
	if opts.Force {
		// Writing into an existing directory is a transaction on it: roll
		// back first what an earlier run left unfinished there.
		if err := project.RecoverUnfinished(ios, dir); err != nil {
			return err
		}
		replaced = existingFiles(dir, files)
	}
	writeOpts := generator.WriteOptions{Force: opts.Force}
	if withGit {
		writeOpts.Finish = func(ctx context.Context, staging string) error {
			return gitrepo.InitAndCommit(ctx, staging, fmt.Sprintf("Initial commit from kit %s", opts.KitVersion))
		}
	}
	if err := generator.WriteProject(ctx, dir, files, writeOpts); err != nil {
		if ctx.Err() != nil {
			return cmdutil.ErrInterrupted
		}
		if errors.Is(err, generator.ErrNotEmpty) {
			return notEmptyError(dir)
		}
		return fmt.Errorf("write %s: %w; nothing was written", displayDir(dir), err)
	}
	ios.Success("Wrote %d files from the %s template", len(files), set.Manifest.Name)
	if len(replaced) > 0 {
		ios.Notice("--force replaced %d existing %s:", len(replaced), plural(len(replaced), "file", "files"))
		for _, p := range replaced {
			fmt.Fprintf(ios.ErrOut, "  %s\n", p)
		}
	}
	if withGit {
		ios.Success("Created a git repository with the initial commit")
	}
	if err := printNextSteps(ios, set, dir, answers); err != nil {
		return err
	}
	fmt.Fprintf(ios.ErrOut, "kit: created %s (%s) in %s\n", name, answers["module"], displayDir(dir))
	return nil
}

func (o *Options) target(name string) string {
	if o.Dir != "" {
		return o.Dir
	}
	return name
}

func (o *Options) checkTarget(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		if fi, statErr := os.Stat(dir); statErr == nil && !fi.IsDir() {
			return cmdutil.FlagErrorf("target %s exists and is not a directory; choose another name or --dir", displayDir(dir))
		}
		return err
	case len(entries) > 0 && !o.Force:
		return notEmptyError(dir)
	}
	return nil
}

func notEmptyError(dir string) error {
	return cmdutil.FlagErrorf("target directory %s exists and is not empty; choose another name or --dir, or pass --force to replace the files kit generates (each one is listed)", displayDir(dir))
}

// existingFiles lists the files of dir that writing files replaces.
func existingFiles(dir string, files []generator.File) []string {
	var out []string
	for _, f := range files {
		if _, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(f.Path))); err == nil {
			out = append(out, f.Path)
		}
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func isGitRepo(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, ".git"))
	return err == nil
}

// displayDir shows a relative target as ./name, the way the user typed it.
func displayDir(dir string) string {
	if filepath.IsAbs(dir) || strings.HasPrefix(dir, ".") {
		return dir
	}
	return "." + string(filepath.Separator) + dir
}

// printNextSteps prints the chassis manifest's next steps, rendered with
// the answers, after a line that changes into the new directory.
func printNextSteps(ios *iostreams.IOStreams, set *generator.TemplateSet, dir string, answers map[string]any) error {
	steps, err := generator.RenderString("next_steps", set.Manifest.NextSteps, generator.TemplateData(answers, nil))
	if err != nil {
		return err
	}
	fmt.Fprintf(ios.ErrOut, "\nNext steps:\n  cd %s\n", displayDir(dir))
	for _, line := range strings.Split(strings.TrimRight(steps, "\n"), "\n") {
		fmt.Fprintf(ios.ErrOut, "  %s\n", line)
	}
	fmt.Fprintln(ios.ErrOut)
	return nil
}

// cartridges resolves --cartridge names, with the cartridges they require,
// in dependency order.
func (o *Options) cartridges() ([]*generator.TemplateSet, error) {
	if len(o.Cartridges) == 0 {
		return nil, nil
	}
	none := &project.Repo{State: &generator.State{}}
	sets, required, err := project.ResolveCartridges(o.Catalog, none, o.Cartridges)
	if err != nil {
		return nil, cmdutil.FlagErrorf("--cartridge: %v", err)
	}
	if len(required) > 0 {
		o.IO.Notice("adding %s, required by %s", strings.Join(required, ", "), strings.Join(o.Cartridges, ", "))
	}
	return sets, nil
}

// allQuestions lists the questions of the chassis and every cartridge, for
// flags: each question key once.
func allQuestions(cat *generator.Catalog) []generator.Question {
	return project.QuestionsOf(cat.Sets())
}
