package generator

import (
	"errors"
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

// ErrDefaultNeedsAnswer is returned by DefaultValue when the default is a
// template over an answer not given yet.
var ErrDefaultNeedsAnswer = errors.New("the default depends on an answer not given")

// InvalidDefaultError is returned by DefaultValue when the computed default
// does not pass the question's own checks (a project named "user" makes a
// database name that is a reserved word).
type InvalidDefaultError struct {
	Value string
	Err   error
}

func (e *InvalidDefaultError) Error() string { return "the default " + e.Err.Error() }
func (e *InvalidDefaultError) Unwrap() error { return e.Err }

// DefaultValue computes the question's default from the answers given so far.
func (q *Question) DefaultValue(answers map[string]any) (any, error) {
	if q.def != nil {
		var b strings.Builder
		if err := q.def.Execute(&b, answers); err != nil {
			return nil, fmt.Errorf("default of %s: %w: %w", q.Key, ErrDefaultNeedsAnswer, err)
		}
		v, err := q.Parse(b.String())
		if err != nil {
			return nil, &InvalidDefaultError{Value: b.String(), Err: err}
		}
		return v, nil
	}
	if q.Default == nil {
		return nil, nil
	}
	return q.Coerce(q.Default)
}

// DefaultText describes the default for help and messages, given the
// answers known so far (nil for none): the computed value when it can be
// computed, otherwise the template with each answer it uses shown as <key>
// ("<name> service"). ok is false when the question has no default.
func (q *Question) DefaultText(answers map[string]any) (text string, ok bool) {
	if q.Default == nil {
		return "", false
	}
	if v, err := q.DefaultValue(answers); err == nil {
		return FormatAnswer(v), true
	}
	if q.def == nil {
		return FormatAnswer(q.Default), true
	}
	placeholders := map[string]any{}
	for _, m := range answerRef.FindAllStringSubmatch(q.Default.(string), -1) {
		placeholders[m[1]] = "<" + m[1] + ">"
	}
	var b strings.Builder
	if err := q.def.Execute(&b, placeholders); err != nil {
		return q.Default.(string), true
	}
	return b.String(), true
}

var answerRef = regexp.MustCompile(`\.([a-z][a-z0-9_]*)`)

// FormatAnswer shows an answer the way a user would type it; an empty list
// is "none chosen".
func FormatAnswer(v any) string {
	switch x := v.(type) {
	case []string:
		if len(x) == 0 {
			return "none chosen"
		}
		return strings.Join(x, ", ")
	case []any:
		if len(x) == 0 {
			return "none chosen"
		}
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = fmt.Sprint(e)
		}
		return strings.Join(parts, ", ")
	}
	return fmt.Sprint(v)
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
		if x, ok := v.(string); ok {
			return q.Parse(x)
		}
		list, err := StringList(v)
		if err != nil {
			return nil, err
		}
		seen := map[string]bool{}
		for i, s := range list {
			o, ok := q.option(s)
			if !ok {
				return nil, fmt.Errorf("%q is not one of %s", s, strings.Join(q.Options, ", "))
			}
			if seen[o] {
				return nil, fmt.Errorf("%q is given twice", o)
			}
			seen[o] = true
			list[i] = o
		}
		// Order by the options, so equal sets render equally.
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
		if q.Type == TypeSelect {
			o, ok := q.option(s)
			if !ok {
				return nil, fmt.Errorf("%q is not one of %s", s, strings.Join(q.Options, ", "))
			}
			s = o
		}
		return s, q.validate(s)
	}
}

// option returns the declared spelling of the option s names, matched
// without regard to case (--license mit is MIT).
func (q *Question) option(s string) (string, bool) {
	for _, o := range q.Options {
		if strings.EqualFold(o, s) {
			return o, true
		}
	}
	return "", false
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
		if slices.Contains(systemDatabases, s) {
			return fmt.Errorf("%q is one of PostgreSQL's own databases; choose a name for this service's database", s)
		}
		if slices.Contains(sqlReservedWords, s) {
			return fmt.Errorf("%q is a reserved word in PostgreSQL and cannot name a database without quoting; choose another name", s)
		}
		return nil
	},
	"one_line": func(v any) error {
		s := v.(string)
		if strings.TrimSpace(s) == "" {
			return fmt.Errorf("must not be empty")
		}
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

// systemDatabases are the databases every PostgreSQL cluster has.
var systemDatabases = []string{"postgres", "template0", "template1"}

// sqlReservedWords are PostgreSQL's reserved key words, including those
// that may name only a function or type: none can be an unquoted database
// name (CREATE DATABASE user fails).
var sqlReservedWords = []string{
	"all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric",
	"authorization", "binary", "both", "case", "cast", "check", "collate",
	"collation", "column", "concurrently", "constraint", "create", "cross",
	"current_catalog", "current_date", "current_role", "current_schema",
	"current_time", "current_timestamp", "current_user", "default", "deferrable",
	"desc", "distinct", "do", "else", "end", "except", "false", "fetch", "for",
	"foreign", "freeze", "from", "full", "grant", "group", "having", "ilike", "in",
	"initially", "inner", "intersect", "into", "is", "isnull", "join", "lateral",
	"leading", "left", "like", "limit", "localtime", "localtimestamp", "natural",
	"not", "notnull", "null", "offset", "on", "only", "or", "order", "outer",
	"overlaps", "placing", "primary", "references", "returning", "right",
	"select", "session_user", "similar", "some", "symmetric", "system_user",
	"table", "tablesample", "then", "to", "trailing", "true", "union", "unique",
	"user", "using", "variadic", "verbose", "when", "where", "window", "with",
}

func unwrapModuleErr(err error) error {
	if e, ok := err.(*module.InvalidPathError); ok {
		return e.Err
	}
	return err
}

// StringList reads a list of strings as YAML or flags give it ([]string or
// []any of strings), as a fresh slice.
func StringList(v any) ([]string, error) {
	switch x := v.(type) {
	case []string:
		return slices.Clone(x), nil
	case []any:
		list := make([]string, 0, len(x))
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, fmt.Errorf("%v is not a list of strings", v)
			}
			list = append(list, s)
		}
		return list, nil
	}
	return nil, fmt.Errorf("%v is not a list of strings", v)
}
