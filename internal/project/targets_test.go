package project

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/agencystandard/kit/generator"
)

func testCatalog(t *testing.T, cartridges map[string]string) *generator.Catalog {
	t.Helper()
	chassis := fstest.MapFS{"kit.yaml": {Data: []byte("name: chassis\n")}}
	carts := fstest.MapFS{}
	for name, manifest := range cartridges {
		carts[name+"/kit.yaml"] = &fstest.MapFile{Data: []byte(manifest)}
	}
	c, err := generator.NewCatalog(chassis, carts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestResolveCartridges(t *testing.T) {
	cat := testCatalog(t, map[string]string{
		"email":    "name: email\n",
		"webhooks": "name: webhooks\nrequires: [email]\n",
		"admin":    "name: admin\nrequires: [webhooks]\n",
		"loop-a":   "name: loop-a\nrequires: [loop-b]\n",
		"loop-b":   "name: loop-b\nrequires: [loop-a]\n",
	})
	names := func(sets []*generator.TemplateSet) string {
		var out []string
		for _, s := range sets {
			out = append(out, s.Manifest.Name)
		}
		return strings.Join(out, ",")
	}
	repo := &Repo{State: &generator.State{}}
	add, required, err := ResolveCartridges(cat, repo, []string{"admin"})
	if err != nil {
		t.Fatal(err)
	}
	if names(add) != "email,webhooks,admin" || strings.Join(required, ",") != "email,webhooks" {
		t.Errorf("add %s, required %v: want dependency order email,webhooks,admin", names(add), required)
	}

	installed := &Repo{State: &generator.State{Cartridges: []generator.SetRef{{Name: "email"}}}}
	add, required, err = ResolveCartridges(cat, installed, []string{"webhooks"})
	if err != nil || names(add) != "webhooks" || len(required) != 0 {
		t.Errorf("with email installed: add %s, required %v, err %v", names(add), required, err)
	}

	if _, _, err := ResolveCartridges(cat, repo, []string{"billing"}); err == nil ||
		err.Error() != `unknown cartridge "billing"; available: admin, email, loop-a, loop-b, webhooks` {
		t.Errorf("unknown: %v", err)
	}
	if _, _, err := ResolveCartridges(cat, repo, []string{"loop-a"}); err == nil || !strings.Contains(err.Error(), "cycle: loop-a → loop-b → loop-a") {
		t.Errorf("cycle: %v", err)
	}
}
