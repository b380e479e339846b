package generator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/agencystandard/kit/generator/internal/parallel"
	"github.com/agencystandard/kit/generator/merge"
)

// planners is how many paths Plan plans at once.
const planners = 8

// Outcome is what an update does to one file.
type Outcome string

const (
	Unchanged        Outcome = "unchanged"                  // neither side changed it, or both made the same change
	Updated          Outcome = "updated"                    // the template changed it; the user had not
	UserChangeKept   Outcome = "user change kept"           // the user changed it; the template had not
	MergedClean      Outcome = "merged"                     // both changed it, in different places
	Conflict         Outcome = "conflict"                   // both changed the same lines: markers written
	Added            Outcome = "added"                      // new in the template
	AddedConflict    Outcome = "added, conflict"            // new in the template, but a user file is there
	Deleted          Outcome = "deleted"                    // removed from the template, untouched by the user
	DeletedKept      Outcome = "deleted by template, kept"  // removed from the template, but the user edited it
	UserDeleted      Outcome = "deleted by you"             // the user deleted it; it stays deleted
	BinaryNew        Outcome = "binary, new version beside" // both changed a binary file: <path>.kit-new
	Renamed          Outcome = "renamed"                    // moved by the template; the user's edits moved along
	RenamedConflict  Outcome = "renamed, conflict"          // moved, and both changed it in the same lines
	UserOwnedSkipped Outcome = "user-owned, untouched"
	// The path, or a directory above it, is a symbolic link: kit neither
	// reads nor writes through it.
	SymlinkSkipped Outcome = "symlink, untouched"
	// The template has a file where the working tree has a directory: the
	// template's version is written beside it, as <path>.kit-new.
	BlockedByDirectory Outcome = "blocked: directory in the way"
	// The template has a file below a path where the working tree has a
	// file (or something else that is not a directory): nothing is written.
	BlockedByFile Outcome = "blocked: file in the way"
)

// Rewritten marks a file of the user's that a codemod carried to the new
// API (see generator/codemod).
const Rewritten Outcome = "rewritten by codemod"

// Outcomes lists every outcome in report order.
var Outcomes = []Outcome{Unchanged, Updated, UserChangeKept, MergedClean, Renamed, Added, Deleted,
	DeletedKept, UserDeleted, UserOwnedSkipped, SymlinkSkipped, BinaryNew, Conflict, RenamedConflict, AddedConflict,
	BlockedByDirectory, BlockedByFile, MigrationClash, Rewritten}

// IsConflict reports whether the outcome leaves the user something to
// resolve: conflict markers, or a path kit could not update.
func (o Outcome) IsConflict() bool {
	switch o {
	case Conflict, AddedConflict, RenamedConflict, BlockedByDirectory, BlockedByFile, MigrationClash:
		return true
	}
	return false
}

// BinaryNewSuffix is appended to the path of the template's version of a
// binary file both sides changed.
const BinaryNewSuffix = ".kit-new"

// Change is the plan for one path.
type Change struct {
	Path    string  `json:"path"`
	Outcome Outcome `json:"outcome"`
	// From is the old path of a renamed file.
	From string `json:"from,omitempty"`
	// Note explains an outcome that needs it (two-way mode, kit-owned file).
	Note string `json:"note,omitempty"`

	// Data is the file's new content when Write is set.
	Data  []byte `json:"-"`
	Write bool   `json:"-"`
	// Remove lists paths to delete (the file itself, or a rename's source).
	Remove []string `json:"-"`
	// Old is the working-tree content before the change (for diffs).
	Old []byte `json:"-"`
	// Track records the path in the new state with Checksum; Checksum is
	// the checksum of the template's version (the next update's base).
	Track    bool   `json:"-"`
	Checksum string `json:"-"`
	// Extra is an additional file to write (BinaryNew's <path>.kit-new).
	Extra *File `json:"-"`
}

