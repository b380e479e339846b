package update

import (
	"errors"
	"slices"
	"testing"

	"github.com/agencystandard/kit/internal/cmdutil"
	"github.com/agencystandard/kit/internal/cmdutil/cmdtest"
	"github.com/agencystandard/kit/internal/iostreams"
)

func TestUpdateFlags(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	var got *Options
	cmd := NewCmdUpdate(cmdtest.Factory(ios), func(o *Options) error { got = o; return nil })
	if _, _, err := cmdtest.Run(cmd, "--dir", "svc", "--dry-run", "--json", "--verify-tests", "--set", "http_port=9000", "--set", "ci=none", "-y"); err != nil {
		t.Fatal(err)
	}
	switch {
	case got == nil:
		t.Fatal("runF not called")
	case got.Dir != "svc" || !got.Yes || !slices.Equal(got.Set, []string{"http_port=9000", "ci=none"}):
		t.Errorf("options %+v", got)
	case !got.Exec.DryRun || !got.Exec.JSON || !got.Exec.VerifyTests || !got.Exec.Verify:
		t.Errorf("--verify-tests implies --verify; exec options %+v", got.Exec)
	case got.Exec.Operation != "update" || got.Version() != cmdtest.Version:
		t.Errorf("operation %q, version %q", got.Exec.Operation, got.Version())
	}
}

func TestUpdateRefusesArguments(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	cmd := NewCmdUpdate(cmdtest.Factory(ios), func(*Options) error { t.Error("ran with a stray argument"); return nil })
	_, _, err := cmdtest.Run(cmd, "now")
	if err == nil {
		t.Fatal("accepted an argument")
	}
	var fe *cmdutil.FlagError
	_, _, err = cmdtest.Run(NewCmdUpdate(cmdtest.Factory(ios), nil), "--bogus")
	if !errors.As(err, &fe) {
		t.Errorf("unknown flag: %v is not a usage error", err)
	}
}
