package project

import (
	"strings"
	"testing"
)

// The diff and the merge agree on what is binary: a NUL byte beyond the
// first 8000 bytes (the text of a long file) is text for both, and Latin-1
// is text.
func TestUnifiedAgreesWithTheMergeOnBinary(t *testing.T) {
	long := strings.Repeat("x\n", 5000) + "\x00\n"
	if got := unified("a/f", "b/f", []byte(long), []byte(long+"y\n")); strings.HasPrefix(got, "Binary") {
		t.Errorf("a NUL byte after 8000 bytes made the diff binary")
	}
	if got := unified("a/f", "b/f", []byte("caf\xe9\n"), []byte("caf\xe8\n")); strings.HasPrefix(got, "Binary") || !strings.Contains(got, "+caf\xe8") {
		t.Errorf("Latin-1 diff: %q", got)
	}
	if got := unified("a/f", "b/f", []byte("\x00\x01"), []byte("\x00\x02")); !strings.HasPrefix(got, "Binary files a/f and b/f differ") {
		t.Errorf("binary diff: %q", got)
	}
}
