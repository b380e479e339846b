package generator

import (
	"testing"
	"testing/fstest"
)

func TestMemFS(t *testing.T) {
	m := memFS{"kit.yaml": []byte("name: x\n"), "a/b/c.txt": []byte("c"), "a/d.txt": []byte("d")}
	if err := fstest.TestFS(m, "kit.yaml", "a/b/c.txt", "a/d.txt"); err != nil {
		t.Fatal(err)
	}
}
