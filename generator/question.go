package generator

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"unicode"

	"golang.org/x/mod/module"
)

// QuestionType is the kind of value a question takes.
type QuestionType string

const (
	TypeString      QuestionType = "string"
	TypeInt         QuestionType = "int"
	TypeBool        QuestionType = "bool"
	TypeSelect      QuestionType = "select"
	TypeMultiSelect QuestionType = "multiselect"
)

// Question is one answer kit needs. Every question can be answered by a flag,
// by --set key=value, by an answers file or, on a terminal, by a prompt.
type Question struct {
	// Key names the answer in templates (.key), in --set and in .kit.yaml.
	Key string `yaml:"key"`
	// Prompt is the text shown when asking.
	Prompt string `yaml:"prompt"`
	// Help is a longer explanation, used for flag usage and prompt help.
	Help string       `yaml:"help"`
	Type QuestionType `yaml:"type"`
	// Flag is the long flag name that answers this question; empty when the
	// answer comes from a positional argument.
	Flag string `yaml:"flag,omitempty"`
	// Default is a template over earlier answers ("{{ .name }}"), or a literal.
	// A question without a default must be answered.
	Default any `yaml:"default,omitempty"`
	// Options lists the allowed values of select and multiselect questions.
	Options []string `yaml:"options,omitempty"`
	// Validate names a validator from Validators. Errors of Parse and Coerce
	// do not name the question: the caller knows where the answer came from.
	Validate string `yaml:"validate,omitempty"`

	def *template.Template
}

func (q *Question) check() error {
	if q.Key == "" || !regexp.MustCompile(`^[a-z][a-z0-9_]*$`).MatchString(q.Key) {
		return fmt.Errorf("question key %q must be lower_snake_case", q.Key)
	}
	if q.Key == ReservedKey {
		return fmt.Errorf("question key %q is reserved for the list of installed cartridges", q.Key)
	}
	switch q.Type {
	case TypeString, TypeInt, TypeBool:
	case TypeSelect, TypeMultiSelect:
		if len(q.Options) == 0 {
			return fmt.Errorf("question %q: %s needs options", q.Key, q.Type)
		}
	default:
		return fmt.Errorf("question %q: unknown type %q (want string, int, bool, select or multiselect)", q.Key, q.Type)
	}
	if q.Validate != "" {
		if _, ok := Validators[q.Validate]; !ok {
			return fmt.Errorf("question %q: unknown validator %q", q.Key, q.Validate)
		}
	}
	if s, ok := q.Default.(string); ok && strings.Contains(s, "{{") {
		t, err := template.New(q.Key).Funcs(FuncMap()).Option("missingkey=error").Parse(s)
		if err != nil {
			return fmt.Errorf("question %q: default: %w", q.Key, err)
		}
		q.def = t
	}
	return nil
}

// HasDefault reports whether the question can be left unanswered.
func (q *Question) HasDefault() bool { return q.Default != nil }

// DefaultValue computes the question's default from the answers given so far.
func (q *Question) DefaultValue(answers map[string]any) (any, error) {
	if q.def != nil {
		var b strings.Builder
		if err := q.def.Execute(&b, answers); err != nil {
			return nil, fmt.Errorf("default of %s: %w", q.Key, err)
		}
		return q.Parse(b.String())
	}
	if q.Default == nil {
		return nil, nil
	}
	return q.Coerce(q.Default)
}

// Parse converts the text form of an answer (a flag or --set value) to the
// question's type and validates it.
func (q *Question) Parse(s string) (any, error) {
	switch q.Type {
	case TypeInt:
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return nil, fmt.Errorf("%q is not a whole number", s)
		}
		return q.Coerce(n)
	case TypeBool:
		b, err := strconv.ParseBool(strings.TrimSpace(s))
		if err != nil {
			return nil, fmt.Errorf("%q is not true or false", s)
		}
		return q.Coerce(b)
	case TypeMultiSelect:
		var list []string
		for _, part := range strings.Split(s, ",") {
			if part = strings.TrimSpace(part); part != "" {
				list = append(list, part)
			}
		}
		return q.Coerce(list)
	default:
		return q.Coerce(s)
	}
}

