// Command snapshot adds the current chassis and cartridges to
// templates/history, so that later kit releases can rebuild what this one
// writes. With -check it only reports whether they are there.
//
//	go run ./scripts/snapshot          # from the repository root
//	go run ./scripts/snapshot -check
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/agencystandard/kit/cartridges"
	"github.com/agencystandard/kit/generator"
	"github.com/agencystandard/kit/templates"
)

func main() {
	check := flag.Bool("check", false, "fail when a current template set is missing from the history")
	dir := flag.String("dir", "templates/history", "history directory")
	flag.Parse()
	if err := run(*dir, *check); err != nil {
		fmt.Fprintln(os.Stderr, "snapshot:", err)
		os.Exit(1)
	}
}

func run(dir string, check bool) error {
	cat, err := generator.NewCatalog(templates.Chassis(), cartridges.FS())
	if err != nil {
		return err
	}
	sets := []*generator.TemplateSet{cat.Chassis()}
	for _, name := range cat.CartridgeNames() {
		s, _ := cat.Cartridge(name)
		sets = append(sets, s)
	}
	var missing []string
	for _, s := range sets {
		digest, err := s.Digest()
		if err != nil {
			return err
		}
		if _, err := generator.HistoryVersion(os.DirFS(dir), s.Manifest.Name, digest); err == nil {
			fmt.Printf("%s %s: already in %s\n", s.Manifest.Name, digest, dir)
			continue
		} else if !errors.Is(err, generator.ErrUnknownVersion) {
			return err
		}
		if check {
			missing = append(missing, s.Manifest.Name+" "+digest)
			continue
		}
		if _, err := generator.Snapshot(s, dir); err != nil {
			return err
		}
		fmt.Printf("%s %s: added to %s\n", s.Manifest.Name, digest, dir)
	}
	if len(missing) > 0 {
		return fmt.Errorf("not in the history: %v; run go run ./scripts/snapshot before releasing", missing)
	}
	return nil
}
