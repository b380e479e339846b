//go:build !windows

package newcmd

import (
	"context"
	"errors"
	"github.com/agencystandard/kit/internal/cmdutil/cmdtest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	expect "github.com/Netflix/go-expect"
	"github.com/creack/pty"
	"github.com/hinshun/vt10x"

	"github.com/agencystandard/kit/internal/cmdutil"
	"github.com/agencystandard/kit/internal/iostreams"
)

const (
	keyDown  = "\x1b[B"
	keyEnter = "\r"
	// Keys that end the command.
	keyCtrlC = "\x03"
	keyCtrlD = "\x04"
)

// newConsole opens a pseudo-terminal with a terminal emulator behind it,
// as survey's own tests do; it is closed when the test ends.
func newConsole(t *testing.T) (*expect.Console, vt10x.Terminal) {
	t.Helper()
	ptm, tty, err := pty.Open()
	if err != nil {
		t.Fatalf("open pseudo-terminal: %v", err)
	}
	term := vt10x.New(vt10x.WithWriter(tty))
	c, err := expect.NewConsole(expect.WithStdin(ptm), expect.WithStdout(term),
		expect.WithCloser(ptm, tty), expect.WithDefaultTimeout(30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, term
}

// TestInteractiveMatchesFlags answers every prompt on a pseudo-terminal, as a
// user would, and checks that the result is the repository the equivalent
// flags produce.
func TestInteractiveMatchesFlags(t *testing.T) {
	base := t.TempDir()
	interactive := filepath.Join(base, "interactive")

	c, term := newConsole(t)

	done, ended := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		failed := false
		step := func(want, send string) {
			if failed {
				return
			}
			if _, err := c.ExpectString(want); err != nil {
				t.Errorf("waiting for %q: %v\nscreen:\n%s", want, err, term.String())
				failed = true
				go interrupt(c, ended)
				return
			}
			c.Send(send)
		}
		step("Go module path", "example.com/demo"+keyEnter)
		step("Short description", keyEnter) // default
		step("HTTP port", "70000"+keyEnter) // rejected, asked again
		step("not a valid TCP port", strings.Repeat("\b", 5)+"9000"+keyEnter)
		step("Database name", keyEnter)
		step("OAuth providers", " "+keyDown+" "+keyEnter) // google and github
		step("Include the example", "n"+keyEnter)
		step("CI provider", keyEnter)
		step("License", keyDown+keyEnter) // Apache-2.0
		step("Copyright holder", "Acme Corp"+keyEnter)
		step("Deployment targets", keyEnter)                        // both, the default
		step("Cartridges to include", keyDown+keyDown+" "+keyEnter) // email, the third (admin, billing, email, webhooks)
		step("Brand name shown in e-mails", "Acme Mail"+keyEnter)
		step("Directory", "")
		step("Write the project to", keyEnter) // yes
		c.ExpectEOF()
	}()

	ios := iostreams.Terminal(c.Tty())
	cmd := NewCmdNew(testFactory(ios), nil)
	cmd.SetArgs([]string{"demo", "--no-git", "--dir", interactive})
	cmd.SetOut(c.Tty())
	cmd.SetErr(c.Tty())
	watchdog := watch(t, c, ended, 2*time.Minute)
	err := cmd.ExecuteContext(context.Background())
	close(ended)
	watchdog.Stop()
	c.Tty().Close()
	<-done
	if err != nil {
		t.Fatalf("kit new (interactive): %v\nscreen:\n%s", err, term.String())
	}

	flagged := filepath.Join(base, "flags")
	ios2, _, _, stderr := iostreams.Test()
	cmd2 := NewCmdNew(testFactory(ios2), nil)
	cmd2.SetArgs([]string{"demo", "--no-git", "--dir", flagged, "--module", "example.com/demo",
		"--port", "9000", "--oauth", "google,github", "--example-module=false", "--license", "Apache-2.0",
		"--copyright", "Acme Corp", "--cartridge", "email", "--email-brand", "Acme Mail", "--yes"})
	if err := cmd2.ExecuteContext(context.Background()); err != nil {
		t.Fatalf("kit new (flags): %v\n%s", err, stderr)
	}
	assertSameTree(t, interactive, flagged)
}

func assertSameTree(t *testing.T, a, b string) {
	t.Helper()
	ta, tb := fileMap(t, a), fileMap(t, b)
	for p, data := range ta {
		if other, ok := tb[p]; !ok {
			t.Errorf("only in %s: %s", a, p)
		} else if other != data {
			t.Errorf("%s differs", p)
		}
	}
	for p := range tb {
		if _, ok := ta[p]; !ok {
			t.Errorf("only in %s: %s", b, p)
		}
	}
	if len(ta) < 2 {
		t.Errorf("%s holds only %d files", a, len(ta))
	}
}

func fileMap(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[rel] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestInteractiveCtrlCWritesNothing presses Ctrl-C at a prompt.
func TestInteractiveCtrlCWritesNothing(t *testing.T) {
	testInteractiveKeyWritesNothing(t, keyCtrlC)
}

// TestInteractiveCtrlDWritesNothing presses Ctrl-D at a prompt: it stops
// kit as Ctrl-C does, rather than accepting the default shown.
func TestInteractiveCtrlDWritesNothing(t *testing.T) {
	testInteractiveKeyWritesNothing(t, keyCtrlD)
}

func testInteractiveKeyWritesNothing(t *testing.T, key string) {
	dir := filepath.Join(t.TempDir(), "demo")
	c, _ := newConsole(t)
	done, ended := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		if _, err := c.ExpectString("Go module path"); err != nil {
			t.Errorf("no prompt: %v", err)
			go interrupt(c, ended)
			return
		}
		if !pressUntilEnd(c, key) {
			t.Errorf("the command did not end after %q", key)
			go interrupt(c, ended)
		}
	}()
	cmd := NewCmdNew(testFactory(iostreams.Terminal(c.Tty())), nil)
	cmd.SetArgs([]string{"demo", "--dir", dir})
	watchdog := watch(t, c, ended, time.Minute)
	err := cmd.ExecuteContext(context.Background())
	close(ended)
	watchdog.Stop()
	c.Tty().Close()
	<-done
	if !errors.Is(err, cmdutil.ErrInterrupted) {
		t.Fatalf("err = %v, want ErrInterrupted", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s exists after Ctrl-C", dir)
	}
}

// runInteractive runs kit new on a pseudo-terminal, driving it with script,
// and returns the command's error and what the terminal showed.
func runInteractive(t *testing.T, args []string, script func(step func(want, send string) bool)) (error, string) {
	t.Helper()
	c, term := newConsole(t)
	done, ended := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		failed := false
		script(func(want, send string) bool {
			if failed {
				return false
			}
			if _, err := c.ExpectString(want); err != nil {
				t.Errorf("waiting for %q: %v\nscreen:\n%s", want, err, term.String())
				failed = true
				go interrupt(c, ended)
				return false
			}
			if send == keyCtrlC || send == keyCtrlD {
				// A key that ends the command: see pressUntilEnd.
				if !pressUntilEnd(c, send) {
					t.Errorf("the command did not end after %q\nscreen:\n%s", send, term.String())
					failed = true
					go interrupt(c, ended)
				}
				return !failed
			}
			c.Send(send)
			return true
		})
		c.ExpectEOF()
	}()
	cmd := NewCmdNew(testFactory(iostreams.Terminal(c.Tty())), nil)
	cmd.SetArgs(args)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetOut(c.Tty())
	cmd.SetErr(c.Tty())
	watchdog := watch(t, c, ended, time.Minute)
	err := cmd.ExecuteContext(context.Background())
	close(ended)
	watchdog.Stop()
	c.Tty().Close()
	<-done
	return err, term.String()
}

// interrupt presses Ctrl-C until the command under test ends. Closing the
// terminal does not wake a prompt blocked reading it, so a test that lost
// its place in the dialogue (a question it did not expect) would otherwise
// hang the whole suite instead of failing.
func interrupt(c *expect.Console, ended <-chan struct{}) {
	for i := 0; i < 120; i++ {
		select {
		case <-ended:
			return
		default:
		}
		c.Send(keyCtrlC)
		time.Sleep(250 * time.Millisecond)
	}
}

// watch fails the test and interrupts the command if it is still running
// after d.
func watch(t *testing.T, c *expect.Console, ended <-chan struct{}, d time.Duration) *time.Timer {
	return time.AfterFunc(d, func() {
		t.Errorf("kit new still running after %s", d)
		interrupt(c, ended)
	})
}

// pressUntilEnd sends key until the command ends: survey draws a prompt
// before it puts the terminal in raw mode, and a Ctrl-C arriving in between
// is eaten by the terminal's line discipline, so once is not enough.
func pressUntilEnd(c *expect.Console, key string) bool {
	for i := 0; i < 40; i++ {
		c.Send(key)
		if _, err := c.Expect(expect.EOF, expect.WithTimeout(250*time.Millisecond)); err == nil {
			return true
		}
	}
	return false
}

// TestInteractiveTakenNameAskedAgain answers the name prompt with a
// non-empty directory: kit says so and asks the name again before any
// other question.
func TestInteractiveTakenNameAskedAgain(t *testing.T) {
	base := t.TempDir()
	t.Chdir(base)
	if err := os.MkdirAll(filepath.Join("taken", "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	err, screen := runInteractive(t, []string{"--no-git"}, func(step func(want, send string) bool) {
		_ = step("Project name", "taken"+keyEnter) &&
			step("target directory ./taken exists and is not empty", "") &&
			step("Project name", "fresh"+keyEnter) &&
			step("Go module path", keyCtrlC)
	})
	if !errors.Is(err, cmdutil.ErrInterrupted) {
		t.Fatalf("err = %v, want ErrInterrupted\nscreen:\n%s", err, screen)
	}
	if _, err := os.Stat("fresh"); !errors.Is(err, os.ErrNotExist) {
		t.Error("fresh was created")
	}
}

// TestInteractiveTakenDirBeforePrompts refuses a non-empty --dir before
// asking anything.
func TestInteractiveTakenDirBeforePrompts(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	err, screen := runInteractive(t, []string{"--dir", dir}, func(func(string, string) bool) {})
	if err == nil || !strings.Contains(err.Error(), "exists and is not empty") {
		t.Fatalf("err = %v, want the non-empty error\nscreen:\n%s", err, screen)
	}
	if strings.Contains(screen, "Project name") {
		t.Errorf("asked a question first:\n%s", screen)
	}
}

// TestInteractiveSummaryDeclined shows the answers and writes nothing when
// the user declines.
func TestInteractiveSummaryDeclined(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	args := []string{"demo", "--dir", dir, "--no-git", "--module", "example.com/demo", "--description", "A demo",
		"--port", "9000", "--db-name", "demo", "--oauth", "github", "--example-module=false", "--ci", "none",
		"--license", "mit", "--copyright", "Me", "--deploy", "compose", "--cartridge", "email", "--email-brand", "Demo"}
	err, screen := runInteractive(t, args, func(step func(want, send string) bool) {
		_ = step("Write the project to", "n"+keyEnter)
	})
	if !errors.Is(err, cmdutil.ErrCancelled) {
		t.Fatalf("err = %v, want ErrCancelled\nscreen:\n%s", err, screen)
	}
	for _, want := range []string{"HTTP port", "9000", "License", "MIT", "Cartridges", "email", "Brand name shown in e-mails", "Demo", dir} {
		if !strings.Contains(screen, want) {
			t.Errorf("the summary lacks %q:\n%s", want, screen)
		}
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s exists after declining", dir)
	}
}

func testFactory(ios *iostreams.IOStreams) *cmdutil.Factory { return cmdtest.Factory(ios) }
