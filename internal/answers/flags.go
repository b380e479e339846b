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
	}
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
