// Package root assembles kit's command tree and maps its errors to exit
// statuses.
package root

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/agencystandard/kit/internal/build"
	"github.com/agencystandard/kit/internal/catalog"
	"github.com/agencystandard/kit/internal/cmd/add"
	"github.com/agencystandard/kit/internal/cmd/cartridges"
	"github.com/agencystandard/kit/internal/cmd/check"
	"github.com/agencystandard/kit/internal/cmd/completion"
	"github.com/agencystandard/kit/internal/cmd/diff"
	"github.com/agencystandard/kit/internal/cmd/newcmd"
	"github.com/agencystandard/kit/internal/cmd/update"
	"github.com/agencystandard/kit/internal/cmd/version"
	"github.com/agencystandard/kit/internal/cmdutil"
	"github.com/agencystandard/kit/internal/gitrepo"
	"github.com/agencystandard/kit/internal/iostreams"
)

// ExitCode is the process exit status.
type ExitCode int

const (
	ExitOK          ExitCode = 0
	ExitError       ExitCode = 1
	ExitUsage       ExitCode = 2
	ExitConflicts   ExitCode = cmdutil.ExitConflicts
	ExitInterrupted ExitCode = 130
)

// NewFactory is the factory of a kit process: the embedded templates (or
// KIT_TEMPLATES), the system's git and the release version.
func NewFactory(ios *iostreams.IOStreams) *cmdutil.Factory {
	return cmdutil.NewFactory(ios, catalog.Load, gitrepo.Available, build.CurrentVersion)
}

// NewCmdRoot builds the kit command tree on the given streams.
func NewCmdRoot(ios *iostreams.IOStreams) *cobra.Command { return NewCmdRootWith(NewFactory(ios)) }

// NewCmdRootWith builds the kit command tree with a factory of one's own.
func NewCmdRootWith(f *cmdutil.Factory) *cobra.Command {
	ios := f.IOStreams
	cmd := &cobra.Command{
		Use:   "kit <command>",
		Short: "Generate multi-tenant Go services and keep them up to date",
		Long: heredoc.Doc(`
			kit generates production-grade, multi-tenant Go backends (echo, bun on
			PostgreSQL, asynq on Redis, golang-migrate) and records what it wrote, so
			that later versions of kit can update the generated repository without
			losing your edits.
		`),
		Example: cmdutil.Examples(heredoc.Doc(`
			$ kit new billing-api --module github.com/acme/billing-api
			$ kit new billing-api --yes --no-git
			$ kit add cartridge email
			$ kit update --dry-run
			$ kit version
		`)),
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	cmd.SetOut(ios.Out)
	cmd.SetErr(ios.ErrOut)
	cmd.SetIn(ios.In)
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &cmdutil.FlagError{Err: err}
	})
	cmd.CompletionOptions.DisableDefaultCmd = true
	cmd.AddCommand(
		newcmd.NewCmdNew(f, nil),
		add.NewCmdAdd(f),
		update.NewCmdUpdate(f, nil),
		diff.NewCmdDiff(f, nil),
		check.NewCmdCheck(f, nil),
		cartridges.NewCmdCartridges(f, nil),
		version.NewCmdVersion(f),
		completion.NewCmdCompletion(ios),
	)
	return cmd
}

// stopSignals cancel the running command, which rolls back what it was
// writing and exits 130: Ctrl-C, kill, and a terminal closing under it.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

func notifyContext(parent context.Context) (context.Context, context.CancelFunc) {
	return signal.NotifyContext(parent, stopSignals...)
}

// Main runs kit with the process's arguments and streams and returns the
// exit status. Ctrl-C, SIGTERM and SIGHUP cancel the running command, which
// cleans up after itself.
func Main() ExitCode {
	ctx, stop := notifyContext(context.Background())
	defer stop()
	return Run(ctx, iostreams.System(), os.Args[1:])
}

// Run executes the command tree with args and reports errors on ios.ErrOut.
func Run(ctx context.Context, ios *iostreams.IOStreams, args []string) ExitCode {
	cmd := NewCmdRoot(ios)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	var flagErr *cmdutil.FlagError
	var exitErr *cmdutil.ExitError
	switch {
	case errors.As(err, &exitErr):
		return ExitCode(exitErr.Code)
	case errors.Is(err, cmdutil.ErrInterrupted) || (ctx.Err() != nil && errors.Is(err, context.Canceled)):
		fmt.Fprintln(ios.ErrOut, "kit: interrupted; nothing was written")
		return ExitInterrupted
	case errors.Is(err, cmdutil.ErrCancelled):
		fmt.Fprintln(ios.ErrOut, "kit: cancelled; nothing was written")
		return ExitError
	case errors.As(err, &flagErr) || isCobraUsageError(err):
		fmt.Fprintf(ios.ErrOut, "kit: %s\n", err)
		fmt.Fprintln(ios.ErrOut, "Run 'kit help' or 'kit <command> --help' for usage.")
		return ExitUsage
	default:
		fmt.Fprintf(ios.ErrOut, "kit: %s\n", err)
		return ExitError
	}
}

// isCobraUsageError recognizes the errors cobra returns for unknown commands,
// which it does not wrap in a type.
func isCobraUsageError(err error) bool {
	return strings.HasPrefix(err.Error(), "unknown command ")
}
