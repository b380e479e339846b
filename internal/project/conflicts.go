package project

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// ConflictedFiles lists the files kit tracks (.kit.yaml's files) that still
// hold conflict markers: lines starting with "<<<<<<< " or ">>>>>>> ".
func (r *Repo) ConflictedFiles() ([]string, error) {
	paths := make([]string, 0, len(r.State.Files))
	for p := range r.State.Files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var out []string
	for _, p := range paths {
		data, err := os.ReadFile(filepath.Join(r.Root, filepath.FromSlash(p)))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			if isDirErr(r.Root, p) {
				continue
			}
			return nil, err
		}
		if hasConflictMarkers(data) {
			out = append(out, p)
		}
	}
	return out, nil
}

func isDirErr(root, p string) bool {
	fi, err := os.Stat(filepath.Join(root, filepath.FromSlash(p)))
	return err == nil && fi.IsDir()
}

func hasConflictMarkers(data []byte) bool {
	if !bytes.Contains(data, []byte("<<<<<<< ")) && !bytes.Contains(data, []byte(">>>>>>> ")) {
		return false
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), len(data)+1)
	for sc.Scan() {
		l := sc.Bytes()
		if bytes.HasPrefix(l, []byte("<<<<<<< ")) || bytes.HasPrefix(l, []byte(">>>>>>> ")) {
			return true
		}
	}
	return false
}

// ConflictsError reports files left with conflict markers, which must be
// resolved before kit merges into them again.
type ConflictsError struct{ Files []string }

func (e *ConflictsError) Error() string {
	return fmt.Sprintf("%d file(s) still hold conflict markers (<<<<<<< ... >>>>>>>) from an earlier kit update or kit add; resolve them and commit first:\n  %s",
		len(e.Files), strings.Join(e.Files, "\n  "))
}

// RefuseConflicts returns a *ConflictsError when tracked files hold
// conflict markers.
func RefuseConflicts(r *Repo) error {
	files, err := r.ConflictedFiles()
	if err != nil {
		return err
	}
	if len(files) > 0 {
		return &ConflictsError{Files: files}
	}
	return nil
}
