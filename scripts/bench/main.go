// Command bench measures the generated service's request path against a
// minimal reference server, and kit's own speed, and writes the figures to
// docs/performance.md. It is run by `just bench` (or `go run ./scripts/bench
// -quick` for a short run), never by `go test`.
//
// It needs the local PostgreSQL (a role that may create databases and
// roles, -pg) and redis-server on PATH (it starts a private one so that
// Redis command counts are the api's alone; without one it uses -redis).
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"
)

type options struct {
	quick       bool
	out         string
	pg          string
	redis       string
	concurrency int
	rounds      int
	roundTime   time.Duration
	warmup      time.Duration
	kitRuns     int
	ccRuns      int
	updateIters int
	skipRequest bool
	skipWorker  bool
	skipKit     bool
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("bench: ")
	var o options
	flag.BoolVar(&o.quick, "quick", false, "a short run: fewer and shorter rounds")
	flag.StringVar(&o.out, "out", "docs/performance.md", "where the Markdown report goes (\"-\" for stdout)")
	flag.StringVar(&o.pg, "pg", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", "PostgreSQL superuser URL (databases and roles are created through it)")
	flag.StringVar(&o.redis, "redis", "redis://127.0.0.1:6379/0", "Redis to use when redis-server is not on PATH")
	flag.IntVar(&o.concurrency, "c", 8, "concurrent connections of the load client")
	flag.IntVar(&o.rounds, "rounds", 0, "measured rounds per server, interleaved (default 5, quick 2)")
	flag.DurationVar(&o.roundTime, "round", 0, "length of a round (default 10s, quick 3s)")
	flag.IntVar(&o.kitRuns, "kit-runs", 0, "`kit new` runs timed (default 20, quick 5)")
	flag.IntVar(&o.ccRuns, "cookiecutter-runs", 0, "cookiecutter runs timed (default 10, quick 3)")
	flag.IntVar(&o.updateIters, "update-iters", 5, "iterations of BenchmarkUpdate")
	flag.BoolVar(&o.skipRequest, "skip-request", false, "skip the request-path comparison")
	flag.BoolVar(&o.skipWorker, "skip-worker", false, "skip the worker's throughput (measured with the request path, on its database)")
	flag.BoolVar(&o.skipKit, "skip-kit", false, "skip kit's own speed")
	flag.Parse()
	def := func(v *int, full, quick int) {
		if *v == 0 {
			*v = full
			if o.quick {
				*v = quick
			}
		}
	}
	def(&o.rounds, 5, 2)
	def(&o.kitRuns, 20, 5)
	def(&o.ccRuns, 10, 3)
	if o.roundTime == 0 {
		o.roundTime = 10 * time.Second
		if o.quick {
			o.roundTime = 3 * time.Second
		}
	}
	o.warmup = o.roundTime / 3

	if _, err := os.Stat("go.mod"); err != nil {
		log.Fatal("run from the root of the kit repository")
	}
	tmp, err := os.MkdirTemp("", "kit-bench-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)

	r := report{opts: o, machine: describeMachine(), started: time.Now()}
	kit := filepath.Join(tmp, "kit")
	if err := run("", nil, "go", "build", "-o", kit, "./cmd/kit"); err != nil {
		log.Fatalf("build kit: %v", err)
	}
	if !o.skipRequest {
		res, err := benchRequestPath(o, tmp)
		if err != nil {
			log.Fatalf("request path: %v", err)
		}
		r.request = res
	}
	if !o.skipKit {
		r.kitNew, r.copyFloor, r.cookiecutter, r.ccNote = benchKitNew(o, kit, tmp)
		r.update, r.updateNote = benchUpdate(o)
	}
	r.machine.loadEnd = loadAverage()
	md := r.markdown()
	if o.out == "-" {
		fmt.Print(md)
		return
	}
	if err := os.WriteFile(o.out, []byte(md), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %s", o.out)
}
