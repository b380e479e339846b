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

// NewState is the one way a .kit.yaml comes to be, for kit new and for
// every update: refs are the chassis then the cartridges in the order
// added, files the checksum of kit's version of each tracked path.
func NewState(kitVersion string, refs []SetRef, answers map[string]any, files map[string]string) *State {
	st := &State{KitVersion: kitVersion, Answers: answers, Cartridges: []SetRef{}, Files: files}
	if len(refs) > 0 {
		st.Template = refs[0]
		st.Cartridges = append(st.Cartridges, refs[1:]...)
	}
	if st.Files == nil {
		st.Files = map[string]string{}
	}
	return st
}

// Checksums maps each file's path to the checksum of its bytes.
func Checksums(files []File) map[string]string {
	m := make(map[string]string, len(files))
	for _, f := range files {
		m[f.Path] = Checksum(f.Data)
	}
	return m
}

// Refs names each set with its digest and release, in order.
func Refs(sets []*TemplateSet) ([]SetRef, error) {
	refs := make([]SetRef, 0, len(sets))
	for _, s := range sets {
		d, err := s.Digest()
		if err != nil {
			return nil, err
		}
		refs = append(refs, SetRef{Name: s.Manifest.Name, Version: d, Release: s.Release})
	}
	return refs, nil
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
