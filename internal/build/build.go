// Package build reports the version of this kit binary.
package build

import "runtime/debug"

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
func Describe() string {
	v := CurrentVersion()
	if Commit != "" {
		v += " " + Commit
	}
	if Date != "" {
		v += " " + Date
	}
	return v
}

// CurrentVersion returns the release version, the module version when kit
// was installed with `go install ...@version`, or "(devel)".
func CurrentVersion() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}
