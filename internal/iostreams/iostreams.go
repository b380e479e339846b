// Package iostreams carries the standard streams through the command tree so
// that commands never touch os.Stdin, os.Stdout or os.Stderr directly and
// tests can run them in-process.
package iostreams

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"golang.org/x/term"
)

// IOStreams holds the streams a command reads from and writes to. Data goes
// to Out; status, progress and errors go to ErrOut.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	stdinTTY, stdoutTTY, stderrTTY bool
	color                          bool
}

// System returns streams bound to the process's standard streams.
func System() *IOStreams {
	isTTY := func(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }
	s := &IOStreams{
		In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		stdinTTY: isTTY(os.Stdin), stdoutTTY: isTTY(os.Stdout), stderrTTY: isTTY(os.Stderr),
	}
	_, noColor := os.LookupEnv("NO_COLOR")
	s.color = s.stderrTTY && !noColor && os.Getenv("TERM") != "dumb"
	return s
}

// Test returns streams backed by buffers, none of them a terminal.
func Test() (s *IOStreams, in, out, errOut *bytes.Buffer) {
	in, out, errOut = &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut}, in, out, errOut
}

// Terminal returns streams bound to one terminal file (a pseudo-terminal in
// tests), all three of them interactive.
func Terminal(f *os.File) *IOStreams {
	return &IOStreams{In: f, Out: f, ErrOut: f, stdinTTY: true, stdoutTTY: true, stderrTTY: true}
}

// CanPrompt reports whether questions can be asked: both input and output
// must be a terminal.
func (s *IOStreams) CanPrompt() bool { return s.stdinTTY && s.stdoutTTY }

// Success prints a status line to ErrOut, marked with a check on a terminal.
func (s *IOStreams) Success(format string, args ...any) {
	mark := ""
	if s.stderrTTY {
		mark = "✓ "
		if s.color {
			mark = "\x1b[32m✓\x1b[0m "
		}
	}
	fmt.Fprintf(s.ErrOut, mark+format+"\n", args...)
}

// Notice prints a status line to ErrOut, marked on a terminal.
func (s *IOStreams) Notice(format string, args ...any) {
	mark := ""
	if s.stderrTTY {
		mark = "! "
		if s.color {
			mark = "\x1b[33m!\x1b[0m "
		}
	}
	fmt.Fprintf(s.ErrOut, mark+format+"\n", args...)
}
