package project

import (
	"testing"

	"github.com/agencystandard/kit/generator"
)

// sameState says whether two states differ only in the kit version; its
// shortcut (refs or files differ) agrees with comparing the marshalled
// files.
func TestSameState(t *testing.T) {
	mk := func() *generator.State {
		return generator.NewState("v1", []generator.SetRef{{Name: "chassis", Version: "sha256:a"}, {Name: "email", Version: "sha256:b"}},
			map[string]any{"name": "x", "port": 8080, "list": []any{"a"}}, map[string]string{"a.go": "sha256:1", "b.go": "sha256:2"})
	}
	a := mk()
	cases := map[string]struct {
		change func(*generator.State)
		same   bool
	}{
		"identical":            {func(*generator.State) {}, true},
		"another kit version":  {func(s *generator.State) { s.KitVersion = "v2" }, true},
		"nil cartridges, none": {func(s *generator.State) { s.Cartridges = nil }, false},
		"a file's checksum":    {func(s *generator.State) { s.Files["a.go"] = "sha256:9" }, false},
		"a file more":          {func(s *generator.State) { s.Files["c.go"] = "sha256:3" }, false},
		"the chassis version":  {func(s *generator.State) { s.Template.Version = "sha256:z" }, false},
		"the chassis release":  {func(s *generator.State) { s.Template.Release = "v0.4.0" }, false},
		"a cartridge version":  {func(s *generator.State) { s.Cartridges[0].Version = "sha256:z" }, false},
		"an answer":            {func(s *generator.State) { s.Answers["name"] = "y" }, false},
		"an answer's type":     {func(s *generator.State) { s.Answers["port"] = "8080" }, false},
	}
	for name, tc := range cases {
		b := mk()
		tc.change(b)
		if got := sameState(a, b); got != tc.same {
			t.Errorf("%s: sameState = %v, want %v", name, got, tc.same)
		}
		// The shortcut agrees with marshalling both.
		ca := *a
		ca.KitVersion = b.KitVersion
		x, _ := ca.Marshal()
		y, _ := b.Marshal()
		if (string(x) == string(y)) != sameState(a, b) {
			t.Errorf("%s: sameState disagrees with the marshalled states", name)
		}
	}
	empty, noFiles := mk(), mk()
	empty.Files, noFiles.Files = map[string]string{}, nil
	if !sameState(empty, noFiles) {
		t.Error("no files and an empty map of files differ")
	}
}
