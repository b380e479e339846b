package generator

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"

	"gopkg.in/yaml.v3"
)

// StateFile is the file at the root of a generated repository that records
// how kit generated it.
const StateFile = ".kit.yaml"

const stateHeader = `# Written by kit; kit update and kit add read it. Do not edit by hand.
# "files" holds the checksum of kit's version of each file, which is how kit
# tells your edits from its own.
`

// State is the content of StateFile. With the template sets embedded in kit,
// Template.Version and Answers are enough to re-render the exact bytes kit
// last wrote (the merge base of a later update); Files verifies that
// re-rendering and tells which files the user has edited since.
type State struct {
	// KitVersion is the version of the kit binary that last wrote the repo.
	KitVersion string `yaml:"kit_version"`
	// Template identifies the chassis template set.
	Template SetRef `yaml:"template"`
	// Answers holds every answer, defaults included, by question key.
	Answers map[string]any `yaml:"answers"`
	// Cartridges lists the cartridge sets applied, in the order applied.
	Cartridges []SetRef `yaml:"cartridges"`
	// Files maps each path kit tracks to "sha256:<hex>" of kit's version of
	// it: the bytes kit new wrote, or after an update the template's version
	// (what the next update merges from), whatever merge was written.
	Files map[string]string `yaml:"files"`
}

// SetRef names a template set and the digest of its content.
type SetRef struct {
	Name    string `yaml:"name" json:"name"`
	Version string `yaml:"version" json:"version"`
	// Release is the kit release that shipped this version of the set
	// ("v0.2.0"), when it is one.
	Release string `yaml:"release,omitempty" json:"release,omitempty"`
}

// Label names the set's version for people: its release, or its digest.
func (r SetRef) Label() string {
	if r.Release != "" {
		return r.Release
	}
	return r.Version
}

// Checksum returns the checksum recorded for data.
func Checksum(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// NewState records files as the bytes kit wrote.
func NewState(kitVersion string, tmpl SetRef, answers map[string]any, files []File) *State {
	st := &State{
		KitVersion: kitVersion,
		Template:   tmpl,
		Answers:    answers,
		Cartridges: []SetRef{},
		Files:      make(map[string]string, len(files)),
	}
	for _, f := range files {
		st.Files[f.Path] = Checksum(f.Data)
	}
	return st
}

// Marshal encodes the state deterministically (map keys sorted).
func (s *State) Marshal() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(stateHeader)
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(s); err != nil {
		return nil, fmt.Errorf("encode %s: %w", StateFile, err)
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// ReadState reads StateFile from the repository at dir.
func ReadState(dir string) (*State, error) {
	data, err := os.ReadFile(filepath.Join(dir, StateFile))
	if err != nil {
		return nil, err
	}
	var s State
	if err := yaml.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, StateFile), err)
	}
	return &s, nil
}
