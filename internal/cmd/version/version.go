// Package version implements `kit version`.
package version

import (
	"fmt"
	"runtime"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/agencystandard/kit/internal/build"
	"github.com/agencystandard/kit/internal/cmdutil"
)

// NewCmdVersion builds `kit version`.
func NewCmdVersion(f *cmdutil.Factory) *cobra.Command {
	ios := f.IOStreams
	return &cobra.Command{
		Use:   "version",
		Short: "Print the kit version and the chassis template version",
		Example: cmdutil.Examples(heredoc.Doc(`
			$ kit version
			kit v0.2.0 (chassis sha256:0a5b6170e1c1db0a, go1.26.8 linux/amd64)
		`)),
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cat, err := f.Catalog()
			if err != nil {
				return err
			}
			digest, err := cat.Chassis().Digest()
			if err != nil {
				return err
			}
			fmt.Fprintf(ios.Out, "kit %s (chassis %s, %s %s/%s)\n",
				f.Version()+build.Suffix(), digest, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return nil
		},
	}
}
