package diff

import (
	"slices"
	"strings"
	"testing"

	"github.com/agencystandard/kit/internal/cmdutil/cmdtest"
	"github.com/agencystandard/kit/internal/iostreams"
)

func TestDiffFlags(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	var got *Options
	cmd := NewCmdDiff(cmdtest.Factory(ios), func(o *Options) error { got = o; return nil })
	if _, _, err := cmdtest.Run(cmd, "--dir", "svc", "--set", "http_port=9000"); err != nil {
		t.Fatal(err)
	}
	if got == nil || got.Dir != "svc" || !slices.Equal(got.Set, []string{"http_port=9000"}) {
		t.Errorf("options %+v", got)
	}
}

func TestDiffOutsideARepository(t *testing.T) {
	ios, _, _, stderr := iostreams.Test()
	_, _, err := cmdtest.Run(NewCmdDiff(cmdtest.Factory(ios), nil), "--dir", t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "has no .kit.yaml") {
		t.Errorf("err = %v (stderr %q)", err, stderr)
	}
}
