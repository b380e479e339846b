package newcmd

import (
	"fmt"
	"slices"
	"strings"

	"github.com/agencystandard/kit/generator"
	"github.com/agencystandard/kit/internal/answers"
	"github.com/agencystandard/kit/internal/cmdutil"
	"github.com/agencystandard/kit/internal/project"
	"github.com/agencystandard/kit/internal/prompt"
)

// targetChecker asks the project name again, right away, when its target
// directory is taken, rather than after every other question.
type targetChecker struct {
	answers.Asker
	opts *Options
}

func (a *targetChecker) Ask(q *generator.Question, def any) (any, error) {
	for {
		v, err := a.Asker.Ask(q, def)
		if err != nil || q.Key != "name" || a.opts.Dir != "" {
			return v, err
		}
		name, _ := v.(string)
		err = a.opts.checkTarget(a.opts.target(name))
		if err == nil {
			return v, nil
		}
		fmt.Fprintf(a.opts.IO.ErrOut, "kit: %v\n", err)
	}
}

// checkCartridgeAnswers refuses answers (flags, or --set and answers-file
// keys in given) to questions of cartridges that are not included.
func checkCartridgeAnswers(cat *generator.Catalog, questions []generator.Question, flags map[string]any, given *answers.Given) error {
	asked := map[string]bool{}
	for _, q := range questions {
		asked[q.Key] = true
	}
	for _, q := range allQuestions(cat) {
		if asked[q.Key] {
			continue
		}
		if _, ok := flags[q.Key]; ok {
			return cmdutil.FlagErrorf("--%s answers a cartridge's question; add that cartridge with --cartridge", q.Flag)
		}
		if _, ok := given.Values[q.Key]; ok {
			return cmdutil.FlagErrorf("%s answers a cartridge's question; add that cartridge with --cartridge", given.Source[q.Key])
		}
	}
	return nil
}

// chooseCartridges offers the catalog's cartridges, those whose questions
// were answered already checked, and returns the chosen ones with the
// questions of the chassis and of them.
func (o *Options) chooseCartridges(p *prompt.Prompter, set *generator.TemplateSet, given *answers.Given) ([]*generator.TemplateSet, []generator.Question, error) {
	names := o.Catalog.CartridgeNames()
	var checked []string
	for _, n := range names {
		c, _ := o.Catalog.Cartridge(n)
		for _, q := range c.Manifest.Questions {
			if _, ok := given.Values[q.Key]; ok && !slices.Contains(checked, n) {
				checked = append(checked, n)
			}
		}
	}
	describe := func(n string) string {
		c, _ := o.Catalog.Cartridge(n)
		return c.Manifest.Description
	}
	chosen, err := p.MultiSelect("Cartridges to include", "Optional modules; kit add cartridge adds them later too.", names, describe, checked)
	if err != nil {
		return nil, nil, err
	}
	o.Cartridges = chosen
	carts, err := o.cartridges()
	if err != nil {
		return nil, nil, err
	}
	questions := project.QuestionsOf(append([]*generator.TemplateSet{set}, carts...))
	if err := checkCartridgeAnswers(o.Catalog, questions, o.flagValues, given); err != nil {
		return nil, nil, err
	}
	return carts, questions, nil
}

// resolveAgain settles the questions of chosen cartridges, the answers
// settled so far standing as given.
func resolveAgain(questions []generator.Question, given *answers.Given, settled map[string]any, ask answers.Asker) (map[string]any, error) {
	for k, v := range settled {
		if _, ok := given.Values[k]; !ok {
			given.Put(k, v, k)
		}
	}
	return answers.Resolve(questions, given, ask, false)
}

// confirm shows every answer and asks before anything is written.
func (o *Options) confirm(p *prompt.Prompter, questions []generator.Question, carts []*generator.TemplateSet, settled map[string]any) error {
	type row struct{ label, value string }
	var rows []row
	for _, q := range questions {
		rows = append(rows, row{strings.TrimSuffix(q.Prompt, "?"), generator.FormatAnswer(settled[q.Key])})
	}
	var names []string
	for _, c := range carts {
		names = append(names, c.Manifest.Name)
	}
	rows = append(rows, row{"Cartridges", generator.FormatAnswer(names)})
	dir := displayDir(o.target(settled["name"].(string)))
	rows = append(rows, row{"Directory", dir})
	width := 0
	for _, r := range rows {
		width = max(width, len(r.label))
	}
	w := o.IO.ErrOut
	fmt.Fprintln(w, "\nkit new will write:")
	for _, r := range rows {
		fmt.Fprintf(w, "  %-*s  %s\n", width, r.label, r.value)
	}
	fmt.Fprintln(w)
	ok, err := p.Confirm("Write the project to "+dir+"?", true)
	if err != nil {
		return err
	}
	if !ok {
		return cmdutil.ErrCancelled
	}
	return nil
}
