// Package prompt asks kit's questions on a terminal.
package prompt

import (
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/AlecAivazis/survey/v2"
	"github.com/AlecAivazis/survey/v2/terminal"

	"github.com/agencystandard/kit/generator"
)

// ErrInterrupted is returned when the user presses Ctrl-C or Ctrl-D at a
// prompt, or the terminal's input ends.
var ErrInterrupted = errors.New("interrupted")

// Prompter asks questions interactively.
type Prompter struct {
	opts []survey.AskOpt
}

// New returns a Prompter on the given terminal streams. in and out must be
// terminal files (they are, whenever iostreams.CanPrompt is true).
func New(in io.Reader, out, errOut io.Writer) (*Prompter, error) {
	fin, ok := in.(terminal.FileReader)
	if !ok {
		return nil, errors.New("prompt: input is not a terminal")
	}
	fout, ok := out.(terminal.FileWriter)
	if !ok {
		return nil, errors.New("prompt: output is not a terminal")
	}
	return &Prompter{opts: []survey.AskOpt{survey.WithStdio(eofAsInterrupt{fin}, fout, errOut)}}, nil
}

// eofAsInterrupt turns Ctrl-D into Ctrl-C. survey takes Ctrl-D for Enter,
// which accepts the default shown; a user pressing it means to stop.
type eofAsInterrupt struct{ terminal.FileReader }

func (r eofAsInterrupt) Read(p []byte) (int, error) {
	n, err := r.FileReader.Read(p)
	for i := range p[:n] {
		if p[i] == byte(terminal.KeyEndTransmission) {
			p[i] = byte(terminal.KeyInterrupt)
		}
	}
	return n, err
}

// Ask asks q, offering def (which may be nil), and returns the validated
// answer in the question's type.
func (p *Prompter) Ask(q *generator.Question, def any) (any, error) {
	validate := func(v any) error {
		switch x := v.(type) {
		case string:
			_, err := q.Parse(x)
			return err
		case survey.OptionAnswer:
			_, err := q.Parse(x.Value)
			return err
		case []survey.OptionAnswer:
			list := make([]string, len(x))
			for i, o := range x {
				list[i] = o.Value
			}
			_, err := q.Coerce(list)
			return err
		}
		return nil
	}
	message := q.Prompt
	switch q.Type {
	case generator.TypeBool:
		d, _ := def.(bool)
		var b bool
		if err := p.ask(&survey.Confirm{Message: message, Help: q.Help, Default: d}, &b); err != nil {
			return nil, err
		}
		return b, nil
	case generator.TypeSelect:
		d, _ := def.(string)
		sel := &survey.Select{Message: message, Help: q.Help, Options: q.Options}
		if d != "" {
			sel.Default = d
		}
		var s string
		if err := p.ask(sel, &s); err != nil {
			return nil, err
		}
		return q.Parse(s)
	case generator.TypeMultiSelect:
		d, _ := def.([]string)
		var list []string
		ms := &survey.MultiSelect{Message: message, Help: q.Help, Options: q.Options, Default: d}
		if err := p.ask(ms, &list, survey.WithValidator(validate)); err != nil {
			return nil, err
		}
		return q.Coerce(list)
	default:
		in := &survey.Input{Message: message, Help: q.Help}
		switch d := def.(type) {
		case string:
			in.Default = d
		case int:
			in.Default = strconv.Itoa(d)
		}
		var s string
		if err := p.ask(in, &s, survey.WithValidator(survey.Required), survey.WithValidator(validate)); err != nil {
			return nil, err
		}
		return q.Parse(s)
	}
}

func (p *Prompter) ask(prompt survey.Prompt, answer any, extra ...survey.AskOpt) error {
	err := survey.AskOne(prompt, answer, append(append([]survey.AskOpt{}, p.opts...), extra...)...)
	if errors.Is(err, terminal.InterruptErr) || errors.Is(err, io.EOF) {
		return ErrInterrupted
	}
	if err != nil {
		return fmt.Errorf("prompt: %w", err)
	}
	return nil
}

// Confirm asks a yes/no question.
func (p *Prompter) Confirm(message string, def bool) (bool, error) {
	var ok bool
	err := p.ask(&survey.Confirm{Message: message, Default: def}, &ok)
	return ok, err
}

// MultiSelect asks for any number of options, each shown with its
// description; def lists those checked at first.
func (p *Prompter) MultiSelect(message, help string, options []string, describe func(string) string, def []string) ([]string, error) {
	ms := &survey.MultiSelect{Message: message, Help: help, Options: options}
	if len(def) > 0 {
		ms.Default = def
	}
	if describe != nil {
		ms.Description = func(value string, _ int) string { return describe(value) }
	}
	var list []string
	if err := p.ask(ms, &list); err != nil {
		return nil, err
	}
	return list, nil
}
