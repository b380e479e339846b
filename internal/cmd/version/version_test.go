package version

import (
	"regexp"
	"testing"

	"github.com/agencystandard/kit/internal/cmdutil/cmdtest"
	"github.com/agencystandard/kit/internal/iostreams"
)

func TestVersionPrintsReleaseAndChassis(t *testing.T) {
	ios, _, stdout, _ := iostreams.Test()
	if _, _, err := cmdtest.Run(NewCmdVersion(cmdtest.Factory(ios))); err != nil {
		t.Fatal(err)
	}
	want := regexp.MustCompile(`^kit ` + regexp.QuoteMeta(cmdtest.Version) + ` \(chassis sha256:[0-9a-f]{16}, go[0-9.]+ \S+/\S+\)\n$`)
	if !want.MatchString(stdout.String()) {
		t.Errorf("kit version printed %q", stdout)
	}
}
