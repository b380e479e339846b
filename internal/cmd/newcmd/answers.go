package newcmd

import (
	"fmt"
	"os"
	"path"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/agencystandard/kit/generator"
	"github.com/agencystandard/kit/internal/cmdutil"
)

// asker asks one question interactively; nil when there is no terminal.
type asker interface {
	Ask(q *generator.Question, def any) (any, error)
}

// given collects the answers supplied without prompting, in increasing
// precedence: the answers file, --set, dedicated flags, the name argument.
// The second result says where each answer came from, for error messages.
func (o *Options) given(questions []generator.Question) (map[string]any, map[string]string, error) {
	known := map[string]bool{}
	for _, q := range questions {
		known[q.Key] = true
	}
	keys := func() string {
		var ks []string
		for _, q := range questions {
			ks = append(ks, q.Key)
		}
		return strings.Join(ks, ", ")
	}
	out := map[string]any{}
	source := map[string]string{}
	if o.AnswersFile != "" {
		data, err := os.ReadFile(o.AnswersFile)
		if err != nil {
			return nil, nil, cmdutil.FlagErrorf("read answers file: %w", err)
		}
		var fromFile map[string]any
		if err := yaml.Unmarshal(data, &fromFile); err != nil {
			return nil, nil, cmdutil.FlagErrorf("answers file %s: %v; it must be a YAML mapping of question keys to answers", o.AnswersFile, err)
		}
		for k, v := range fromFile {
			if !known[k] {
				return nil, nil, cmdutil.FlagErrorf("answers file %s: unknown key %q; known keys: %s", o.AnswersFile, k, keys())
			}
			out[k] = v
			source[k] = fmt.Sprintf("%s in %s", k, o.AnswersFile)
		}
	}
	for _, kv := range o.Set {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, nil, cmdutil.FlagErrorf("--set %q: want key=value", kv)
		}
		if !known[k] {
			return nil, nil, cmdutil.FlagErrorf("--set %s: unknown key %q; known keys: %s", kv, k, keys())
		}
		out[k] = v
		source[k] = "--set " + k
	}
	for _, q := range questions {
		if v, ok := o.flagValues[q.Key]; ok {
			out[q.Key] = v
			source[q.Key] = "--" + q.Flag
		}
	}
	if o.Name != "" {
		// `kit new github.com/acme/billing` names the project after the last
		// path element and uses the argument as the module path.
		if strings.Contains(o.Name, "/") {
			if _, ok := out["module"]; !ok && known["module"] {
				out["module"] = o.Name
				source["module"] = "module path " + o.Name
			}
			out["name"] = path.Base(o.Name)
		} else {
			out["name"] = o.Name
		}
		source["name"] = "project name"
	}
	return out, source, nil
}

// resolve settles every question: a given answer is validated; otherwise the
// question is asked on a terminal, or its default taken with --yes. Answers
// that cannot be settled are reported together, with the flags that supply
// them.
func (o *Options) resolve(questions []generator.Question, given map[string]any, source map[string]string, ask asker) (map[string]any, error) {
	answers := map[string]any{}
	var missing []*generator.Question
	for i := range questions {
		q := &questions[i]
		if v, ok := given[q.Key]; ok {
			val, err := q.Coerce(v)
			if err != nil {
				return nil, cmdutil.FlagErrorf("%s: %w", source[q.Key], err)
			}
			answers[q.Key] = val
			continue
		}
		var def any
		defOK := q.HasDefault()
		if defOK {
			d, err := q.DefaultValue(answers)
			if err != nil {
				// The default depends on an answer that is missing too.
				defOK = false
			} else {
				def = d
			}
		}
		switch {
		case ask != nil && !o.Yes:
			val, err := ask.Ask(q, def)
			if err != nil {
				return nil, err
			}
			answers[q.Key] = val
		case o.Yes && defOK:
			answers[q.Key] = def
		default:
			missing = append(missing, q)
		}
	}
	if len(missing) > 0 {
		return nil, &cmdutil.FlagError{Err: missingError(missing, o.Yes)}
	}
	return answers, nil
}

func missingError(missing []*generator.Question, yes bool) error {
	var b strings.Builder
	b.WriteString("missing answers and no terminal to ask them on:\n")
	width := 0
	for _, q := range missing {
		width = max(width, len(supplier(q)))
	}
	for _, q := range missing {
		fmt.Fprintf(&b, "  %-*s  %s\n", width, supplier(q), q.Prompt)
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
