// Package project moves a generated repository from the state kit last
// wrote to a new one — a newer template, more cartridges, changed answers —
// by a three-way merge that keeps the user's edits. `kit update`, `kit add
// cartridge`, `kit diff` and `kit check` are built on it.
package project

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/agencystandard/kit/generator"
	"github.com/agencystandard/kit/generator/codemod"
	"github.com/agencystandard/kit/internal/answers"
)

// Repo is a generated repository on disk.
type Repo struct {
	Root  string
	State *generator.State
}

// Open reads the repository at dir.
func Open(dir string) (*Repo, error) {
	root, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	st, err := generator.ReadState(root)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s has no %s: run kit in a repository that kit generated (or pass --dir)", dir, generator.StateFile)
	}
	if err != nil {
		return nil, err
	}
	if st.Answers == nil {
		st.Answers = map[string]any{}
	}
	if st.Files == nil {
		st.Files = map[string]string{}
	}
	return &Repo{Root: root, State: st}, nil
}

// Installed reports whether the cartridge is in the repository.
func (r *Repo) Installed(name string) bool {
	for _, c := range r.State.Cartridges {
		if c.Name == name {
			return true
		}
	}
	return false
}

// Target describes the state to move to.
type Target struct {
	Chassis    *generator.TemplateSet
	Cartridges []*generator.TemplateSet
	// Answers are the new answers; Resolve fills them.
	Answers map[string]any
}

// Questions returns the questions of every set of the target, chassis first,
// each key once.
func (t *Target) Questions() []generator.Question { return QuestionsOf(t.sets()) }

// QuestionsOf lists the questions of sets in order, each key once.
func QuestionsOf(sets []*generator.TemplateSet) []generator.Question {
	var qs []generator.Question
	seen := map[string]bool{}
	for _, s := range sets {
		for _, q := range s.Manifest.Questions {
			if !seen[q.Key] {
				seen[q.Key] = true
				qs = append(qs, q)
			}
		}
	}
	return qs
}

func (t *Target) sets() []*generator.TemplateSet {
	return append([]*generator.TemplateSet{t.Chassis}, t.Cartridges...)
}

func (t *Target) cartridgeNames() []string {
	var names []string
	for _, c := range t.Cartridges {
		names = append(names, c.Manifest.Name)
	}
	return names
}

// Resolve settles the target's answers: the repository's recorded answers,
// overridden by the inputs, with new questions asked or defaulted.
func (t *Target) Resolve(r *Repo, in answers.Inputs, ask answers.Asker, yes bool) error {
	qs := t.Questions()
	g := answers.NewGiven()
	for _, q := range qs {
		if v, ok := r.State.Answers[q.Key]; ok {
			g.Put(q.Key, v, fmt.Sprintf("%s (answer %s)", generator.StateFile, q.Key))
			g.Recorded[q.Key] = true
		}
	}
	if err := in.Collect(qs, g); err != nil {
		return err
	}
	a, err := answers.Resolve(qs, g, ask, yes)
	if err != nil {
		return err
	}
	t.Answers = a
	return nil
}

// NewQuestions lists the target's questions the repository has no answer for.
func (t *Target) NewQuestions(r *Repo) []string {
	var keys []string
	for _, q := range t.Questions() {
		if _, ok := r.State.Answers[q.Key]; !ok {
			keys = append(keys, q.Key)
		}
	}
	return keys
}

// Plan is a computed update, not yet applied.
type Plan struct {
	Changes []generator.Change
	State   *generator.State
	// StateData is the new .kit.yaml.
	StateData []byte
	// UnknownBase names sets whose recorded version this kit cannot rebuild;
	// their files were planned two-way.
	UnknownBase []string
	// From and To are the recorded and new set versions.
	From, To []generator.SetRef
}

// Conflicts counts files left with conflict markers.
func (p *Plan) Conflicts() int {
	n := 0
	for _, c := range p.Changes {
		if c.Outcome.IsConflict() {
			n++
		}
	}
	return n
}

// Empty reports whether applying the plan would change nothing at all.
func (p *Plan) Empty(r *Repo) bool {
	for _, c := range p.Changes {
		if c.Modifies() {
			return false
		}
	}
	old, err := os.ReadFile(filepath.Join(r.Root, generator.StateFile))
	return err == nil && bytes.Equal(old, p.StateData)
}

