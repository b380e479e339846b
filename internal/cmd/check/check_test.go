package check

import (
	"strings"
	"testing"

	"github.com/agencystandard/kit/internal/cmdutil/cmdtest"
	"github.com/agencystandard/kit/internal/iostreams"
)

func TestCheckFlags(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	var got *Options
	cmd := NewCmdCheck(cmdtest.Factory(ios), func(o *Options) error { got = o; return nil })
	if _, _, err := cmdtest.Run(cmd, "--dir", "svc", "--json"); err != nil {
		t.Fatal(err)
	}
	if got == nil || got.Dir != "svc" || !got.JSON {
		t.Errorf("options %+v", got)
	}
}

func TestCheckOutsideARepository(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	_, _, err := cmdtest.Run(NewCmdCheck(cmdtest.Factory(ios), nil), "--dir", t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "has no .kit.yaml") {
		t.Errorf("err = %v", err)
	}
}
