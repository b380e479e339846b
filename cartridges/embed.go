// Package cartridges embeds the optional modules `kit add cartridge` layers
// onto a generated repository: one directory per cartridge, each a template
// set with its own kit.yaml (see README.md).
package cartridges

import (
	"embed"
	"io/fs"
)

//go:embed all:*
var files embed.FS

// FS returns the tree holding one directory per cartridge.
func FS() fs.FS { return files }
