// Package cartridges implements `kit cartridges`.
package cartridges

import (
	"fmt"
	"text/tabwriter"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/agencystandard/kit/generator"
	"github.com/agencystandard/kit/internal/cmdutil"
	"github.com/agencystandard/kit/internal/iostreams"
	"github.com/agencystandard/kit/internal/project"
)

// NewCmdCartridges builds `kit cartridges`; runF, when set, runs instead
// with the directory given (tests).
func NewCmdCartridges(f *cmdutil.Factory, runF func(dir string) error) *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:   "cartridges",
		Short: "List the cartridges this kit can add",
		Long: heredoc.Doc(`
			List the cartridges (optional modules) this kit carries, with a line of
			description each, marking those installed in the repository in the
			current directory (when it is one).
		`),
		Example: cmdutil.Examples(heredoc.Doc(`
			$ kit cartridges
		`)),
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(dir)
			}
			return List(f.IOStreams, f.Catalog, dir)
		},
	}
	cmd.Flags().StringVar(&dir, "dir", ".", "the repository whose installed cartridges to mark")
	return cmd
}

// List prints the cartridges to ios.Out.
func List(ios *iostreams.IOStreams, load func() (*generator.Catalog, error), dir string) error {
	cat, err := load()
	if err != nil {
		return err
	}
	repo, _ := project.Open(dir) // outside a generated repository nothing is installed
	names := cat.CartridgeNames()
	if len(names) == 0 {
		fmt.Fprintln(ios.ErrOut, "kit: this kit carries no cartridges yet")
		return nil
	}
	tw := tabwriter.NewWriter(ios.Out, 0, 4, 2, ' ', 0)
	for _, n := range names {
		set, _ := cat.Cartridge(n)
		mark := ""
		if repo != nil && repo.Installed(n) {
			mark = "installed"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", n, set.Manifest.Description, mark)
	}
	return tw.Flush()
}
