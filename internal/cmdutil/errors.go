// Package cmdutil holds what every kit command shares: the error kinds that
// decide the exit status.
package cmdutil

import (
	"errors"
	"fmt"
	"strings"
)

// FlagError is a usage error: bad flags, arguments or answers. It exits 2.
type FlagError struct{ Err error }

func (e *FlagError) Error() string { return e.Err.Error() }
func (e *FlagError) Unwrap() error { return e.Err }

// FlagErrorf formats a usage error.
func FlagErrorf(format string, args ...any) error {
	return &FlagError{Err: fmt.Errorf(format, args...)}
}

// ErrInterrupted reports that the user stopped the command (Ctrl-C). It
// exits 130, as a shell does for SIGINT.
var ErrInterrupted = errors.New("interrupted")

// ErrCancelled reports that the user declined to go on when asked to
// confirm. It exits 1.
var ErrCancelled = errors.New("cancelled")

// Examples indents an example block the way cobra's help expects.
func Examples(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = "  " + l
		}
	}
	return strings.Join(lines, "\n")
}

// Exit statuses shared by the commands that change a repository.
const (
	// ExitConflicts means the command finished but left conflict markers.
	ExitConflicts = 3
)

// ExitError ends the command with Code; the command has already reported
// why, so nothing more is printed.
type ExitError struct{ Code int }

func (e *ExitError) Error() string { return fmt.Sprintf("exit status %d", e.Code) }
