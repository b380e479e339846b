package main

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"sort"
	"strings"
	"time"
)

type machine struct {
	cpus      int
	model     string
	loadStart string
	loadEnd   string
	goVersion string
	kitRev    string
}

type report struct {
	opts         options
	machine      machine
	started      time.Time
	request      *requestResult
	kitNew       *speed
	copyFloor    *speed
	cookiecutter *speed
	ccNote       string
	update       time.Duration
	updateNote   string
}

func describeMachine() machine {
	m := machine{cpus: runtime.NumCPU(), model: "unknown", loadStart: loadAverage()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.Lines(string(b)) {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.model = strings.TrimSpace(v)
				break
			}
		}
	}
	if out, err := exec.Command("go", "version").Output(); err == nil {
		m.goVersion = strings.TrimPrefix(strings.TrimSpace(string(out)), "go version ")
	}
	if out, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output(); err == nil {
		m.kitRev = strings.TrimSpace(string(out))
	}
	return m
}

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/1e6) }

func (r report) markdown() string {
	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	mode := "full"
	if r.opts.quick {
		mode = "quick (`-quick`)"
	}
	w("# Performance\n\n")
	w("Figures written by `just bench` (`go run ./scripts/bench`), %s run. They are\n", mode)
	w("one machine's numbers, for comparing changes on that machine, not\nguarantees. Regenerate them with `just bench` (or `just bench quick`).\n\n")
	w("## Machine\n\n| | |\n|---|---|\n")
	w("| CPUs (`nproc`) | %d |\n| CPU | %s |\n", r.machine.cpus, r.machine.model)
	w("| load average (1, 5, 15 min) at start | %s |\n| load average at end | %s |\n", r.machine.loadStart, r.machine.loadEnd)
	w("| Go | %s |\n| kit commit | %s |\n| date | %s |\n\n", r.machine.goVersion, r.machine.kitRev, r.started.UTC().Format("2006-01-02 15:04 MST"))
	if loaded(r.machine) {
		w("The machine was loaded by other work when these figures were taken\n(a load average above half its %d cores at the start): absolute numbers are\nlow and noisy, and the ratios, taken from interleaved rounds, are the\nfigures to read.\n\n", r.machine.cpus)
	}

	if q := r.request; q != nil {
		a, f := q.api, q.ref
		w("## Request path: `GET /api/v1/tenants/{tenant_id}/projects`\n\n")
		w("A chassis rendered by this kit (`kit new bench`), its `cmd/api` built\nand run against a fresh migrated and seeded database (`benchctl db\ncreate-role`, `migrate up`, `seed`), signed in as the seeded owner, lists\nthe tenant's projects (%d-byte JSON page). Beside it,\n", q.bodyBytes)
		w("`scripts/bench/reference` answers the same request with only the\nnecessary work: it verifies the same Ed25519 access token, runs one\ntransaction (`set_config('app.tenant_id', …, true)`, the page's SELECT and\nthe count, sent as one pipelined batch) and writes the same JSON, using\nonly pgx and the standard library. It checks the token's signature on\nevery request, where the api remembers tokens that verified; it has no\nrate limit, logging, metrics or security headers.\n\n")
		w("A Go load client on loopback keeps %d requests in flight; each server\nhad %d measured rounds of %s, interleaved (api, reference, api, …) after\na warm-up. The client shares the machine's cores with the servers and\nthe databases.\n\n", q.concurrency, q.rounds, q.round)
		w("| | api | reference | api / reference |\n|---|---:|---:|---:|\n")
		w("| requests/s | %.0f | %.0f | **%.2f×** |\n", a.rps(), f.rps(), a.rps()/f.rps())
		w("| p50 latency | %s | %s | %.2f× |\n", ms(a.pct(0.50)), ms(f.pct(0.50)), ratio(a.pct(0.50), f.pct(0.50)))
		w("| p99 latency | %s | %s | %.2f× |\n", ms(a.pct(0.99)), ms(f.pct(0.99)), ratio(a.pct(0.99), f.pct(0.99)))
		w("| server CPU per request | %.0f µs | %.0f µs | %.2f× |\n", a.cpuPerReq(), f.cpuPerReq(), a.cpuPerReq()/f.cpuPerReq())
		w("| Redis round trips per request | %.2f | 0 | |\n", perReq(a.redisRTs, a.requests))
		w("| Redis commands per request (scripts' included) | %.2f | 0 | |\n", perReq(a.redis, a.requests))
		w("| PostgreSQL transactions per request | %.2f | %.2f | %.2f× |\n", perReq(a.xacts, a.requests), perReq(f.xacts, f.requests), perReq(a.xacts, a.requests)/perReq(f.xacts, f.requests))
		w("| requests measured (errors) | %d (%d) | %d (%d) | |\n\n", a.measured, a.errors, f.measured, f.errors)
		w("Requests/s is the figure the goal (api at least 0.6× the reference)\nis about; latency and CPU ratios are api over reference, so lower is\nbetter there. CPU per request is the server process's utime+stime\n(`/proc/<pid>/stat`) over the measured rounds. Round trips are counted\nover the whole run, warm-up included, divided by every request sent:\nRedis from a private `redis-server` only the api uses, round trips as\n`total_reads_processed` of `INFO stats` (requests read from clients),\ncommands as `INFO commandstats`, which also counts each command a Lua\nscript runs (the rate limiter's one script reads the tenant's plan and\nupdates the window); PostgreSQL transactions from `pg_stat_database.xact_commit` of each server's own\ndatabase (read after the servers stopped, so every session's statistics\nare flushed; the api's background work, such as its session-revocation\nlistener, is included).")
		if !q.privRedis {
			w(" No `redis-server` was on PATH, so the Redis figure counts every client of the shared Redis.")
		}
		w("\n\n")
		if len(a.redisCmd) > 0 {
			keys := make([]string, 0, len(a.redisCmd))
			for k := range a.redisCmd {
				keys = append(keys, k)
			}
			sort.Slice(keys, func(i, j int) bool { return a.redisCmd[keys[i]] > a.redisCmd[keys[j]] })
			var parts []string
			for _, k := range keys {
				parts = append(parts, fmt.Sprintf("`%s` %.2f", k, perReq(a.redisCmd[k], a.requests)))
			}
			w("The api's Redis commands per request, by command: %s.\n\n", strings.Join(parts, ", "))
		}
	}

	if q := r.request; q != nil && q.worker != nil {
		wk := q.worker
		w("## Worker: jobs per second\n\n")
		w("`cmd/jobbench`, built in the same rendered chassis, runs %d rounds of %d\njobs per mode after a warm-up round, the modes interleaved, %d tasks\nprocessed at once (one per CPU, the chassis's default), against the same\nprivate Redis and, for the outbox, the api's database:\n\n", wk.rounds, wk.Jobs, wk.Concurrency)
		w("| mode | what is timed | jobs/s | ratio |\n|---|---|---:|---:|\n")
		w("| raw asynq, trivial handler | the queue filled first, until the last job ran | %.0f | |\n", wk.jobsPerSec("raw"))
		w("| chassis worker, cheap task (`jobs.Handle`, `jobs.Mux`, `App.ObserveJobs`) | the same, enqueued with `jobs.Enqueuer` | %.0f | **%.2f×** raw |\n", wk.jobsPerSec("chassis"), wk.jobsPerSec("chassis")/wk.jobsPerSec("raw"))
		w("| raw asynq, delivered while served (8 enqueues in flight) | from the first enqueue until the last job ran | %.0f | |\n", wk.jobsPerSec("raw-delivery"))
		w("| outbox-relayed cheap task (`outbox.Enqueue`, the relay, the chassis worker) | the messages committed first, from starting the relay until the last job ran | %.0f | **%.2f×** raw delivered |\n\n", wk.jobsPerSec("outbox"), wk.jobsPerSec("outbox")/wk.jobsPerSec("raw-delivery"))
		w("The goal is 0.8× for both ratios. The outbox mode includes putting every\ntask into asynq, so it is compared with raw asynq enqueuing as it runs.\n\n")
	}

	if r.kitNew != nil {
		k := r.kitNew
		w("## kit's own speed\n\n")
		w("| | runs | files per run | time per run | files/s |\n|---|---:|---:|---:|---:|\n")
		w("| `kit new --no-git` (the chassis) | %d | %d | %s | %.0f |\n", k.runs, k.files, ms(k.perRun()), k.filesPerSec())
		if c := r.copyFloor; c != nil {
			w("| `cp -r` of the same tree (the floor) | %d | %d | %s | %.0f |\n", c.runs, c.files, ms(c.perRun()), c.filesPerSec())
		}
		if c := r.cookiecutter; c != nil {
			w("| cookiecutter, the same tree as a template (%s) | %d | %d | %s | %.0f |\n", r.ccNote, c.runs, c.files, ms(c.perRun()), c.filesPerSec())
		}
		w("\n")
		if c := r.copyFloor; c != nil {
			w("`cp -r` writes the same files and does nothing else: kit's time per run is %.2f× its, so\nwhat is left to gain in kit is at most the difference; the rest is the file system's.\n\n", ratio(k.perRun(), c.perRun()))
		}
		if c := r.cookiecutter; c != nil {
			w("kit renders %.1f× the files per second cookiecutter does. The\ncookiecutter template is the rendered chassis copied under\n`{{cookiecutter.name}}/` with the name put back as a variable, files\nholding Jinja-like syntax wrapped in raw blocks; every file goes through\nJinja, as every chassis file goes through kit's templates. Each run is a\nfresh process writing into a new directory.\n\n", k.filesPerSec()/c.filesPerSec())
		} else if r.ccNote != "" {
			w("No cookiecutter comparison: %s.\n\n", r.ccNote)
		}
		if r.updateNote == "" {
			w("`kit update` on the full chassis with 50 edited files, each a three-way\nmerge (`go test ./internal/project -bench '^BenchmarkUpdate$' -benchtime %dx`):\n**%s** per update (recover, read the state, plan, apply and commit, in a\nfresh process with kit's cache as an earlier command of the same kit left it).\n", r.opts.updateIters, ms(r.update))
		} else {
			w("`kit update` benchmark: %s.\n", r.updateNote)
		}
	}
	return b.String()
}

// loaded reports whether other work was running when the run started:
// a one-minute load average above half the cores. The load at the end is
// the benchmark's own and says nothing of other work.
func loaded(m machine) bool {
	var one float64
	if _, err := fmt.Sscan(strings.Fields(m.loadStart + " x")[0], &one); err != nil {
		return false
	}
	return one > float64(m.cpus)*0.5
}

func ratio(a, b time.Duration) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func perReq(n, reqs int64) float64 {
	if reqs == 0 {
		return 0
	}
	return float64(n) / float64(reqs)
}
