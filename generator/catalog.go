package generator

import (
	"errors"
	"fmt"
	"io/fs"
	"sort"
)

// Catalog knows the template sets this kit can render: the current chassis
// and cartridges, and every older version it can rebuild.
type Catalog struct {
	chassis    *TemplateSet
	cartridges map[string]*TemplateSet
	// older holds additional trees laid out like the current one (chassis/,
	// cartridges/<name>/), searched for old versions.
	older []*Catalog
	// histories are content-addressed history trees (see Snapshot), with
	// their release indexes, read once.
	histories []fs.FS
	releases  []Releases
}

// NewCatalog builds a catalog from the current chassis and a tree holding one
// directory per cartridge (nil for none).
func NewCatalog(chassis fs.FS, cartridges fs.FS) (*Catalog, error) {
	set, err := LoadTemplateSet(chassis)
	if err != nil {
		return nil, fmt.Errorf("chassis: %w", err)
	}
	c := &Catalog{chassis: set, cartridges: map[string]*TemplateSet{}}
	if cartridges == nil {
		return c, nil
	}
	entries, err := fs.ReadDir(cartridges, ".")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		sub, err := fs.Sub(cartridges, e.Name())
		if err != nil {
			return nil, err
		}
		if _, err := fs.Stat(sub, ManifestFile); err != nil {
			continue
		}
		set, err := LoadTemplateSet(sub)
		if err != nil {
			return nil, fmt.Errorf("cartridge %s: %w", e.Name(), err)
		}
		if set.Manifest.Name != e.Name() {
			return nil, fmt.Errorf("cartridge directory %s declares name %q", e.Name(), set.Manifest.Name)
		}
		c.cartridges[e.Name()] = set
	}
	return c, nil
}

// AddHistory makes the versions stored in a history tree available, and
// names the current sets' release when the history records one.
func (c *Catalog) AddHistory(history fs.FS) {
	rs, _ := LoadReleases(history) // an unreadable index names no release; HistoryVersion still checks every set
	c.histories = append(c.histories, history)
	c.releases = append(c.releases, rs)
	for _, s := range c.Sets() {
		if d, err := s.Digest(); err == nil && s.Release == "" {
			s.Release = c.ReleaseOf(s.Manifest.Name, d)
		}
	}
}

// ReleaseOf returns the release that first shipped the set name at digest,
// or "" when no history records it.
func (c *Catalog) ReleaseOf(name, digest string) string {
	for _, rs := range c.releases {
		if v, ok := rs.VersionOf(name, digest); ok {
			return v
		}
	}
	return ""
}

// AddOlder makes the sets of another catalog available as old versions.
func (c *Catalog) AddOlder(o *Catalog) { c.older = append(c.older, o) }

// Chassis returns the current chassis.
func (c *Catalog) Chassis() *TemplateSet { return c.chassis }

// Cartridge returns the current version of a cartridge.
func (c *Catalog) Cartridge(name string) (*TemplateSet, bool) {
	s, ok := c.cartridges[name]
	return s, ok
}

// CartridgeNames lists the current cartridges, sorted.
func (c *Catalog) CartridgeNames() []string {
	names := make([]string, 0, len(c.cartridges))
	for n := range c.cartridges {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Sets returns the chassis followed by every cartridge, sorted by name.
func (c *Catalog) Sets() []*TemplateSet {
	sets := []*TemplateSet{c.chassis}
	for _, n := range c.CartridgeNames() {
		sets = append(sets, c.cartridges[n])
	}
	return sets
}

// Current returns the current set named name (the chassis or a cartridge).
func (c *Catalog) Current(name string) (*TemplateSet, bool) {
	if name == c.chassis.Manifest.Name {
		return c.chassis, true
	}
	return c.Cartridge(name)
}

// Version returns the set name at digest, current or historical, or
// ErrUnknownVersion.
func (c *Catalog) Version(name, digest string) (*TemplateSet, error) {
	if s, ok := c.Current(name); ok {
		if d, err := s.Digest(); err == nil && d == digest {
			return s, nil
		}
	}
	for _, o := range c.older {
		if s, err := o.Version(name, digest); err == nil {
			return s, nil
		}
	}
	for _, h := range c.histories {
		s, err := HistoryVersion(h, name, digest)
		if err == nil {
			s.Release = c.ReleaseOf(name, digest)
			return s, nil
		}
		if !errors.Is(err, ErrUnknownVersion) {
			return nil, err
		}
	}
	return nil, fmt.Errorf("%s %s: %w", name, digest, ErrUnknownVersion)
}
