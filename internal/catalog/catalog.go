// Package catalog assembles the template sets this kit binary knows: the
// embedded chassis, cartridges and history, or template trees on disk named
// by KIT_TEMPLATES.
package catalog

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/agencystandard/kit/cartridges"
	"github.com/agencystandard/kit/generator"
	"github.com/agencystandard/kit/templates"
)

// EnvTemplates names template trees to use instead of the embedded ones:
// a list separated by the OS path-list separator, of directories laid out
// like this repository (chassis/ or templates/chassis/, cartridges/<name>/).
// The first is the current version; the others are older versions `kit
// update` may rebuild bases from. It is meant for template development and
// tests.
const EnvTemplates = "KIT_TEMPLATES"

// Load returns the catalog for this process.
func Load() (*generator.Catalog, error) {
	dirs := filepath.SplitList(os.Getenv(EnvTemplates))
	if len(dirs) == 0 {
		c, err := generator.NewCatalog(templates.Chassis(), cartridges.FS())
		if err != nil {
			return nil, err
		}
		c.AddHistory(templates.History())
		return c, nil
	}
	c, err := fromDir(dirs[0])
	if err != nil {
		return nil, err
	}
	for _, d := range dirs[1:] {
		older, err := fromDir(d)
		if err != nil {
			return nil, err
		}
		c.AddOlder(older)
	}
	c.AddHistory(templates.History())
	return c, nil
}

func fromDir(dir string) (*generator.Catalog, error) {
	root := os.DirFS(dir)
	chassis, err := fs.Sub(root, "chassis")
	if err != nil {
		return nil, err
	}
	if _, err := fs.Stat(chassis, generator.ManifestFile); err != nil {
		if alt, err2 := fs.Sub(root, "templates/chassis"); err2 == nil {
			if _, err3 := fs.Stat(alt, generator.ManifestFile); err3 == nil {
				chassis = alt
			}
		}
	}
	var carts fs.FS
	if _, err := fs.Stat(root, "cartridges"); err == nil {
		carts, _ = fs.Sub(root, "cartridges")
	}
	c, err := generator.NewCatalog(chassis, carts)
	if err != nil {
		return nil, fmt.Errorf("%s=%s: %w", EnvTemplates, dir, err)
	}
	return c, nil
}
