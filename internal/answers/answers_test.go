package answers

import (
	"testing"

	"github.com/agencystandard/kit/generator"
)

// An answer an earlier kit recorded stays valid for updates even when this
// kit's checks refuse it for new projects; given anew, it is checked.
func TestRecordedAnswersSurviveStricterChecks(t *testing.T) {
	qs := []generator.Question{
		{Key: "db_name", Prompt: "Database", Type: generator.TypeString, Validate: "sql_identifier"},
		{Key: "description", Prompt: "Description", Type: generator.TypeString, Validate: "one_line"},
		{Key: "oauth_providers", Prompt: "OAuth", Type: generator.TypeMultiSelect, Options: []string{"google", "github"}},
	}
	recorded := func() *Given {
		g := NewGiven()
		for k, v := range map[string]any{"db_name": "user", "description": "", "oauth_providers": []any{"google", "google"}} {
			g.Put(k, v, ".kit.yaml (answer "+k+")")
			g.Recorded[k] = true
		}
		return g
	}
	a, err := Resolve(qs, recorded(), nil, true)
	if err != nil {
		t.Fatalf("recorded answers refused: %v", err)
	}
	if a["db_name"] != "user" || a["description"] != "" {
		t.Errorf("recorded answers changed: %v", a)
	}
	if l, ok := a["oauth_providers"].([]string); !ok || len(l) != 2 {
		t.Errorf("recorded list: %#v", a["oauth_providers"])
	}
	g := recorded()
	g.Put("db_name", "user", "--set db_name")
	if _, err := Resolve(qs, g, nil, true); err == nil {
		t.Error("a reserved database name given anew was accepted")
	}
	// A recorded answer of the wrong type is still an error.
	g = recorded()
	g.Values["db_name"] = 42
	if _, err := Resolve(qs, g, nil, true); err == nil {
		t.Error("a recorded answer of the wrong type was accepted")
	}
}
