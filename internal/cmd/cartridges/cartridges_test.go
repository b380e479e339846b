package cartridges

import (
	"strings"
	"testing"

	"github.com/agencystandard/kit/internal/cmdutil/cmdtest"
	"github.com/agencystandard/kit/internal/iostreams"
)

func TestCartridgesFlags(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	var dir string
	cmd := NewCmdCartridges(cmdtest.Factory(ios), func(d string) error { dir = d; return nil })
	if _, _, err := cmdtest.Run(cmd, "--dir", "svc"); err != nil || dir != "svc" {
		t.Errorf("dir %q, err %v", dir, err)
	}
}

func TestCartridgesListsTheCatalog(t *testing.T) {
	ios, _, stdout, _ := iostreams.Test()
	if _, _, err := cmdtest.Run(NewCmdCartridges(cmdtest.Factory(ios), nil), "--dir", t.TempDir()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "email") || strings.Contains(stdout.String(), "installed") {
		t.Errorf("outside a repository: %q", stdout)
	}
}
