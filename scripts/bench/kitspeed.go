package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// speed is a timed batch of renders.
type speed struct {
	runs  int
	files int
	total time.Duration
}

func (s speed) perRun() time.Duration { return s.total / time.Duration(s.runs) }
func (s speed) filesPerSec() float64 {
	return float64(s.files*s.runs) / s.total.Seconds()
}

// benchKitNew times `kit new --no-git`, `cp -r` of the tree it writes (the
// floor: writing the same files and nothing else, one process a run) and,
// when cookiecutter is installed, cookiecutter rendering a template made
// of the same tree. The runs are interleaved (kit, cp, cookiecutter, kit,
// ...), so that the file system's moods — writeback of earlier runs, the
// page cache — fall on all three alike.
func benchKitNew(o options, kit, tmp string) (kitNew, copyFloor, cc *speed, ccNote string) {
	dir := filepath.Join(tmp, "kitnew")
	render := func(i int) string {
		d := filepath.Join(dir, strconv.Itoa(i))
		if err := runQuiet("", nil, kit, "new", "bench", "--yes", "--no-git", "--dir", d, "--module", "example.com/bench"); err != nil {
			log.Fatalf("kit new: %v", err)
		}
		return d
	}
	first := render(-1) // warm the page cache and the binary
	files := countFiles(first)
	if err := os.MkdirAll(filepath.Join(tmp, "cp"), 0o755); err != nil {
		log.Fatal(err)
	}
	copyRun := func(i int) {
		if err := runQuiet("", nil, "cp", "-r", first, filepath.Join(tmp, "cp", strconv.Itoa(i))); err != nil {
			log.Fatalf("cp -r: %v", err)
		}
	}
	kitNew, copyFloor = &speed{files: files}, &speed{files: files}
	timed := func(s *speed, run func()) {
		start := time.Now()
		run()
		s.total += time.Since(start)
		s.runs++
	}

	var ccRun func(i int) error
	ccOut := filepath.Join(tmp, "ccout")
	path, err := exec.LookPath("cookiecutter")
	switch {
	case err != nil:
		ccNote = "cookiecutter is not installed (`apt-get install cookiecutter` adds it)"
	default:
		tpl := filepath.Join(tmp, "cc-template")
		if err := makeCookiecutter(first, tpl); err != nil {
			ccNote = "could not make the cookiecutter template: " + err.Error()
			break
		}
		ccRun = func(i int) error {
			return runQuiet("", nil, path, "--no-input", "-f", "-o", filepath.Join(ccOut, strconv.Itoa(i)), tpl)
		}
		if err := ccRun(-1); err != nil {
			ccNote, ccRun = "cookiecutter failed: "+err.Error(), nil
			break
		}
		cc = &speed{files: countFiles(filepath.Join(ccOut, "-1", "bench"))}
		out, _ := exec.Command(path, "--version").Output()
		version := strings.Fields(string(out)) // "Cookiecutter 1.7.3 from ..."
		if len(version) > 2 {
			version = version[:2]
		}
		ccNote = strings.Join(version, " ")
	}
	log.Printf("timing %d runs of kit new and of cp -r, %d of cookiecutter, interleaved (%d files each)", o.kitRuns, o.ccRuns, files)
	for i := range max(o.kitRuns, o.ccRuns) {
		if i < o.kitRuns {
			timed(kitNew, func() { render(i) })
			timed(copyFloor, func() { copyRun(i) })
		}
		if ccRun != nil && i < o.ccRuns {
			var err error
			timed(cc, func() { err = ccRun(i) })
			if err != nil {
				return kitNew, copyFloor, nil, "cookiecutter failed: " + err.Error()
			}
		}
	}
	return kitNew, copyFloor, cc, ccNote
}

func countFiles(root string) int {
	n := 0
	_ = filepath.WalkDir(root, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			n++
		}
		return nil
	})
	return n
}

// makeCookiecutter copies the rendered tree src under
// tpl/{{cookiecutter.name}}/, with "bench" in every file turned back into
// {{cookiecutter.name}}, so that cookiecutter renders every file through
// Jinja as kit renders every file through its templates. Text that Jinja
// would read as its own syntax is wrapped in raw blocks.
func makeCookiecutter(src, tpl string) error {
	root := filepath.Join(tpl, "{{cookiecutter.name}}")
	jinja := regexp.MustCompile(`\{\{|\{%|\{#|\}\}|%\}|#\}`)
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		dst := filepath.Join(root, strings.ReplaceAll(rel, "bench", "{{cookiecutter.name}}"))
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if jinja.Match(b) {
			b = []byte("{% raw %}" + string(b) + "{% endraw %}")
		} else {
			b = bytes.ReplaceAll(b, []byte("bench"), []byte("{{cookiecutter.name}}"))
		}
		return os.WriteFile(dst, b, info.Mode().Perm())
	})
	if err != nil {
		return err
	}
	cfg, _ := json.Marshal(map[string]any{"name": "bench"})
	return os.WriteFile(filepath.Join(tpl, "cookiecutter.json"), cfg, 0o644)
}

// benchUpdate runs the BenchmarkUpdate Go benchmark (kit update on the full
// chassis with 50 edited files, each a three-way merge) and returns ns/op.
func benchUpdate(o options) (time.Duration, string) {
	log.Printf("running BenchmarkUpdate -benchtime %dx", o.updateIters)
	cmd := exec.Command("go", "test", "./internal/project", "-run", "^$", "-bench", "^BenchmarkUpdate$",
		"-benchtime", fmt.Sprintf("%dx", o.updateIters))
	out, err := cmd.CombinedOutput()
	if err != nil {
		return 0, fmt.Sprintf("BenchmarkUpdate failed: %v", err)
	}
	m := regexp.MustCompile(`BenchmarkUpdate(?:-\d+)?\s+\d+\s+(\d+(?:\.\d+)?) ns/op`).FindSubmatch(out)
	if m == nil {
		return 0, "no ns/op in the benchmark's output"
	}
	ns, _ := strconv.ParseFloat(string(m[1]), 64)
	return time.Duration(ns), ""
}
