// Package build reports the version of this kit binary.
package build

import (
	"runtime/debug"
	"sync"

	"github.com/agencystandard/kit/cartridges"
	"github.com/agencystandard/kit/generator"
	"github.com/agencystandard/kit/templates"
)

// Version is set at link time by releases
// (-ldflags "-X github.com/agencystandard/kit/internal/build.Version=v1.2.3").
var Version = ""

// Commit and Date are set at link time by releases.
var (
	Commit = ""
	Date   = ""
)

// Describe returns the version followed by the commit and build date when
// the release set them.
func Describe() string { return CurrentVersion() + Suffix() }

// Suffix is the commit and build date a release sets, each after a space.
func Suffix() string {
	v := ""
	if Commit != "" {
		v += " " + Commit
	}
	if Date != "" {
		v += " " + Date
	}
	return v
}

// CurrentVersion returns the release version: the one set at link time, the
// module version when kit was installed with `go install ...@version`, or
// else the release in the embedded history that shipped exactly the
// embedded template sets (a build from a checkout). Templates changed since
// the newest release give "<newest>+dev".
func CurrentVersion() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return templatesVersion()
}

var templatesVersion = sync.OnceValue(func() string {
	rs, err := generator.LoadReleases(templates.History())
	if err != nil {
		return "v0.0.0+dev"
	}
	cat, err := generator.NewCatalog(templates.Chassis(), cartridges.FS())
	if err != nil {
		return "v0.0.0+dev"
	}
	digests := map[string]string{}
	for _, s := range cat.Sets() {
		d, err := s.Digest()
		if err != nil {
			return "v0.0.0+dev"
		}
		digests[s.Manifest.Name] = d
	}
	if r, ok := rs.Shipping(digests); ok {
		return r.Version
	}
	if latest, ok := rs.Latest(); ok {
		return latest.Version + "+dev"
	}
	return "v0.0.0+dev"
})
