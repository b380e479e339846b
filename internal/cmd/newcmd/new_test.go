package newcmd

import (
	"context"
	"slices"
	"testing"

	"github.com/agencystandard/kit/internal/cmdutil/cmdtest"
	"github.com/agencystandard/kit/internal/iostreams"
)

func TestNewFlags(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	var got *Options
	cmd := NewCmdNew(cmdtest.Factory(ios), func(_ context.Context, o *Options) error { got = o; return nil })
	if _, _, err := cmdtest.Run(cmd, "billing", "-y", "--dir", "out", "--no-git", "--cartridge", "email", "--port", "9000", "--set", "ci=none"); err != nil {
		t.Fatal(err)
	}
	switch {
	case got == nil:
		t.Fatal("runF not called")
	case got.Name != "billing" || got.Dir != "out" || !got.Yes || !got.NoGit || !got.CartridgesGiven:
		t.Errorf("options %+v", got)
	case !slices.Equal(got.Cartridges, []string{"email"}) || !slices.Equal(got.Set, []string{"ci=none"}):
		t.Errorf("cartridges %v, set %v", got.Cartridges, got.Set)
	case got.KitVersion != cmdtest.Version || got.GitAvailable() || got.Catalog == nil:
		t.Errorf("factory pieces: version %q, catalog %v", got.KitVersion, got.Catalog)
	}
}
