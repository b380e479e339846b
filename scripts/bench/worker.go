package main

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
)

// jobbenchSource is cmd/jobbench of the rendered chassis (module
// example.com/bench): it imports the chassis's packages, so it is built
// there, not here.
//
//go:embed jobbench/main.go.txt
var jobbenchSource []byte

// workerResult is what cmd/jobbench printed: the seconds of each round for
// each mode, every round running jobs jobs.
type workerResult struct {
	Jobs        int                  `json:"jobs"`
	Concurrency int                  `json:"concurrency"`
	Seconds     map[string][]float64 `json:"seconds"`
	rounds      int
}

// jobsPerSec is the mode's throughput over all its rounds.
func (w *workerResult) jobsPerSec(mode string) float64 {
	var total float64
	for _, s := range w.Seconds[mode] {
		total += s
	}
	if total == 0 {
		return 0
	}
	return float64(w.Jobs*len(w.Seconds[mode])) / total
}

// benchWorker builds cmd/jobbench in the rendered repo and runs it with
// env (a migrated database, the private Redis).
func benchWorker(o options, repo, bin string, env []string) (*workerResult, error) {
	dir := filepath.Join(repo, "cmd", "jobbench")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "main.go"), jobbenchSource, 0o644); err != nil {
		return nil, err
	}
	if err := run(repo, nil, "go", "build", "-o", bin+"/", "./cmd/jobbench"); err != nil {
		return nil, fmt.Errorf("build cmd/jobbench: %w", err)
	}
	jobs, rounds := 10000, 5
	if o.quick {
		jobs, rounds = 3000, 3
	}
	log.Printf("worker: %d rounds of %d jobs per mode, interleaved", rounds, jobs)
	cmd := exec.Command(filepath.Join(bin, "jobbench"), "-jobs", strconv.Itoa(jobs), "-rounds", strconv.Itoa(rounds))
	cmd.Dir = repo
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("jobbench: %w", err)
	}
	res := &workerResult{rounds: rounds}
	if err := json.Unmarshal(out, res); err != nil {
		return nil, fmt.Errorf("jobbench output %q: %w", out, err)
	}
	return res, nil
}