// Modifies reports whether applying the change touches the working tree.
func (c *Change) Modifies() bool { return c.Write || len(c.Remove) > 0 || c.Extra != nil }

// PlanInput is everything an update needs to decide.
type PlanInput struct {
	// Root is the repository's working tree.
	Root string
	// State is the current .kit.yaml.
	State *State
	// Base holds what kit last wrote, re-rendered (nil entries when a set's
	// old version is unknown: those files merge two-way).
	Base []File
	// Target holds what this kit writes now.
	Target []File
	// Renames are the target sets' declared renames, rendered (old → new).
	Renames map[string]string
	// Label names the new version in conflict markers ("kit v1.3.0").
	Label string
}

// Plan decides, file by file, how to bring the working tree from base to
// target without losing the user's edits. It reads the working tree but
// writes nothing.
func Plan(in PlanInput) ([]Change, error) {
	base := byPath(in.Base)
	target := byPath(in.Target)
	recorded := in.State.Files
	labels := merge.Labels{Ours: "yours", Base: "base", Theirs: in.Label}

	// A rename applies when the old path is tracked and the new one is not.
	renamedFrom := map[string]string{}
	for from, to := range in.Renames {
		if _, tracked := recorded[from]; tracked {
			if _, already := recorded[to]; !already {
				renamedFrom[to] = from
			}
		}
	}
	renameSources := map[string]bool{}
	for _, from := range renamedFrom {
		renameSources[from] = true
	}

	paths := map[string]bool{}
	for p := range base {
		paths[p] = true
	}
	for p := range target {
		paths[p] = true
	}
	for p := range recorded {
		paths[p] = true
	}
	var sorted []string
	for p := range paths {
		if !renameSources[p] {
			sorted = append(sorted, p)
		}
	}
	sort.Strings(sorted)

	// Paths plan independently (each reads its own working file), so
	// several at a time: most of the time is spent waiting on reads. The
	// first error in path order is returned, the changes stay in path order.
	planned := make([]Change, len(sorted))
	errs := make([]error, len(sorted))
	parallel.Each(context.Background(), len(sorted), planners, func(i int) {
		p := sorted[i]
		t, inTarget := target[p]
		if from, ok := renamedFrom[p]; ok && inTarget {
			planned[i], errs[i] = planFile(in.Root, p, from, base[from], t, recorded[from], true, labels)
		} else if inTarget {
			_, tracked := recorded[p]
			planned[i], errs[i] = planFile(in.Root, p, p, base[p], t, recorded[p], tracked, labels)
		} else {
			planned[i], errs[i] = planRemoved(in.Root, p, base[p], recorded[p])
		}
	})
	var changes []Change
	for i, c := range planned {
		if errs[i] != nil {
			return nil, errs[i]
		}
		if c.Outcome != "" {
			changes = append(changes, c)
		}
	}
	clashes, err := migrationClashes(in.Root, target, recorded)
	if err != nil {
		return nil, err
	}
	return append(changes, clashes...), nil
}

// HasMarkers reports whether the outcome writes conflict markers.
func (o Outcome) HasMarkers() bool {
	return o == Conflict || o == AddedConflict || o == RenamedConflict
}

func byPath(files []File) map[string]*File {
	m := make(map[string]*File, len(files))
	for i := range files {
		m[files[i].Path] = &files[i]
	}
	return m
}

// entry is what the working tree holds at a path.
type entry struct {
	data []byte // the file's content; nil when nothing is there
	// block, when set, is why kit must not read or write the path, and at
	// is the component in the way: the path itself or a directory above it.
	block Outcome
	at    string
}

