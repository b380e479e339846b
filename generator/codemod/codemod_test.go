package codemod

import (
	"strings"
	"testing"
)

func TestTestdbCallsMoveToApptest(t *testing.T) {
	rewrite := All[0].Rewrite
	tests := []struct{ name, in, want string }{
		{"only moved calls", `package notes_test

import (
	"testing"

	"example.com/demo/internal/platform/testdb"
)

func TestX(t *testing.T) {
	db := testdb.New(t)
	rt, owner := testdb.NewWithOwner(t)
	_, _, _ = db, rt, owner
	_ = testdb.URL(t)
}
`, `package notes_test

import (
	"testing"

	"example.com/demo/internal/app/apptest"
)

func TestX(t *testing.T) {
	db := apptest.New(t)
	rt, owner := apptest.NewWithOwner(t)
	_, _, _ = db, rt, owner
	_ = apptest.URL(t)
}
`},
		{"testdb still used", `package notes_test

import (
	"testing"

	"example.com/demo/internal/platform/testdb"
)

func TestX(t *testing.T) {
	_ = testdb.New(t)
	_ = testdb.Open(t, testdb.EmptyURL(t), 1)
}
`, `package notes_test

import (
	"testing"

	"example.com/demo/internal/app/apptest"
	"example.com/demo/internal/platform/testdb"
)

func TestX(t *testing.T) {
	_ = apptest.New(t)
	_ = testdb.Open(t, testdb.EmptyURL(t), 1)
}
`},
		{"single import line, still used", `package x

import "example.com/demo/internal/platform/testdb"

var _ = testdb.URLs
var _ = testdb.RuntimeRole
`, `package x

import "example.com/demo/internal/platform/testdb"
import "example.com/demo/internal/app/apptest"

var _ = apptest.URLs
var _ = testdb.RuntimeRole
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, changed, err := rewrite("example.com/demo", []byte(tt.in))
			if err != nil || !changed {
				t.Fatalf("changed=%v err=%v", changed, err)
			}
			if string(out) != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", out, tt.want)
			}
			again, changed, err := rewrite("example.com/demo", out)
			if err != nil || changed || string(again) != string(out) {
				t.Errorf("not idempotent: changed=%v err=%v", changed, err)
			}
		})
	}
	// Untouched: no import of testdb, a local variable named testdb, another module's testdb.
	for _, src := range []string{
		"package x\n\nfunc f() {}\n",
		"package x\n\nimport \"other.org/internal/platform/testdb\"\n\nvar _ = testdb.New\n",
		"package x\n\ntype db struct{ New int }\n\nfunc f() int {\n\ttestdb := db{}\n\treturn testdb.New\n}\n",
	} {
		out, changed, err := rewrite("example.com/demo", []byte(src))
		if err != nil || changed || string(out) != src {
			t.Errorf("rewrote %q: changed=%v err=%v\n%s", src, changed, err, out)
		}
	}
	if !strings.Contains(All[0].Summary, "apptest") {
		t.Error("summary does not say where the functions went")
	}
}

func TestDue(t *testing.T) {
	ids := func(cs []Codemod) string {
		var s []string
		for _, c := range cs {
			s = append(s, c.ID)
		}
		return strings.Join(s, ",")
	}
	for _, tt := range []struct{ from, to, want string }{
		{"v0.1.0", "v0.2.0", "testdb-apptest"},
		{"", "v0.2.0", "testdb-apptest"},
		{"v0.2.0", "v0.2.0", ""},
		{"v0.1.0", "v0.1.5", ""},
	} {
		if got := ids(Due(tt.from, tt.to)); got != tt.want {
			t.Errorf("Due(%q, %q) = %q, want %q", tt.from, tt.to, got, tt.want)
		}
	}
}
