// Package cmdtest builds factories and runs commands for the commands'
// tests.
package cmdtest

import (
	"bytes"
	"context"

	"github.com/spf13/cobra"

	"github.com/agencystandard/kit/internal/catalog"
	"github.com/agencystandard/kit/internal/cmdutil"
	"github.com/agencystandard/kit/internal/iostreams"
)

// Version is what test factories report as kit's version.
const Version = "v0.0.0-test"

// Factory returns a factory on ios with this kit's templates, git reported
// as unavailable (commands must cope) and Version.
func Factory(ios *iostreams.IOStreams) *cmdutil.Factory {
	return cmdutil.NewFactory(ios, catalog.Load, func() bool { return false }, func() string { return Version })
}

// Run executes cmd with args, as the root command would, and returns its
// error with what it wrote.
func Run(cmd *cobra.Command, args ...string) (stdout, stderr string, err error) {
	var out, errOut bytes.Buffer
	cmd.SetArgs(args)
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &cmdutil.FlagError{Err: err} })
	err = cmd.ExecuteContext(context.Background())
	return out.String(), errOut.String(), err
}