// readWorking returns the working-tree file at rel. It looks at every
// component of rel with Lstat, from root down, and reads nothing when one is
// a symbolic link or not what the path needs (a directory above, a regular
// file at the end), so nothing outside the repository is ever read.
func readWorking(root, rel string) (entry, error) {
	if !fs.ValidPath(rel) || rel == "." {
		return entry{}, fmt.Errorf("%q is not a path inside the repository", rel)
	}
	parts := strings.Split(rel, "/")
	p := root
	for i, part := range parts {
		p = filepath.Join(p, part)
		at := strings.Join(parts[:i+1], "/")
		fi, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			return entry{}, nil
		}
		if err != nil {
			return entry{}, err
		}
		last := i == len(parts)-1
		switch {
		case fi.Mode()&fs.ModeSymlink != 0:
			return entry{block: SymlinkSkipped, at: at}, nil
		case !last && !fi.IsDir():
			return entry{block: BlockedByFile, at: at}, nil
		case last && fi.IsDir():
			return entry{block: BlockedByDirectory, at: at}, nil
		case last && !fi.Mode().IsRegular():
			return entry{block: BlockedByFile, at: at}, nil
		}
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return entry{}, err
	}
	if data == nil {
		data = []byte{}
	}
	return entry{data: data}, nil
}

// blockedChange reports a path kit must leave alone; target is the
// template's version (nil for a path the template removed).
func blockedChange(root, p string, e entry, target *File) Change {
	c := Change{Path: p, Outcome: e.block}
	switch e.block {
	case SymlinkSkipped:
		if e.at == p {
			c.Note = p + " is a symbolic link"
		} else {
			c.Note = p + " lies under the symbolic link " + e.at
		}
		c.Note += "; kit neither reads nor writes through links: bring the template's changes over by hand"
	case BlockedByDirectory:
		c.Note = "a directory is where the template now has this file; nothing in it was touched"
		extra := p + BinaryNewSuffix
		if x, err := readWorking(root, extra); err == nil && x.block == "" && target != nil {
			c.Extra = &File{Path: extra, Data: target.Data}
			c.Note += ": the template's version is in " + extra + "; move the directory aside and rename " + extra + " to " + p
		} else {
			c.Note += ": move the directory aside and take the file from the new template"
		}
	case BlockedByFile:
		if e.at == p {
			c.Note = p + " is not a regular file; nothing was written: replace it with the file from the new template"
		} else {
			c.Note = "the file " + e.at + " is where the template now has a directory; nothing was written for this path: " +
				"move " + e.at + " aside and take this file from the new template"
		}
	}
	return c
}

// besides plans the template's version of a binary file both sides changed
// as <path>.kit-new, unless that path is a link or a directory.
func besides(root string, c *Change, data []byte) {
	extra := c.Path + BinaryNewSuffix
	if x, err := readWorking(root, extra); err != nil || x.block != "" {
		c.Note = extra + " is in the way (a link or a directory): the template's version was not written beside yours"
		return
	}
	c.Extra = &File{Path: extra, Data: data}
}

