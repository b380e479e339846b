// Package gitrepo creates the first commit of a generated repository.
package gitrepo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

// ErrNoGit means the git command is not installed.
var ErrNoGit = errors.New("git is not installed")

// Available reports whether the git command can be run.
func Available() bool {
	_, err := exec.LookPath("git")
	return err == nil
}

// InitAndCommit runs `git init`, stages everything and commits it with
// message. When the user has no git identity configured, the commit is
// authored by "kit" so that generation never fails on a fresh machine.
func InitAndCommit(ctx context.Context, dir, message string) error {
	if !Available() {
		return ErrNoGit
	}
	if err := run(ctx, dir, nil, "init", "--quiet", "--initial-branch=main"); err != nil {
		// git before 2.28 lacks --initial-branch.
		if err := run(ctx, dir, nil, "init", "--quiet"); err != nil {
			return err
		}
	}
	if err := run(ctx, dir, nil, "add", "--all"); err != nil {
		return err
	}
	var env []string
	if out, err := output(ctx, dir, "config", "user.email"); err != nil || strings.TrimSpace(out) == "" {
		env = []string{
			"GIT_AUTHOR_NAME=kit", "GIT_AUTHOR_EMAIL=kit@localhost",
			"GIT_COMMITTER_NAME=kit", "GIT_COMMITTER_EMAIL=kit@localhost",
		}
	}
	return run(ctx, dir, env, "-c", "commit.gpgsign=false", "commit", "--quiet", "--no-verify", "-m", message)
}

func run(ctx context.Context, dir string, env []string, args ...string) error {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	// On cancellation git is killed; do not wait long for children of its
	// that still hold the output pipe.
	cmd.WaitDelay = time.Second
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

func output(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	cmd.WaitDelay = time.Second
	out, err := cmd.Output()
	return string(out), err
}
