package project

import (
	"fmt"
	"strings"

	"github.com/agencystandard/kit/generator"
)

// UpdateTarget is the repository moved to this kit's current version of
// every set it uses.
func UpdateTarget(cat *generator.Catalog, r *Repo) (*Target, error) {
	if r.State.Template.Name != cat.Chassis().Manifest.Name {
		return nil, fmt.Errorf("the repository was generated from template %q, which this kit does not have", r.State.Template.Name)
	}
	t := &Target{Chassis: cat.Chassis()}
	for _, c := range r.State.Cartridges {
		set, ok := cat.Cartridge(c.Name)
		if !ok {
			return nil, fmt.Errorf("cartridge %q is installed but this kit does not have it; use the kit that added it", c.Name)
		}
		t.Cartridges = append(t.Cartridges, set)
	}
	return t, nil
}

// AddTarget is the repository with more cartridges. The sets it already has
// stay at their recorded versions when this kit can rebuild them, so adding
// a cartridge does not also update the chassis; otherwise they move to the
// current version (reported in the plan).
func AddTarget(cat *generator.Catalog, r *Repo, add []*generator.TemplateSet) (*Target, error) {
	chassis, err := cat.Version(r.State.Template.Name, r.State.Template.Version)
	if err != nil {
		chassis = cat.Chassis()
	}
	t := &Target{Chassis: chassis}
	for _, c := range r.State.Cartridges {
		set, err := cat.Version(c.Name, c.Version)
		if err != nil {
			cur, ok := cat.Cartridge(c.Name)
			if !ok {
				return nil, fmt.Errorf("cartridge %q is installed but this kit does not have it", c.Name)
			}
			set = cur
		}
		t.Cartridges = append(t.Cartridges, set)
	}
	t.Cartridges = append(t.Cartridges, add...)
	return t, nil
}

// ResolveCartridges expands names with the cartridges they require, in
// dependency order, skipping those installed. It returns the sets to add
// and the names that came in only as requirements.
func ResolveCartridges(cat *generator.Catalog, r *Repo, names []string) (add []*generator.TemplateSet, required []string, err error) {
	seen := map[string]bool{}
	asked := map[string]bool{}
	for _, n := range names {
		asked[n] = true
	}
	var visit func(name string, chain []string) error
	visit = func(name string, chain []string) error {
		for _, c := range chain {
			if c == name {
				return fmt.Errorf("cartridges require each other in a cycle: %s", strings.Join(append(chain, name), " → "))
			}
		}
		if seen[name] || r.Installed(name) {
			return nil
		}
		set, ok := cat.Cartridge(name)
		if !ok {
			return fmt.Errorf("unknown cartridge %q; available: %s", name, availableList(cat))
		}
		for _, req := range set.Manifest.Requires {
			if err := visit(req, append(chain, name)); err != nil {
				return err
			}
		}
		seen[name] = true
		add = append(add, set)
		if !asked[name] {
			required = append(required, name)
		}
		return nil
	}
	for _, n := range names {
		if err := visit(n, nil); err != nil {
			return nil, nil, err
		}
	}
	return add, required, nil
}

func availableList(cat *generator.Catalog) string {
	names := cat.CartridgeNames()
	if len(names) == 0 {
		return "none in this kit"
	}
	return strings.Join(names, ", ")
}
