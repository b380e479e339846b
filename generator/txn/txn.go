// Package txn applies file writes and removals to a working tree as one
// transaction that survives crashes: kit new --force, kit update and kit
// add cartridge all write through it.
package txn

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/agencystandard/kit/generator/internal/parallel"
)

// Transaction applies a set of file writes and removals to a working tree
// so that either all of them hold or none do, even across a crash.
//
// Writes are first staged in a scratch directory (.kit-tx-*) inside the
// root, so renames never cross file systems. Apply then records every step
// it is about to take — directories it creates, originals it sets aside,
// files it moves into place — in a journal in the scratch directory, syncs
// it, and only then takes them. Commit deletes the journal (the commit
// point) and the scratch directory. Rollback, or Recover after a crash,
// replays the journal backwards and puts the tree back as it was.
type Transaction struct {
	root    string
	scratch string
	pending []pending
	ops     []txOp // journaled steps, once applied
	applied bool
	done    bool
	lock    *os.File
}

type pending struct {
	rel    string // slash-separated, relative to root
	staged string // relative to scratch; "" removes rel
	dir    bool   // ensure rel is a directory
	// write holds a Write's content until Apply stages it at staged.
	write *content
}

type content struct {
	data []byte
	mode fs.FileMode
}

// txOp is one journal entry.
type txOp struct {
	Op     string `json:"op"`               // "mkdir", "aside" or "write"
	Path   string `json:"path"`             // slash-separated, relative to the root
	Saved  string `json:"saved,omitempty"`  // aside: where the original went, relative to the scratch directory
	Staged string `json:"staged,omitempty"` // write: the staged file, relative to the scratch directory
}

const (
	// TxPrefix starts the name of a transaction's scratch directory.
	TxPrefix = ".kit-tx-"
	// JournalName is the journal's file in the scratch directory.
	JournalName = "journal"
	lockName    = "lock"
)

// StepHook, when set, runs after Apply wrote the journal (step -1) and
// after each step it takes: crash tests use it to stop a transaction
// half-way. It is nil in kit itself.
var StepHook func(step int)

// Begin starts a transaction on root.
func Begin(root string) (*Transaction, error) {
	scratch, err := os.MkdirTemp(root, TxPrefix+"*")
	if err != nil {
		return nil, fmt.Errorf("start writing: %w", err)
	}
	tx := &Transaction{root: root, scratch: scratch}
	fail := func(err error) (*Transaction, error) {
		if tx.lock != nil {
			tx.lock.Close()
		}
		os.RemoveAll(scratch)
		return nil, err
	}
	if tx.lock, err = os.Create(filepath.Join(scratch, lockName)); err != nil {
		return fail(err)
	}
	if err := lockFile(tx.lock, true); err != nil {
		return fail(err)
	}
	for _, d := range []string{"backup", "staged"} {
		if err := os.Mkdir(filepath.Join(scratch, d), 0o755); err != nil {
			return fail(err)
		}
	}
	return tx, nil
}

// Write replaces (or creates) the file at rel with data, keeping the mode
// of a file it replaces. The data is staged by Apply, so the caller must
// not change it until then.
func (tx *Transaction) Write(rel string, data []byte) error {
	mode := fs.FileMode(0o644)
	if fi, err := os.Stat(tx.abs(rel)); err == nil {
		if fi.IsDir() {
			return fmt.Errorf("%s is a directory; kit would write a file there", rel)
		}
		mode = fi.Mode().Perm()
	}
	return tx.add(pending{rel: rel, staged: tx.nextStaged(), write: &content{data: data, mode: mode}})
}

// Move puts the file src at rel, src's mode included. src should be on the
// root's file system; it is moved into the scratch directory at once.
func (tx *Transaction) Move(rel, src string) error {
	if fi, err := os.Stat(tx.abs(rel)); err == nil && fi.IsDir() {
		return fmt.Errorf("%s is a directory; kit would write a file there", rel)
	}
	staged := tx.nextStaged()
	if err := os.Rename(src, filepath.Join(tx.scratch, staged)); err != nil {
		return err
	}
	return tx.add(pending{rel: rel, staged: staged})
}

// Mkdir makes sure rel is a directory.
func (tx *Transaction) Mkdir(rel string) error { return tx.add(pending{rel: rel, dir: true}) }

// Remove deletes the file at rel; a missing file is not an error.
func (tx *Transaction) Remove(rel string) error { return tx.add(pending{rel: rel}) }

