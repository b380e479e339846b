package templates_test

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/agencystandard/kit/templates"
)

var (
	createTableRE = regexp.MustCompile(`(?i)CREATE TABLE (?:IF NOT EXISTS )?([a-z_][a-z0-9_]*)`)
	settingRE     = regexp.MustCompile(`(?m)^#? ?([A-Z][A-Z0-9_]{2,})=`)
)

// The chassis never names a cartridge: no condition on one, none of its
// packages, tables or settings. A cartridge reaches the chassis only through
// slots, declared requirements and the module interfaces.
func TestChassisNamesNoCartridge(t *testing.T) {
	for name, cart := range currentSets(t) {
		if name == "chassis" {
			continue
		}
		forbidden := []string{
			`has "` + name + `"`,
			`"` + name + `" .cartridges`,
			"internal/modules/" + name + `"`,
		}
		err := fs.WalkDir(cart.FS, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := fs.ReadFile(cart.FS, p)
			if err != nil {
				return err
			}
			if strings.Contains(p, "/migrations/") && strings.HasSuffix(p, ".up.sql") {
				for _, m := range createTableRE.FindAllStringSubmatch(string(data), -1) {
					forbidden = append(forbidden, m[1])
				}
			}
			if strings.HasPrefix(p, "slots/env") {
				for _, m := range settingRE.FindAllStringSubmatch(string(data), -1) {
					forbidden = append(forbidden, m[1])
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(forbidden) < 5 {
			t.Fatalf("cartridge %s: found only %v to look for; the test no longer reads the cartridge", name, forbidden)
		}
		err = fs.WalkDir(templates.Chassis(), ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := fs.ReadFile(templates.Chassis(), p)
			if err != nil {
				return err
			}
			for _, f := range forbidden {
				if wordRE(f).Match(data) {
					t.Errorf("chassis file %s names cartridge %s: %q", p, name, f)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// wordRE matches s where it is not part of a longer identifier.
func wordRE(s string) *regexp.Regexp {
	re := regexp.QuoteMeta(s)
	if isWord(s[0]) {
		re = `(^|[^A-Za-z0-9_])` + re
	}
	if isWord(s[len(s)-1]) {
		re += `($|[^A-Za-z0-9_])`
	}
	return regexp.MustCompile(re)
}

func isWord(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
