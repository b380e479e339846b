// Package answers settles the answers to template questions the same way for
// every command: from an answers file, --set, dedicated flags and earlier
// answers, then by asking on a terminal or taking defaults.
package answers

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/agencystandard/kit/generator"
	"github.com/agencystandard/kit/internal/cmdutil"
)

// Asker asks one question interactively.
type Asker interface {
	Ask(q *generator.Question, def any) (any, error)
}

// Given holds answers supplied without prompting, and where each came from
// (for error messages: "--port", "--set http_port", ...).
type Given struct {
	Values map[string]any
	Source map[string]string
	// Recorded marks answers an earlier kit accepted and recorded in
	// .kit.yaml: a later kit's stricter checks must not make an existing
	// repository impossible to update, so they are kept when they no longer
	// pass (only their type must still fit).
	Recorded map[string]bool
}

// NewGiven returns an empty Given.
func NewGiven() *Given {
	return &Given{Values: map[string]any{}, Source: map[string]string{}, Recorded: map[string]bool{}}
}

// Put records an answer and its source, replacing an earlier one.
func (g *Given) Put(key string, value any, source string) {
	g.Values[key] = value
	g.Source[key] = source
	delete(g.Recorded, key)
}

// Inputs are the ways a command lets the user supply answers.
type Inputs struct {
	AnswersFile string
	Set         []string
	// Flags holds answers from dedicated flags, by question key; FlagNames
	// maps the key to its flag for messages.
	Flags map[string]any
}

// Collect reads the inputs in increasing precedence: answers file, --set,
// dedicated flags. Keys must belong to questions.
func (in Inputs) Collect(questions []generator.Question, g *Given) error {
	known := map[string]*generator.Question{}
	var keys []string
	for i := range questions {
		known[questions[i].Key] = &questions[i]
		keys = append(keys, questions[i].Key)
	}
	list := strings.Join(keys, ", ")
	if in.AnswersFile != "" {
		data, err := os.ReadFile(in.AnswersFile)
		if err != nil {
			return cmdutil.FlagErrorf("read answers file: %w", err)
		}
		var fromFile map[string]any
		if err := yaml.Unmarshal(data, &fromFile); err != nil {
			return cmdutil.FlagErrorf("answers file %s: %v; it must be a YAML mapping of question keys to answers", in.AnswersFile, err)
		}
		for k, v := range fromFile {
			if known[k] == nil {
				return cmdutil.FlagErrorf("answers file %s: unknown key %q; known keys: %s", in.AnswersFile, k, list)
			}
			g.Put(k, v, fmt.Sprintf("%s in %s", k, in.AnswersFile))
		}
	}
	for _, kv := range in.Set {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return cmdutil.FlagErrorf("--set %q: want key=value", kv)
		}
		if known[k] == nil {
			return cmdutil.FlagErrorf("--set %s: unknown key %q; known keys: %s", kv, k, list)
		}
		g.Put(k, v, "--set "+k)
	}
	for _, q := range questions {
		if v, ok := in.Flags[q.Key]; ok {
			g.Put(q.Key, v, "--"+q.Flag)
		}
	}
	return nil
}

// Resolve settles every question in order: a given answer is validated;
// otherwise the question is asked (when ask is not nil and yes is false), or
// its default taken with yes. Answers that cannot be settled are reported
// together, with the flags that supply them.
func Resolve(questions []generator.Question, g *Given, ask Asker, yes bool) (map[string]any, error) {
	answers := map[string]any{}
	var missing []*generator.Question
	for i := range questions {
		q := &questions[i]
		if v, ok := g.Values[q.Key]; ok {
			val, err := q.Coerce(v)
			if err != nil && g.Recorded[q.Key] {
				val, err = asRecorded(q, v)
			}
			if err != nil {
				return nil, cmdutil.FlagErrorf("%s: %w", g.Source[q.Key], err)
			}
			answers[q.Key] = val
			continue
		}
		var def any
		defOK := q.HasDefault()
		// dependent is set when the default is computed from an answer
		// that is missing too: it exists, but cannot be shown yet.
		dependent := false
		if defOK {
			d, err := q.DefaultValue(answers)
			var invalid *generator.InvalidDefaultError
			switch {
			case err == nil:
				def = d
			case errors.As(err, &invalid):
				// Computed from other answers, it fails the question's
				// own checks: it cannot be taken, only replaced.
				if ask == nil || yes {
					return nil, cmdutil.FlagErrorf("%s: %v", supplier(q), err)
				}
				defOK = false
			default:
				defOK, dependent = false, true
			}
		}
		switch {
		case ask != nil && !yes:
			val, err := ask.Ask(q, def)
			if err != nil {
				return nil, err
			}
			answers[q.Key] = val
		case yes && defOK:
			answers[q.Key] = def
		case yes && dependent:
			// Its default follows once the answer it depends on is
			// given; only that one is listed.
		default:
			missing = append(missing, q)
		}
	}
	if len(missing) > 0 {
		return nil, &cmdutil.FlagError{Err: missingError(missing, answers, yes)}
	}
	return answers, nil
}

func missingError(missing []*generator.Question, answers map[string]any, yes bool) error {
	var b strings.Builder
	b.WriteString("missing answers and no terminal to ask them on:\n")
	width := 0
	for _, q := range missing {
		width = max(width, len(supplier(q)))
	}
	for _, q := range missing {
		line := fmt.Sprintf("  %-*s  %s", width, supplier(q), q.Prompt)
		if !yes {
			// With --yes only answers without a default are listed.
			if text, ok := q.DefaultText(answers); ok {
				line += " (default: " + text + ")"
			} else {
				line += " (no default)"
			}
		}
		b.WriteString(line + "\n")
	}
	if yes {
		b.WriteString("these have no default; supply them as flags or with --set key=value")
	} else {
		b.WriteString("supply them as flags, with --set key=value or --answers file.yaml, or pass --yes to accept the defaults")
	}
	return fmt.Errorf("%s", b.String())
}

func supplier(q *generator.Question) string {
	if q.Flag == "" {
		return "<" + q.Key + "> argument"
	}
	return "--" + q.Flag
}

// asRecorded keeps a recorded answer that no longer passes its question's
// checks, as long as its type still fits the question.
func asRecorded(q *generator.Question, v any) (any, error) {
	switch q.Type {
	case generator.TypeInt:
		switch x := v.(type) {
		case int:
			return x, nil
		case int64:
			return int(x), nil
		}
	case generator.TypeBool:
		if b, ok := v.(bool); ok {
			return b, nil
		}
	case generator.TypeMultiSelect:
		return generator.StringList(v)
	default:
		if s, ok := v.(string); ok {
			return s, nil
		}
	}
	return nil, fmt.Errorf("%v (recorded in .kit.yaml) does not fit the question %s", v, q.Key)
}
