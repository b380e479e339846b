package add

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/agencystandard/kit/internal/cmdutil"
	"github.com/agencystandard/kit/internal/cmdutil/cmdtest"
	"github.com/agencystandard/kit/internal/iostreams"
)

func TestAddCartridgeFlags(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	var got *Options
	cmd := NewCmdCartridge(cmdtest.Factory(ios), func(o *Options) error { got = o; return nil })
	if _, _, err := cmdtest.Run(cmd, "email", "--dir", "svc", "--yes", "--verify-tests", "--email-brand", "Acme"); err != nil {
		t.Fatal(err)
	}
	switch {
	case got == nil:
		t.Fatal("runF not called")
	case !slices.Equal(got.Names, []string{"email"}) || got.Dir != "svc" || !got.Yes:
		t.Errorf("options %+v", got)
	case !got.Exec.Verify || got.Exec.Operation != "add cartridge":
		t.Errorf("exec %+v", got.Exec)
	case got.flagValues["email_brand"] != "Acme":
		t.Errorf("the cartridge's question flag: %v", got.flagValues)
	}
}

func TestAddUsageErrors(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	f := cmdtest.Factory(ios)
	var fe *cmdutil.FlagError
	for _, args := range [][]string{{"bogus"}, {}, {"cartridge"}} {
		_, _, err := cmdtest.Run(NewCmdAdd(f), args...)
		if !errors.As(err, &fe) {
			t.Errorf("kit add %s: %v is not a usage error", strings.Join(args, " "), err)
		}
	}
}

func TestAddCartridgeCompletesNames(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	cmd := NewCmdCartridge(cmdtest.Factory(ios), nil)
	names, _ := cmd.ValidArgsFunction(cmd, nil, "")
	if !slices.ContainsFunc(names, func(s string) bool { return strings.HasPrefix(s, "email") }) {
		t.Errorf("completion offers %v", names)
	}
}