// MakePlan renders the base (what kit last wrote) and the target, and plans
// the merge into the working tree.
func MakePlan(ctx context.Context, r *Repo, cat *generator.Catalog, t *Target, kitVersion string) (*Plan, error) {
	p := &Plan{}
	// The base: each set at its recorded version, with the recorded answers.
	var baseSets []*generator.TemplateSet
	var baseNames []string
	recorded := append([]generator.SetRef{r.State.Template}, r.State.Cartridges...)
	for i, ref := range recorded {
		if ref.Release == "" {
			ref.Release = cat.ReleaseOf(ref.Name, ref.Version)
		}
		p.From = append(p.From, ref)
		if i > 0 {
			baseNames = append(baseNames, ref.Name)
		}
		set, err := cat.Version(ref.Name, ref.Version)
		if errors.Is(err, generator.ErrUnknownVersion) {
			p.UnknownBase = append(p.UnknownBase, ref.Name+" "+ref.Version)
			continue
		}
		if err != nil {
			return nil, err
		}
		baseSets = append(baseSets, set)
	}
	base, err := generator.RenderSets(ctx, baseSets, r.State.Answers, baseNames)
	if err != nil {
		return nil, fmt.Errorf("rebuild what kit last wrote: %w", err)
	}
	target, err := generator.RenderSets(ctx, t.sets(), t.Answers, t.cartridgeNames())
	if err != nil {
		return nil, err
	}
	renames, err := t.renames()
	if err != nil {
		return nil, err
	}
	to, err := generator.Refs(t.sets())
	if err != nil {
		return nil, err
	}
	p.To = append(p.To, to...)
	p.Changes, err = generator.Plan(generator.PlanInput{
		Root: r.Root, State: r.State, Base: base, Target: target, Renames: renames,
		Label: "kit " + kitVersion,
	})
	if err != nil {
		return nil, err
	}
	// Carry the user's code to the new API where this update changes one.
	toRelease := t.Chassis.Release
	if toRelease == "" {
		toRelease = kitVersion
	}
	if err := applyCodemods(r.Root, p, codemod.Due(p.From[0].Release, toRelease)); err != nil {
		return nil, fmt.Errorf("codemods: %w", err)
	}
	// Keep only answers the target asks for.
	kept := map[string]any{}
	for _, q := range t.Questions() {
		kept[q.Key] = t.Answers[q.Key]
	}
	p.State = generator.NewState(kitVersion, p.To, kept, generator.NewFiles(p.Changes))
	// Rewriting .kit.yaml for a new kit version alone is noise: keep the
	// recorded version when nothing else changes.
	if same := sameState(r.State, p.State); same {
		p.State.KitVersion = r.State.KitVersion
	}
	if p.StateData, err = p.State.Marshal(); err != nil {
		return nil, err
	}
	return p, nil
}

func sameState(a, b *generator.State) bool {
	// Different refs or files marshal differently: no need to marshal.
	if a.Template != b.Template || !slices.Equal(a.Cartridges, b.Cartridges) || !maps.Equal(a.Files, b.Files) {
		return false
	}
	ca := *a
	ca.KitVersion = b.KitVersion
	x, err1 := ca.Marshal()
	y, err2 := b.Marshal()
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}

// renames collects the target sets' declared renames, rendered.
func (t *Target) renames() (map[string]string, error) {
	data := generator.TemplateData(t.Answers, t.cartridgeNames())
	out := map[string]string{}
	for _, s := range t.sets() {
		for _, rn := range s.Manifest.Renames {
			from, err := generator.RenderString(s.Manifest.Name+" rename", rn.From, data)
			if err != nil {
				return nil, err
			}
			to, err := generator.RenderString(s.Manifest.Name+" rename", rn.To, data)
			if err != nil {
				return nil, err
			}
			out[from] = to
		}
	}
	return out, nil
}

// GitStatus reports whether root is inside a git work tree and whether
// tracked files have uncommitted changes.
func GitStatus(ctx context.Context, root string) (isRepo, dirty bool, err error) {
	if _, err := exec.LookPath("git"); err != nil {
		return false, false, nil
	}
	cmd := exec.CommandContext(ctx, "git", "status", "--porcelain", "--untracked-files=no")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) && strings.Contains(string(exitErr.Stderr), "not a git repository") {
			return false, false, nil
		}
		return false, false, fmt.Errorf("git status: %w", err)
	}
	return true, len(bytes.TrimSpace(out)) > 0, nil
}

// Verify builds and vets the repository (and runs its tests when tests is
// set), returning the failing command's output.
func Verify(ctx context.Context, root string, tests bool) error {
	steps := [][]string{{"go", "build", "./..."}, {"go", "vet", "./..."}, {"go", "mod", "tidy", "-diff"}}
	if tests {
		steps = append(steps, []string{"go", "test", "./..."})
	}
	var unknown *TidyUnknownError
	for _, s := range steps {
		cmd := exec.CommandContext(ctx, s[0], s[1:]...)
		cmd.Dir = root
		out, err := cmd.CombinedOutput()
		if err == nil {
			continue
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if s[1] == "mod" && offline(string(out)) {
			// Tidiness needs modules this machine cannot fetch: say so
			// rather than fail an update that builds.
			unknown = &TidyUnknownError{Output: tail(string(out), 5)}
			continue
		}
		return &VerifyError{Command: strings.Join(s, " "), Output: tail(string(out), 40), Err: err}
	}
	if unknown != nil {
		return unknown
	}
	return nil
}

// TidyUnknownError reports a verification that passed except that go mod
// tidy could not reach the modules it needs to decide.
type TidyUnknownError struct{ Output string }

func (e *TidyUnknownError) Error() string {
	return "could not check that go.mod and go.sum are tidy (the module proxy or cache lacks what go mod tidy needs); run go mod tidy -diff once online:\n" + e.Output
}

// offline recognises the go command failing to fetch modules.
func offline(out string) bool {
	for _, s := range []string{"dial tcp", "no such host", "GOPROXY=off", "module lookup disabled", "connection refused", "i/o timeout", "TLS handshake"} {
		if strings.Contains(out, s) {
			return true
		}
	}
	return false
}

// VerifyError is a failed verification step.
type VerifyError struct {
	Command, Output string
	Err             error
}

func (e *VerifyError) Error() string {
	return fmt.Sprintf("%s failed on the merged tree (%v):\n%s", e.Command, e.Err, e.Output)
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{"..."}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}

// SortedOutcomes returns the outcomes present in counts, in report order.
func SortedOutcomes(counts map[generator.Outcome]int) []generator.Outcome {
	var out []generator.Outcome
	for _, o := range generator.Outcomes {
		if counts[o] > 0 {
			out = append(out, o)
		}
	}
	return slices.Clip(out)
}
