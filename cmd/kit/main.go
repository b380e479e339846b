// Command kit generates multi-tenant Go services and keeps them up to date.
package main

import (
	"os"
	"runtime/debug"

	"github.com/agencystandard/kit/internal/cmd/root"
)

func main() {
	// kit runs for a fraction of a second and keeps little: collecting
	// garbage a quarter as often trades a few megabytes for time. GOGC,
	// when set, still decides.
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(400)
	}
	os.Exit(int(root.Main()))
}