// planFile decides for a path the target generates. src is where the user's
// version and the base live (the old path of a rename, else p).
func planFile(root, p, src string, base, target *File, recorded string, tracked bool, labels merge.Labels) (Change, error) {
	w, err := readWorking(root, src)
	if err != nil {
		return Change{}, err
	}
	if w.block == "" && src != p {
		// A rename writes to p: it must be as safe as src.
		var dst entry
		if dst, err = readWorking(root, p); err != nil {
			return Change{}, err
		}
		if dst.block != "" {
			w = dst
		}
	}
	if w.block != "" {
		c := blockedChange(root, p, w, target)
		if src != p {
			c.From = src
		}
		return c, nil
	}
	raw := w.data
	targetSum := Checksum(target.Data)
	c := Change{Path: p, Old: raw, Checksum: targetSum, Track: true}
	renamed := src != p
	if renamed {
		c.From = src
	}
	// A checkout with CRLF line endings (git's autocrlf) compares and merges
	// with LF endings, as kit wrote it, and is written back with CRLF.
	ours, baseData, targetData := raw, []byte(nil), target.Data
	if base != nil {
		baseData = base.Data
	}
	crlf := isCRLF(raw)
	if crlf {
		ours, baseData, targetData = toLF(raw), toLF(baseData), toLF(targetData)
	}
	put := func(data []byte) {
		c.Data, c.Write = data, true
		if renamed {
			c.Remove = []string{src}
		}
	}
	write := func(data []byte) { // in the user's line endings
		if crlf && !isBinary(data) {
			data = toCRLF(data)
		}
		put(data)
	}
	keep := func() { put(raw) } // a rename moving the user's file as it is

	switch {
	case target.Owner == OwnerUser && (ours != nil || tracked):
		// Created once; from then on the user's alone.
		switch {
		case ours == nil:
			c.Outcome, c.Track = UserDeleted, false
		case targetSum == recorded:
			c.Outcome = Unchanged
		default:
			c.Outcome = UserOwnedSkipped
			c.Note = "the template changed this file, but it is yours: see " + p + " in the new template for what changed"
		}
		return c, nil
	case !tracked && base != nil && ours == nil:
		// Deleted by the user in an earlier update: already reported.
		return Change{}, nil
	case tracked && ours == nil:
		c.Outcome, c.Track = UserDeleted, false
		return c, nil
	case !tracked:
		// New in the template (or the user removed it from kit's care).
		switch {
		case ours == nil:
			c.Outcome = Added
			write(target.Data)
		case bytes.Equal(ours, targetData):
			c.Outcome = Unchanged
		case isBinary(raw) || isBinary(target.Data):
			c.Outcome = BinaryNew
			besides(root, &c, target.Data)
		default:
			c.Outcome = AddedConflict
			c.Note = "a file of yours was already at this path; both versions are in the file"
			write([]byte(merge.TwoWay(string(ours), string(targetData), labels)))
		}
		return c, nil
	}

	baseKnown := base != nil && Checksum(base.Data) == recorded
	rawSum := Checksum(raw)
	userChanged := rawSum != recorded && (!crlf || Checksum(ours) != recorded)
	var templateChanged bool
	if baseKnown {
		templateChanged = !bytes.Equal(base.Data, target.Data)
	} else {
		templateChanged = targetSum != recorded
	}

	switch {
	case !templateChanged && !userChanged:
		c.Outcome = Unchanged
		if renamed {
			c.Outcome = Renamed
			write(target.Data)
		}
	case !templateChanged:
		c.Outcome = UserChangeKept
		if renamed {
			c.Outcome = Renamed
			keep()
		}
	case !userChanged:
		c.Outcome = Updated
		if renamed {
			c.Outcome = Renamed
		}
		write(target.Data)
	case bytes.Equal(ours, targetData):
		c.Outcome = Unchanged
		if renamed {
			c.Outcome = Renamed
			keep()
		}
	case isBinary(raw) || isBinary(target.Data):
		c.Outcome = BinaryNew
		besides(root, &c, target.Data)
		if renamed {
			keep()
		}
	case target.Owner == OwnerKit:
		c.Outcome = Conflict
		c.Note = "kit owns this file and regenerates it; move your change elsewhere and take kit's version"
		write([]byte(merge.TwoWay(string(ours), string(targetData), labels)))
	case !baseKnown:
		c.Outcome = Conflict
		c.Note = "the version kit last wrote could not be rebuilt; both versions are in the file"
		write([]byte(merge.TwoWay(string(ours), string(targetData), labels)))
	default:
		merged, conflicts, notes, err := mergeFile(p, string(baseData), string(ours), string(targetData), labels)
		if err != nil {
			return Change{}, err
		}
		c.Note = strings.Join(notes, "; ")
		c.Outcome = MergedClean
		if conflicts > 0 {
			c.Outcome = Conflict
		}
		if renamed {
			c.Outcome = Renamed
			if conflicts > 0 {
				c.Outcome = RenamedConflict
			}
		}
		write([]byte(merged))
	}
	return c, nil
}