func (tx *Transaction) add(p pending) error {
	if tx.applied || tx.done {
		return errors.New("transaction already applied")
	}
	p.rel = path.Clean(filepath.ToSlash(p.rel))
	if p.rel == "." || strings.HasPrefix(p.rel, "../") || path.IsAbs(p.rel) {
		return fmt.Errorf("%s is not a path inside the repository", p.rel)
	}
	tx.pending = append(tx.pending, p)
	return nil
}

func (tx *Transaction) nextStaged() string {
	return path.Join("staged", fmt.Sprint(len(tx.pending)))
}

func (tx *Transaction) abs(rel string) string { return filepath.Join(tx.root, filepath.FromSlash(rel)) }

// Apply takes the staged changes into the tree: it syncs the staged files,
// journals the steps, syncs the journal and then takes them. On error, or
// when ctx is cancelled half-way, it rolls back. The transaction stays open
// until Commit or Rollback.
func (tx *Transaction) Apply(ctx context.Context) error {
	if tx.done {
		return errors.New("transaction already finished")
	}
	if tx.applied {
		return nil
	}
	if err := tx.apply(ctx); err != nil {
		tx.Rollback()
		return err
	}
	return nil
}

func (tx *Transaction) apply(ctx context.Context) error {
	if err := tx.stage(); err != nil {
		return err
	}
	if err := syncPath(filepath.Join(tx.scratch, "staged")); err != nil {
		return err
	}
	ops, err := tx.steps()
	if err != nil {
		return err
	}
	if err := writeJournal(tx.scratch, ops); err != nil {
		return err
	}
	tx.applied = true
	if StepHook != nil {
		StepHook(-1)
	}
	for i, op := range ops {
		if err := ctx.Err(); err != nil {
			return err
		}
		dst := tx.abs(op.Path)
		switch op.Op {
		case "mkdir":
			err = os.Mkdir(dst, 0o755)
		case "aside":
			err = os.Rename(dst, filepath.Join(tx.scratch, op.Saved))
		case "write":
			err = os.Rename(filepath.Join(tx.scratch, op.Staged), dst)
		}
		if err != nil {
			return fmt.Errorf("%s %s: %w", op.Op, op.Path, err)
		}
		tx.ops = ops[:i+1]
		if StepHook != nil {
			StepHook(i)
		}
	}
	return syncDirs(tx.root, tx.scratch, ops)
}

// stage writes each Write's file into the scratch directory and syncs it,
// with the files Move put there: several at a time, each written and
// synced through one descriptor. The first error, in the order of the
// changes, is returned.
func (tx *Transaction) stage() error {
	var todo []pending
	for _, p := range tx.pending {
		if p.staged != "" {
			todo = append(todo, p)
		}
	}
	errs := make([]error, len(todo))
	parallel.Each(context.Background(), len(todo), syncers, func(i int) {
		p := todo[i]
		name := filepath.Join(tx.scratch, filepath.FromSlash(p.staged))
		if p.write == nil {
			errs[i] = syncPath(name)
			return
		}
		errs[i] = writeSynced(name, p.write.data, p.write.mode)
	})
	for i, err := range errs {
		if err != nil {
			return fmt.Errorf("write %s: %w", todo[i].rel, err)
		}
	}
	return nil
}

// writeSynced creates the file name with data and flushes it to stable
// storage.
func writeSynced(name string, data []byte, mode fs.FileMode) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	return errors.Join(err, f.Close())
}

// steps plans the journaled steps of the pending changes, looking at the
// tree as it is and as the earlier steps leave it.
func (tx *Transaction) steps() ([]txOp, error) {
	type state int
	const (
		absent state = iota + 1
		file
		dir
	)
	planned := map[string]state{}
	look := func(rel string) (state, error) {
		if s, ok := planned[rel]; ok {
			return s, nil
		}
		fi, err := os.Lstat(tx.abs(rel))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return absent, nil
		case err != nil:
			return 0, err
		case fi.IsDir():
			return dir, nil
		}
		return file, nil
	}
	var ops []txOp
	mkdirs := func(rel string) error {
		var missing []string
		for d := rel; d != "."; d = path.Dir(d) {
			s, err := look(d)
			if err != nil {
				return err
			}
			if s == dir {
				break
			}
			if s == file {
				return fmt.Errorf("%s is a file; kit would make a directory there", d)
			}
			missing = append(missing, d)
		}
		for i := len(missing) - 1; i >= 0; i-- {
			ops = append(ops, txOp{Op: "mkdir", Path: missing[i]})
			planned[missing[i]] = dir
		}
		return nil
	}
	for i, p := range tx.pending {
		s, err := look(p.rel)
		if err != nil {
			return nil, err
		}
		switch {
		case p.dir:
			if s == file {
				return nil, fmt.Errorf("%s exists and is not a directory", p.rel)
			}
			if err := mkdirs(p.rel); err != nil {
				return nil, err
			}
			continue
		case s == dir:
			return nil, fmt.Errorf("%s is a directory; kit would write a file there", p.rel)
		}
		if p.staged != "" {
			if err := mkdirs(path.Dir(p.rel)); err != nil {
				return nil, err
			}
		}
		if s == file {
			ops = append(ops, txOp{Op: "aside", Path: p.rel, Saved: path.Join("backup", fmt.Sprint(i))})
			planned[p.rel] = absent
		}
		if p.staged != "" {
			ops = append(ops, txOp{Op: "write", Path: p.rel, Staged: p.staged})
			planned[p.rel] = file
		}
	}
	return ops, nil
}

