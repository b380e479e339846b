package project

import (
	"github.com/agencystandard/kit/generator"
	"github.com/agencystandard/kit/generator/merge"
)

// unified diffs old and new for display; binary content (by the same test
// the merge uses) is only named.
func unified(a, b string, old, new []byte) string {
	if generator.IsBinary(old) || generator.IsBinary(new) {
		return "Binary files " + a + " and " + b + " differ\n"
	}
	return merge.Unified(a, b, string(old), string(new))
}
