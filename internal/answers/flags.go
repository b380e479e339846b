package answers

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/agencystandard/kit/generator"
)

// AddFlags registers one flag per question that declares one. Flags whose
// name is already taken (two sets asking the same question) are skipped.
func AddFlags(f *pflag.FlagSet, questions []generator.Question) {
	for _, q := range questions {
		if q.Flag == "" || f.Lookup(q.Flag) != nil {
			continue
		}
		usage := fmt.Sprintf("%s (--set %s=...)", strings.TrimSuffix(q.Prompt, "?"), q.Key)
		if len(q.Options) > 0 {
			usage += ": " + strings.Join(q.Options, ", ")
		}
		switch q.Type {
		case generator.TypeMultiSelect:
			f.StringSlice(q.Flag, nil, usage)
		case generator.TypeBool:
			f.Var(&answerFlag{typ: "bool"}, q.Flag, usage)
			f.Lookup(q.Flag).NoOptDefVal = "true"
		case generator.TypeInt:
			f.Var(&answerFlag{typ: "int"}, q.Flag, usage)
		default:
			f.Var(&answerFlag{typ: "string"}, q.Flag, usage)
		}
		// Help shows the question's default ("<name> service" for one
		// computed from other answers); the flag itself stays unset, so an
		// answer from --set or a file still counts.
		if text, ok := q.DefaultText(nil); ok {
			if q.Type == generator.TypeMultiSelect {
				if v, err := q.DefaultValue(nil); err == nil {
					text = "[" + strings.Join(v.([]string), ",") + "]"
				}
			}
			f.Lookup(q.Flag).DefValue = text
		}
	}
}

// RegisterCompletions makes the shell complete the flags of select and
// multiselect questions with their options (a multiselect flag one
// comma-separated item at a time).
func RegisterCompletions(cmd *cobra.Command, questions []generator.Question) {
	for _, q := range questions {
		if q.Flag == "" || len(q.Options) == 0 || cmd.Flags().Lookup(q.Flag) == nil {
			continue
		}
		options, multi := q.Options, q.Type == generator.TypeMultiSelect
		// A flag registered twice (two sets asking the same question) is
		// an error cobra reports; the first registration wins.
		_ = cmd.RegisterFlagCompletionFunc(q.Flag, func(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			if !multi {
				return options, cobra.ShellCompDirectiveNoFileComp
			}
			return CompleteList(options, toComplete), cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
		})
	}
}

// CompleteList completes one item of a comma-separated list: each choice
// not already in it, after the items typed so far. Choices may carry a
// description after a tab, as cobra completions do.
func CompleteList(choices []string, toComplete string) []string {
	prefix, done := "", map[string]bool{}
	if i := strings.LastIndex(toComplete, ","); i >= 0 {
		prefix = toComplete[:i+1]
		for _, p := range strings.Split(toComplete[:i], ",") {
			done[strings.ToLower(strings.TrimSpace(p))] = true
		}
	}
	var out []string
	for _, c := range choices {
		name, _, _ := strings.Cut(c, "\t")
		if !done[strings.ToLower(name)] {
			out = append(out, prefix+c)
		}
	}
	return out
}

// FlagValues returns the answers given by the questions' flags on cmd, by
// question key.
func FlagValues(cmd *cobra.Command, questions []generator.Question) map[string]any {
	out := map[string]any{}
	for _, q := range questions {
		if q.Flag == "" || !cmd.Flags().Changed(q.Flag) {
			continue
		}
		if q.Type == generator.TypeMultiSelect {
			v, _ := cmd.Flags().GetStringSlice(q.Flag)
			out[q.Key] = v
		} else {
			out[q.Key] = cmd.Flags().Lookup(q.Flag).Value.String()
		}
	}
	return out
}

// answerFlag holds a flag's text as given; the question parses and validates
// it, so that flags, --set and answers files report errors the same way.
// Its type name only shapes the help text.
type answerFlag struct{ val, typ string }

func (f *answerFlag) String() string     { return f.val }
func (f *answerFlag) Set(s string) error { f.val = s; return nil }
func (f *answerFlag) Type() string       { return f.typ }
