package cmdutil

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/agencystandard/kit/generator"
)

// CartridgeChoices lists the catalog's cartridges for shell completion:
// each name with its description after a tab. A nil catalog (one that
// failed to load) has none.
func CartridgeChoices(cat *generator.Catalog) []string {
	if cat == nil {
		return nil
	}
	var out []string
	for _, name := range cat.CartridgeNames() {
		c, _ := cat.Cartridge(name)
		out = append(out, name+"\t"+c.Manifest.Description)
	}
	return out
}

// CompleteCartridgeArgs completes positional cartridge names (kit add
// cartridge <name>...), leaving out names already given.
func CompleteCartridgeArgs(cat *generator.Catalog) cobra.CompletionFunc {
	return func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
		given := map[string]bool{}
		for _, a := range args {
			given[a] = true
		}
		var out []string
		for _, c := range CartridgeChoices(cat) {
			if name, _, _ := strings.Cut(c, "\t"); !given[name] {
				out = append(out, c)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}
