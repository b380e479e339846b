// Package check implements `kit check`.
package check

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/agencystandard/kit/generator"
	"github.com/agencystandard/kit/internal/cmdutil"
	"github.com/agencystandard/kit/internal/iostreams"
	"github.com/agencystandard/kit/internal/project"
)

type setStatus struct {
	Name      string `json:"name"`
	Installed string `json:"installed"`
	Available string `json:"available"`
	Current   bool   `json:"current"`
	// The releases that shipped those versions, when they are releases.
	InstalledRelease string `json:"installed_release,omitempty"`
	AvailableRelease string `json:"available_release,omitempty"`
}

func (s setStatus) label(digest, release string) string {
	if release != "" {
		return release
	}
	return orUnknown(digest)
}

type report struct {
	Current bool        `json:"current"`
	Sets    []setStatus `json:"sets"`
	// Conflicts lists tracked files that still hold conflict markers; a
	// repository with any is not current.
	Conflicts []string `json:"conflicts,omitempty"`
}

// Options holds the flags of `kit check` and what it runs with.
type Options struct {
	IO      *iostreams.IOStreams
	Catalog func() (*generator.Catalog, error)
	Dir     string
	JSON    bool
}

// NewCmdCheck builds `kit check`; runF, when set, runs instead (tests).
func NewCmdCheck(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Catalog: f.Catalog}
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Tell whether kit update has anything to bring",
		Long: heredoc.Doc(`
			Compare the template versions recorded in .kit.yaml with this kit's.
			Files kit tracks that still hold conflict markers make the repository
			not current: resolve them first.
			Exit status: 0 when the repository is current, 1 when an update is
			available, conflicts remain (or on error), 2 on usage errors.
		`),
		Example: cmdutil.Examples(heredoc.Doc(`
			$ kit check
			$ kit check --json
			$ kit check || kit update --dry-run
		`)),
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			ios, dir, asJSON := opts.IO, opts.Dir, opts.JSON
			if err := project.RecoverUnfinished(ios, dir); err != nil {
				return err
			}
			repo, err := project.Open(dir)
			if err != nil {
				return err
			}
			cat, err := opts.Catalog()
			if err != nil {
				return err
			}
			var rep report
			rep.Current = true
			var stale, current []string
			for _, ref := range append([]generator.SetRef{repo.State.Template}, repo.State.Cartridges...) {
				st := setStatus{Name: ref.Name, Installed: ref.Version, InstalledRelease: cat.ReleaseOf(ref.Name, ref.Version)}
				if set, ok := cat.Current(ref.Name); ok {
					if st.Available, err = set.Digest(); err != nil {
						return err
					}
					st.AvailableRelease = set.Release
				}
				st.Current = st.Available == st.Installed
				if !st.Current {
					rep.Current = false
					stale = append(stale, fmt.Sprintf("%s %s → %s", st.Name, st.label(st.Installed, st.InstalledRelease), st.label(st.Available, st.AvailableRelease)))
				}
				current = append(current, st.Name+" "+st.label(st.Installed, st.InstalledRelease))
				rep.Sets = append(rep.Sets, st)
			}
			if rep.Conflicts, err = repo.ConflictedFiles(); err != nil {
				return err
			}
			if len(rep.Conflicts) > 0 {
				rep.Current = false
			}
			if asJSON {
				enc := json.NewEncoder(ios.Out)
				enc.SetIndent("", "  ")
				if err := enc.Encode(rep); err != nil {
					return err
				}
				if len(rep.Conflicts) > 0 {
					fmt.Fprintf(ios.ErrOut, "kit: %v\n", &project.ConflictsError{Files: rep.Conflicts})
				}
			} else if len(rep.Conflicts) > 0 {
				return &project.ConflictsError{Files: rep.Conflicts}
			} else if rep.Current {
				fmt.Fprintf(ios.Out, "current: %s\n", strings.Join(current, ", "))
			} else {
				fmt.Fprintf(ios.Out, "update available: %s; run kit update --dry-run to see it\n", strings.Join(stale, ", "))
			}
			if !rep.Current {
				return &cmdutil.ExitError{Code: 1}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&opts.Dir, "dir", ".", "the repository")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print a machine-readable report")
	return cmd
}

func orUnknown(s string) string {
	if s == "" {
		return "(not in this kit)"
	}
	return s
}