// Rollback undoes everything applied, newest first, and removes the scratch
// directory.
func (tx *Transaction) Rollback() error {
	if tx.done {
		return nil
	}
	tx.done = true
	var err error
	if tx.applied {
		_, _, err = replay(tx.root, tx.scratch, tx.ops)
	}
	return errors.Join(err, tx.finish())
}

// Commit applies the changes if that has not been done, makes them final
// and removes directories that removals emptied.
func (tx *Transaction) Commit() error {
	if tx.done {
		return errors.New("transaction already finished")
	}
	if err := tx.Apply(context.Background()); err != nil {
		return err
	}
	// The commit point: without a journal there is nothing to roll back.
	if err := os.Remove(filepath.Join(tx.scratch, JournalName)); err != nil {
		tx.Rollback()
		return err
	}
	tx.done = true
	if err := syncPath(tx.scratch); err != nil {
		return err
	}
	var parents []string
	for _, p := range tx.pending {
		if p.staged == "" && !p.dir {
			parents = append(parents, filepath.Dir(tx.abs(p.rel)))
		}
	}
	sort.Slice(parents, func(i, j int) bool { return len(parents[i]) > len(parents[j]) })
	for _, d := range parents {
		for ; d != tx.root && strings.HasPrefix(d, tx.root); d = filepath.Dir(d) {
			if os.Remove(d) != nil {
				break // not empty
			}
		}
	}
	return tx.finish()
}

func (tx *Transaction) finish() error {
	if tx.lock != nil {
		tx.lock.Close()
		tx.lock = nil
	}
	return removeScratch(tx.scratch)
}

// removeScratch deletes a scratch directory that no journal refers to any
// more. The files in it (the originals a commit replaced, staged files a
// rollback never moved) are removed several at a time: one unlink after
// another waits on the file system for each.
func removeScratch(scratch string) error {
	var files []string
	for _, d := range []string{"backup", "staged"} {
		entries, _ := os.ReadDir(filepath.Join(scratch, d))
		for _, e := range entries {
			if !e.IsDir() {
				files = append(files, filepath.Join(scratch, d, e.Name()))
			}
		}
	}
	parallel.Each(context.Background(), len(files), syncers, func(i int) {
		os.Remove(files[i]) // what remains, RemoveAll reports
	})
	return os.RemoveAll(scratch)
}

// replay undoes journaled steps, newest first. A step the journal names but
// that was never taken (the process stopped between journaling and taking
// it) is recognised and skipped. It returns the paths it restored and those
// it removed.
func replay(root, scratch string, ops []txOp) (restored, removed []string, err error) {
	var errs []error
	var undone []string
	exists := func(p string) bool { _, err := os.Lstat(p); return err == nil }
	for i := len(ops) - 1; i >= 0; i-- {
		op := ops[i]
		dst := filepath.Join(root, filepath.FromSlash(op.Path))
		switch op.Op {
		case "write":
			if exists(filepath.Join(scratch, filepath.FromSlash(op.Staged))) {
				continue // never moved into place
			}
			if err := os.Remove(dst); err != nil && !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, err)
				continue
			}
			undone = append(undone, op.Path)
		case "aside":
			saved := filepath.Join(scratch, filepath.FromSlash(op.Saved))
			if !exists(saved) {
				continue // never set aside
			}
			if err := os.Rename(saved, dst); err != nil {
				errs = append(errs, err)
				continue
			}
			restored = append(restored, op.Path)
		case "mkdir":
			os.Remove(dst) // only if empty; a directory that was there stays
		}
	}
	for _, p := range undone {
		if !slices.Contains(restored, p) && !slices.Contains(removed, p) {
			removed = append(removed, p)
		}
	}
	slices.Reverse(restored)
	slices.Reverse(removed)
	errs = append(errs, syncDirs(root, scratch, ops))
	return restored, removed, errors.Join(errs...)
}