// Coerce converts a value decoded from YAML (or produced by a prompt) to the
// question's type, normalizes it and validates it.
func (q *Question) Coerce(v any) (any, error) {
	switch q.Type {
	case TypeInt:
		var n int
		switch x := v.(type) {
		case int:
			n = x
		case int64:
			n = int(x)
		case uint64:
			n = int(x)
		case float64:
			if x != float64(int(x)) {
				return nil, fmt.Errorf("%v is not a whole number", v)
			}
			n = int(x)
		case string:
			return q.Parse(x)
		default:
			return nil, fmt.Errorf("%v is not a whole number", v)
		}
		return n, q.validate(n)
	case TypeBool:
		switch x := v.(type) {
		case bool:
			return x, nil
		case string:
			return q.Parse(x)
		}
		return nil, fmt.Errorf("%v is not true or false", v)
	case TypeMultiSelect:
		var list []string
		switch x := v.(type) {
		case []string:
			list = slices.Clone(x)
		case []any:
			for _, e := range x {
				s, ok := e.(string)
				if !ok {
					return nil, fmt.Errorf("%v is not a list of strings", v)
				}
				list = append(list, s)
			}
		case string:
			return q.Parse(x)
		default:
			return nil, fmt.Errorf("%v is not a list of strings", v)
		}
		for _, s := range list {
			if !slices.Contains(q.Options, s) {
				return nil, fmt.Errorf("%q is not one of %s", s, strings.Join(q.Options, ", "))
			}
		}
		// Order by the options, without repeats, so equal sets render equally.
		out := []string{}
		for _, o := range q.Options {
			if slices.Contains(list, o) {
				out = append(out, o)
			}
		}
		return out, nil
	default:
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("%v is not text", v)
		}
		s = strings.TrimSpace(s)
		if q.Type == TypeSelect && !slices.Contains(q.Options, s) {
			return nil, fmt.Errorf("%q is not one of %s", s, strings.Join(q.Options, ", "))
		}
		return s, q.validate(s)
	}
}

func (q *Question) validate(v any) error {
	if q.Validate == "" {
		return nil
	}
	if err := Validators[q.Validate](v); err != nil {
		return fmt.Errorf("%w", err)
	}
	return nil
}

// Validators are the named checks a question may ask for. Each error says
// what is allowed.
var Validators = map[string]func(any) error{
	"project_name": func(v any) error {
		s := v.(string)
		if !regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`).MatchString(s) || len(s) > 50 {
			return fmt.Errorf("%q is not a valid project name: use 1 to 50 lower-case letters, digits and single hyphens, starting with a letter (e.g. billing-api)", s)
		}
		return nil
	},
	"module_path": func(v any) error {
		s := v.(string)
		if err := module.CheckImportPath(s); err != nil {
			return fmt.Errorf("%q is not a valid Go module path: %v (e.g. github.com/acme/billing-api)", s, unwrapModuleErr(err))
		}
		if strings.HasSuffix(s, "/") || strings.Contains(s, "//") {
			return fmt.Errorf("%q is not a valid Go module path (e.g. github.com/acme/billing-api)", s)
		}
		return nil
	},
	"port": func(v any) error {
		n := v.(int)
		if n < 1 || n > 65535 {
			return fmt.Errorf("%d is not a valid TCP port: use 1 to 65535", n)
		}
		return nil
	},
	"sql_identifier": func(v any) error {
		s := v.(string)
		if !regexp.MustCompile(`^[a-z_][a-z0-9_]*$`).MatchString(s) || len(s) > 63 {
			return fmt.Errorf("%q is not a valid database name: use 1 to 63 lower-case letters, digits and underscores, not starting with a digit", s)
		}
		return nil
	},
	"one_line": func(v any) error {
		s := v.(string)
		if len(s) > 200 {
			return fmt.Errorf("is %d characters long; keep it to at most 200", len(s))
		}
		for _, r := range s {
			if unicode.IsControl(r) {
				return fmt.Errorf("must be one line of text without control characters")
			}
		}
		return nil
	},
}

func unwrapModuleErr(err error) error {
	if e, ok := err.(*module.InvalidPathError); ok {
		return e.Err
	}
	return err
}
