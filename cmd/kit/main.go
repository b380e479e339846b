// Command kit generates multi-tenant Go services and keeps them up to date.
package main

import (
	"os"

	"github.com/agencystandard/kit/internal/cmd/root"
)

func main() {
	os.Exit(int(root.Main()))
}