// mergeFile merges one text file, structurally where kit knows the format.
// Notes report what the merge decided that the user should know about (a
// downgrade of theirs kept against the template's upgrade).
func mergeFile(p, base, ours, theirs string, labels merge.Labels) (string, int, []string, error) {
	switch name := path.Base(p); {
	case name == "go.mod":
		out, notes, err := merge.GoMod(base, ours, theirs)
		if err != nil {
			// A go.mod that does not parse falls back to a line merge.
			r := merge.Three(base, ours, theirs, labels)
			return r.Text, max(r.Conflicts, 1), nil, nil
		}
		return out, 0, notes, nil
	case name == "go.sum":
		return merge.GoSum(ours, theirs), 0, nil, nil
	case name == ".env" || strings.HasPrefix(name, ".env."):
		r := merge.KeyValue(base, ours, theirs, labels)
		return r.Text, r.Conflicts, nil, nil
	}
	r := merge.Three(base, ours, theirs, labels)
	return r.Text, r.Conflicts, nil, nil
}

// planRemoved decides for a path the target no longer generates.
func planRemoved(root, p string, base *File, recorded string) (Change, error) {
	if recorded == "" {
		return Change{}, nil // not kit's: nothing to do
	}
	w, err := readWorking(root, p)
	if err != nil {
		return Change{}, err
	}
	switch w.block {
	case SymlinkSkipped:
		return blockedChange(root, p, w, nil), nil
	case BlockedByDirectory, BlockedByFile:
		return Change{}, nil // no file of kit's there to delete
	}
	ours := w.data
	c := Change{Path: p, Old: ours}
	switch {
	case ours == nil:
		return Change{}, nil // gone on both sides
	case base != nil && base.Owner == OwnerUser:
		c.Outcome = UserOwnedSkipped
	case Checksum(ours) == recorded || (isCRLF(ours) && Checksum(toLF(ours)) == recorded):
		c.Outcome = Deleted
		c.Remove = []string{p}
	default:
		c.Outcome = DeletedKept
		c.Note = "the template no longer has this file; yours is kept and kit no longer tracks it"
	}
	return c, nil
}

// binarySniffLen is how much of a file git looks at for a NUL byte.
const binarySniffLen = 8000

// isBinary treats content with a NUL byte in its first 8000 bytes as binary,
// as git does. Text in another encoding than UTF-8 (Latin-1) is text.
func isBinary(data []byte) bool {
	return bytes.IndexByte(data[:min(len(data), binarySniffLen)], 0) >= 0
}

// IsBinary is the one test of binary content kit uses: for merging,
// diffing and reporting alike.
func IsBinary(data []byte) bool { return isBinary(data) }

// isCRLF reports whether text ends its lines with CRLF, mostly: a checkout
// git converted (core.autocrlf), or a file written on Windows.
func isCRLF(data []byte) bool {
	if isBinary(data) {
		return false
	}
	n := bytes.Count(data, []byte("\r\n"))
	return n > 0 && 2*n >= bytes.Count(data, []byte("\n"))
}

// toLF turns CRLF line endings into LF.
func toLF(data []byte) []byte {
	return bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
}

// toCRLF ends every line with CRLF.
func toCRLF(data []byte) []byte {
	return bytes.ReplaceAll(toLF(data), []byte("\n"), []byte("\r\n"))
}

// Summary counts changes per outcome.
func Summary(changes []Change) map[Outcome]int {
	counts := map[Outcome]int{}
	for _, c := range changes {
		counts[c.Outcome]++
	}
	return counts
}

// NewFiles computes the new state's file checksums from a plan.
func NewFiles(changes []Change) map[string]string {
	files := map[string]string{}
	for _, c := range changes {
		if c.Track {
			files[c.Path] = c.Checksum
		}
	}
	return files
}

// String formats a change for a human report.
func (c Change) String() string {
	s := fmt.Sprintf("%-28s %s", c.Outcome, c.Path)
	if c.From != "" {
		s += " (from " + c.From + ")"
	}
	return s
}
