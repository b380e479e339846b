// Package templates embeds the chassis: the template set `kit new` renders.
// Its manifest, chassis/kit.yaml, declares the questions and which files are
// generated for which answers.
package templates

import (
	"embed"
	"io/fs"
)

//go:embed all:chassis
var files embed.FS

// Chassis returns the chassis template set's files, rooted at the set.
func Chassis() fs.FS {
	sub, err := fs.Sub(files, "chassis")
	if err != nil {
		panic(err) // unreachable: the directory is embedded above
	}
	return sub
}
