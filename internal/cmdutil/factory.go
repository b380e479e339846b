package cmdutil

import (
	"sync"

	"github.com/agencystandard/kit/generator"
	"github.com/agencystandard/kit/internal/iostreams"
	"github.com/agencystandard/kit/internal/prompt"
)

// Factory hands the commands what they share, built lazily and once per
// process: the streams, the template catalog, the prompter, git and the
// version. Tests build one with fakes instead of touching globals.
type Factory struct {
	IOStreams *iostreams.IOStreams
	// Catalog returns the template sets this kit knows, loaded on first use.
	Catalog func() (*generator.Catalog, error)
	// Prompter asks questions on the terminal.
	Prompter func() (*prompt.Prompter, error)
	// GitAvailable reports whether git can be run.
	GitAvailable func() bool
	// Version is this kit's release version, recorded in what it writes.
	Version func() string
}

// NewFactory builds a factory; load and version are called at most once.
func NewFactory(ios *iostreams.IOStreams, load func() (*generator.Catalog, error), gitAvailable func() bool, version func() string) *Factory {
	return &Factory{
		IOStreams: ios,
		Catalog:   sync.OnceValues(load),
		Prompter: func() (*prompt.Prompter, error) {
			return prompt.New(ios.In, ios.Out, ios.ErrOut)
		},
		GitAvailable: gitAvailable,
		Version:      sync.OnceValue(version),
	}
}
