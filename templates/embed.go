// Package templates embeds the chassis, the template set `kit new` renders,
// and the history of released template sets that `kit update` rebuilds
// merge bases from. The chassis manifest, chassis/kit.yaml, declares the
// questions and which files are generated for which answers.
package templates

import (
	"embed"
	"io/fs"
)

//go:embed all:chassis all:history
var files embed.FS

// Chassis returns the chassis template set's files, rooted at the set.
func Chassis() fs.FS { return sub("chassis") }

// History returns the content-addressed history of released template sets
// (see generator.Snapshot).
func History() fs.FS { return sub("history") }

func sub(dir string) fs.FS {
	s, err := fs.Sub(files, dir)
	if err != nil {
		panic(err) // unreachable: the directory is embedded above
	}
	return s
}