func writeJournal(scratch string, ops []txOp) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, op := range ops {
		if err := enc.Encode(op); err != nil {
			return err
		}
	}
	f, err := os.OpenFile(filepath.Join(scratch, JournalName), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(buf.Bytes()); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return syncPath(scratch)
}

// readJournal reads a journal. The journal is written and synced before
// any step is taken, so a torn one (no final newline) means none was.
func readJournal(p string) ([]txOp, error) {
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	if len(data) == 0 || data[len(data)-1] != '\n' {
		return nil, nil
	}
	var ops []txOp
	for _, line := range bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n")) {
		var op txOp
		if err := json.Unmarshal(line, &op); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		if !validRel(op.Path) || (op.Saved != "" && !validRel(op.Saved)) || (op.Staged != "" && !validRel(op.Staged)) {
			return nil, fmt.Errorf("%s: bad path in entry %s", p, line)
		}
		ops = append(ops, op)
	}
	return ops, nil
}

func validRel(p string) bool {
	return p != "" && p == path.Clean(p) && p != "." && !path.IsAbs(p) && !strings.HasPrefix(p, "../") && p != ".."
}

// syncDirs syncs the directories holding what ops touched, so renames
// survive a power loss.
func syncDirs(root, scratch string, ops []txOp) error {
	dirs := map[string]bool{root: true, filepath.Join(scratch, "backup"): true, filepath.Join(scratch, "staged"): true}
	for _, op := range ops {
		dirs[filepath.Dir(filepath.Join(root, filepath.FromSlash(op.Path)))] = true
	}
	paths := make([]string, 0, len(dirs))
	for d := range dirs {
		paths = append(paths, d)
	}
	sort.Strings(paths)
	var errs []error
	for _, err := range syncEach(paths) {
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// syncEach flushes paths to stable storage, several at a time (a file
// system commits the syncs that wait together in one journal write, where
// one sync after another waits for a commit each), and returns each one's
// error.
func syncEach(paths []string) []error {
	errs := make([]error, len(paths))
	parallel.Each(context.Background(), len(paths), syncers, func(i int) {
		errs[i] = syncPath(paths[i])
	})
	return errs
}

// syncers is how many files are written, synced or removed at once.
const syncers = 16

// syncPath flushes a file or directory to stable storage. Directories that
// cannot be synced (some platforms) are not an error.
func syncPath(p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		if fi, statErr := f.Stat(); statErr == nil && fi.IsDir() {
			return nil
		}
		return err
	}
	return nil
}

// Recovery is an unfinished transaction that Recover rolled back.
type Recovery struct {
	// Scratch is the name of the transaction's scratch directory.
	Scratch string
	// Restored lists the files put back; Removed those taken away.
	Restored, Removed []string
	// Journaled is false when the transaction had not started changing the
	// tree (or had committed): only its scratch directory was removed.
	Journaled bool
}

// ErrBusy is returned by Recover when another process holds a transaction
// on the repository.
var ErrBusy = errors.New("another kit is changing this repository")

// Recover finds transactions on root that a crashed or killed process left
// unfinished, rolls each back from its journal and removes its scratch
// directory.
func Recover(root string) ([]Recovery, error) {
	matches, err := filepath.Glob(filepath.Join(root, TxPrefix+"*"))
	if err != nil {
		return nil, err
	}
	var out []Recovery
	for _, scratch := range matches {
		if fi, err := os.Lstat(scratch); err != nil || !fi.IsDir() {
			continue
		}
		rec, err := recoverOne(root, scratch)
		if err != nil {
			return out, err
		}
		out = append(out, rec)
	}
	if len(out) > 0 {
		syncPath(root)
	}
	return out, nil
}

func recoverOne(root, scratch string) (Recovery, error) {
	rec := Recovery{Scratch: filepath.Base(scratch)}
	if lf, err := os.OpenFile(filepath.Join(scratch, lockName), os.O_RDWR, 0); err == nil {
		err := lockFile(lf, false)
		defer lf.Close()
		if err != nil {
			return rec, fmt.Errorf("%w (%s is in use)", ErrBusy, rec.Scratch)
		}
	}
	ops, err := readJournal(filepath.Join(scratch, JournalName))
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return rec, fmt.Errorf("roll back the unfinished change in %s: %w", rec.Scratch, err)
	default:
		rec.Journaled = true
		rec.Restored, rec.Removed, err = replay(root, scratch, ops)
		if err != nil {
			return rec, fmt.Errorf("roll back the unfinished change in %s: %w", rec.Scratch, err)
		}
	}
	return rec, removeScratch(scratch)
}
