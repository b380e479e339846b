package merge

import "testing"

func TestUnified(t *testing.T) {
	a := "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n"
	b := "1\n2\n3\n4\nfive\n6\n7\n8\n9\n10\neleven\n"
	want := `--- a/f
+++ b/f
@@ -2,9 +2,10 @@
 2
 3
 4
-5
+five
 6
 7
 8
 9
 10
+eleven
`
	if got := Unified("a/f", "b/f", a, b); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	far := "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n"
	farB := "one\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\ntwelve\n"
	wantFar := "--- a\n+++ b\n@@ -1,4 +1,4 @@\n-1\n+one\n 2\n 3\n 4\n@@ -9,4 +9,4 @@\n 9\n 10\n 11\n-12\n+twelve\n"
	if got := Unified("a", "b", far, farB); got != wantFar {
		t.Errorf("two hunks:\n%s\nwant:\n%s", got, wantFar)
	}
	if got := Unified("a", "b", a, a); got != "" {
		t.Errorf("equal texts: %q", got)
	}
	if got := Unified("a", "b", "", "x\n"); got != "--- a\n+++ b\n@@ -0,0 +1 @@\n+x\n" {
		t.Errorf("from empty: %q", got)
	}
}
