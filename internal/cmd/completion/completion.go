// Package completion implements `kit completion`.
package completion

import (
	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/agencystandard/kit/internal/cmdutil"
	"github.com/agencystandard/kit/internal/iostreams"
)

// NewCmdCompletion builds `kit completion <shell>`, which prints a completion
// script to standard output.
func NewCmdCompletion(ios *iostreams.IOStreams) *cobra.Command {
	return &cobra.Command{
		Use:   "completion <bash|zsh|fish|powershell>",
		Short: "Print a shell completion script",
		Long: heredoc.Doc(`
			Print a script that makes your shell complete kit's commands and flags.
			Load it in your shell's start-up file to keep it.
		`),
		Example: cmdutil.Examples(heredoc.Doc(`
			# bash, for the current shell
			$ source <(kit completion bash)

			# zsh, permanently
			$ kit completion zsh > "${fpath[1]}/_kit"

			# fish
			$ kit completion fish > ~/.config/fish/completions/kit.fish

			# PowerShell
			PS> kit completion powershell | Out-String | Invoke-Expression
		`)),
		ValidArgs: []string{"bash", "zsh", "fish", "powershell"},
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return cmdutil.FlagErrorf("kit completion needs one shell: bash, zsh, fish or powershell")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			root := cmd.Root()
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(ios.Out, true)
			case "zsh":
				return root.GenZshCompletion(ios.Out)
			case "fish":
				return root.GenFishCompletion(ios.Out, true)
			case "powershell":
				return root.GenPowerShellCompletionWithDesc(ios.Out)
			}
			return cmdutil.FlagErrorf("unsupported shell %q: use bash, zsh, fish or powershell", args[0])
		},
	}
}
