package generator

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// The history keeps every released template set, so that kit can re-render
// exactly what an older kit wrote (the merge base of an update) without the
// network and without the old binary. It is content-addressed:
//
//	history/objects/<sha256 of content>      one blob per distinct file
//	history/sets/<set>/<digest hex>.txt      "<sha256> <path>" per file
//
// so a file that did not change between releases is stored once.
const (
	historyObjects = "objects"
	historySets    = "sets"
)

// ErrUnknownVersion means no known template set has the requested digest.
var ErrUnknownVersion = errors.New("template version not known to this kit")

// HistoryVersion rebuilds the set name@digest from a history tree, or
// returns ErrUnknownVersion when the tree does not hold it.
func HistoryVersion(history fs.FS, name, digest string) (*TemplateSet, error) {
	listing, err := fs.ReadFile(history, path.Join(historySets, name, strings.TrimPrefix(digest, "sha256:")+".txt"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrUnknownVersion
	}
	if err != nil {
		return nil, err
	}
	files := memFS{}
	sc := bufio.NewScanner(bytes.NewReader(listing))
	for sc.Scan() {
		sum, p, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			return nil, fmt.Errorf("history %s@%s: malformed line %q", name, digest, sc.Text())
		}
		data, err := fs.ReadFile(history, path.Join(historyObjects, sum))
		if err != nil {
			return nil, fmt.Errorf("history %s@%s: %s: %w", name, digest, p, err)
		}
		files[p] = data
	}
	set, err := LoadTemplateSet(files)
	if err != nil {
		return nil, fmt.Errorf("history %s@%s: %w", name, digest, err)
	}
	if got, _ := set.Digest(); got != digest {
		return nil, fmt.Errorf("history %s@%s: content digest is %s; the history is corrupt", name, digest, got)
	}
	return set, nil
}

// Snapshot adds set to the history directory dir (creating it), storing only
// blobs it does not hold yet. It returns the set's digest.
func Snapshot(set *TemplateSet, dir string) (string, error) {
	digest, err := set.Digest()
	if err != nil {
		return "", err
	}
	var listing []string
	err = fs.WalkDir(set.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(set.FS, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		hexSum := hex.EncodeToString(sum[:])
		obj := filepath.Join(dir, historyObjects, hexSum)
		if _, err := os.Stat(obj); errors.Is(err, fs.ErrNotExist) {
			if err := os.MkdirAll(filepath.Dir(obj), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(obj, data, 0o644); err != nil {
				return err
			}
		}
		listing = append(listing, hexSum+" "+p)
		return nil
	})
	if err != nil {
		return "", err
	}
	sort.Strings(listing)
	out := filepath.Join(dir, historySets, set.Manifest.Name, strings.TrimPrefix(digest, "sha256:")+".txt")
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return "", err
	}
	return digest, os.WriteFile(out, []byte(strings.Join(listing, "\n")+"\n"), 0o644)
}
