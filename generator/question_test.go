package generator

import (
	"reflect"
	"strings"
	"testing"
)

func question(t *testing.T, yaml string) *Question {
	t.Helper()
	m, err := ParseManifest("m", []byte("name: x\nquestions:\n"+yaml))
	if err != nil {
		t.Fatal(err)
	}
	return &m.Questions[0]
}

func TestQuestionParseAndValidate(t *testing.T) {
	port := question(t, "  - {key: port, type: int, validate: port}")
	name := question(t, "  - {key: name, type: string, validate: project_name}")
	mod := question(t, "  - {key: module, type: string, validate: module_path}")
	db := question(t, "  - {key: db, type: string, validate: sql_identifier}")
	desc := question(t, "  - {key: d, type: string, validate: one_line}")
	flag := question(t, "  - {key: b, type: bool}")
	ci := question(t, "  - {key: ci, type: select, options: [github, none]}")
	oauth := question(t, "  - {key: o, type: multiselect, options: [google, github, microsoft]}")
	license := question(t, "  - {key: l, type: select, options: [MIT, Apache-2.0, none]}")

	tests := []struct {
		q       *Question
		in      string
		want    any
		wantErr string
	}{
		{port, "8080", 8080, ""},
		{port, " 443 ", 443, ""},
		{port, "0", nil, "not a valid TCP port: use 1 to 65535"},
		{port, "65536", nil, "not a valid TCP port"},
		{port, "http", nil, "not a whole number"},
		{name, "billing-api", "billing-api", ""},
		{name, "a1", "a1", ""},
		{name, "Billing", nil, "lower-case letters, digits and single hyphens"},
		{name, "1app", nil, "starting with a letter"},
		{name, "a--b", nil, "single hyphens"},
		{name, "app-", nil, "single hyphens"},
		{name, strings.Repeat("a", 51), nil, "1 to 50"},
		{mod, "github.com/acme/billing", "github.com/acme/billing", ""},
		{mod, "demo", "demo", ""},
		{mod, "github.com/acme/", nil, "not a valid Go module path"},
		{mod, "has space/x", nil, "not a valid Go module path"},
		{mod, "/abs", nil, "not a valid Go module path"},
		{db, "billing_api", "billing_api", ""},
		{db, "billing-api", nil, "letters, digits and underscores"},
		{desc, "A service", "A service", ""},
		{desc, "two\nlines", nil, "one line"},
		{flag, "true", true, ""},
		{flag, "no", nil, "not true or false"},
		{ci, "none", "none", ""},
		{ci, "gitlab", nil, `"gitlab" is not one of github, none`},
		{oauth, "github, google", []string{"google", "github"}, ""},
		{oauth, "google,google", nil, `"google" is given twice`},
		{oauth, "GitHub,github", nil, `"github" is given twice`},
		{oauth, "Google", []string{"google"}, ""},
		{ci, "GitHub", "github", ""},
		{license, "mit", "MIT", ""},
		{license, " apache-2.0 ", "Apache-2.0", ""},
		{db, "user", nil, "reserved word in PostgreSQL"},
		{db, "select", nil, "reserved word"},
		{db, "table", nil, "reserved word"},
		{db, "order", nil, "reserved word"},
		{db, "group", nil, "reserved word"},
		{db, "users", "users", ""},
		{db, "postgres", nil, "PostgreSQL's own databases"},
		{db, "template0", nil, "PostgreSQL's own databases"},
		{db, "template1", nil, "PostgreSQL's own databases"},
		{desc, "", nil, "must not be empty"},
		{desc, "   ", nil, "must not be empty"},
		{oauth, "", []string{}, ""},
		{oauth, "twitter", nil, `"twitter" is not one of google, github, microsoft`},
	}
	for _, tt := range tests {
		got, err := tt.q.Parse(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%s.Parse(%q) err = %v, want %q", tt.q.Key, tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s.Parse(%q) = %#v, %v; want %#v", tt.q.Key, tt.in, got, err, tt.want)
		}
	}
}

func TestQuestionCoerceYAMLValues(t *testing.T) {
	port := question(t, "  - {key: port, type: int, validate: port}")
	if v, err := port.Coerce(9000); err != nil || v != 9000 {
		t.Errorf("Coerce(9000) = %v, %v", v, err)
	}
	if _, err := port.Coerce(1.5); err == nil {
		t.Error("Coerce(1.5) accepted")
	}
	oauth := question(t, "  - {key: o, type: multiselect, options: [google, github]}")
	if v, err := oauth.Coerce([]any{"github", "google"}); err != nil || !reflect.DeepEqual(v, []string{"google", "github"}) {
		t.Errorf("Coerce(list) = %v, %v", v, err)
	}
	if _, err := oauth.Coerce([]any{1}); err == nil {
		t.Error("Coerce([1]) accepted")
	}
}

func TestQuestionDefaults(t *testing.T) {
	m, err := ParseManifest("m", []byte(`
name: x
questions:
  - {key: name, type: string}
  - {key: db, type: string, default: '{{ .name | replace "-" "_" }}', validate: sql_identifier}
  - {key: port, type: int, default: 8080}
  - {key: oauth, type: multiselect, options: [a, b], default: []}
  - {key: required, type: string}
`))
	if err != nil {
		t.Fatal(err)
	}
	answers := map[string]any{"name": "billing-api"}
	want := []any{"billing_api", 8080, []string{}}
	for i, q := range m.Questions[1:4] {
		got, err := q.DefaultValue(answers)
		if err != nil || !reflect.DeepEqual(got, want[i]) {
			t.Errorf("%s default = %#v, %v; want %#v", q.Key, got, err, want[i])
		}
	}
	if m.Questions[4].HasDefault() {
		t.Error("question without default reports one")
	}
	if _, err := m.Questions[1].DefaultValue(map[string]any{}); err == nil {
		t.Error("default over a missing answer must fail")
	}
}

func TestQuestionDefaultText(t *testing.T) {
	m, err := ParseManifest("m", []byte(`name: x
questions:
  - {key: name, type: string}
  - {key: description, type: string, default: "{{ .name }} service"}
  - {key: db, type: string, default: '{{ .name | replace "-" "_" }}'}
  - {key: port, type: int, default: 8080}
  - {key: o, type: multiselect, options: [a, b], default: []}
`))
	if err != nil {
		t.Fatal(err)
	}
	q := m.Questions
	tests := []struct {
		q       *Question
		answers map[string]any
		want    string
		ok      bool
	}{
		{&q[0], nil, "", false},
		{&q[1], nil, "<name> service", true},
		{&q[1], map[string]any{"name": "billing-api"}, "billing-api service", true},
		{&q[2], nil, "<name>", true},
		{&q[2], map[string]any{"name": "billing-api"}, "billing_api", true},
		{&q[3], nil, "8080", true},
		{&q[4], nil, "none chosen", true},
	}
	for _, tt := range tests {
		if got, ok := tt.q.DefaultText(tt.answers); got != tt.want || ok != tt.ok {
			t.Errorf("%s.DefaultText(%v) = %q, %v; want %q, %v", tt.q.Key, tt.answers, got, ok, tt.want, tt.ok)
		}
	}
}
