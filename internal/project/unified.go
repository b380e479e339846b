package project

import (
	"github.com/agencystandard/kit/generator/merge"
)

func unified(a, b string, old, new []byte) string {
	if isBinaryish(old) || isBinaryish(new) {
		return "Binary files " + a + " and " + b + " differ\n"
	}
	return merge.Unified(a, b, string(old), string(new))
}

func isBinaryish(data []byte) bool {
	for _, c := range data {
		if c == 0 {
			return true
		}
	}
	return false
}
