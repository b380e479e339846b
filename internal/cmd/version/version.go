// Package version implements `kit version`.
package version

import (
	"fmt"
	"runtime"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/agencystandard/kit/generator"
	"github.com/agencystandard/kit/internal/build"
	"github.com/agencystandard/kit/internal/cmdutil"
	"github.com/agencystandard/kit/internal/iostreams"
	"github.com/agencystandard/kit/templates"
)

// NewCmdVersion builds `kit version`.
func NewCmdVersion(ios *iostreams.IOStreams) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the kit version and the chassis template version",
		Example: cmdutil.Examples(heredoc.Doc(`
			$ kit version
			kit v0.1.0 (chassis sha256:3f1c0a9e5b7d2c4e, go1.26.8 linux/amd64)
		`)),
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			set, err := generator.LoadTemplateSet(templates.Chassis())
			if err != nil {
				return err
			}
			digest, err := set.Digest()
			if err != nil {
				return err
			}
			fmt.Fprintf(ios.Out, "kit %s (chassis %s, %s %s/%s)\n",
				build.Describe(), digest, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return nil
		},
	}
}
