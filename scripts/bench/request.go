package main

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// side is one server under load.
type side struct {
	name string
	url  string
	cmd  *exec.Cmd
	db   string // its own database, so xact_commit counts only its work

	requests int64         // every request sent, warm-up included
	measured int64         // requests in measured rounds
	elapsed  time.Duration // measured wall time
	cpuTicks int64         // utime+stime over measured rounds
	lat      []time.Duration
	errors   int64
	redis    int64 // Redis commands over the whole run, those run by scripts included
	redisRTs int64 // Redis requests read (round trips) over the whole run
	redisCmd map[string]int64
	xacts    int64 // committed transactions over the whole run
}

type requestResult struct {
	api, ref    *side
	concurrency int
	rounds      int
	round       time.Duration
	privRedis   bool
	bodyBytes   int
	worker      *workerResult // nil with -skip-worker
}

func (s *side) rps() float64 { return float64(s.measured) / s.elapsed.Seconds() }
func (s *side) cpuPerReq() float64 {
	return float64(s.cpuTicks) * 1e6 / clockTicks / float64(s.measured)
}
func (s *side) pct(p float64) time.Duration {
	if len(s.lat) == 0 {
		return 0
	}
	i := int(p * float64(len(s.lat)-1))
	return s.lat[i]
}

// clockTicks is USER_HZ, the unit of utime and stime in /proc/<pid>/stat
// (100 on every Linux architecture Go supports).
const clockTicks = 100

func benchRequestPath(o options, tmp string) (res *requestResult, err error) {
	var cleanups []func()
	defer func() {
		for i := len(cleanups) - 1; i >= 0; i-- {
			cleanups[i]()
		}
	}()
	repo := filepath.Join(tmp, "bench")
	log.Printf("rendering the chassis into %s", repo)
	if err := run("", nil, "go", "run", "./cmd/kit", "new", "bench", "--yes", "--no-git", "--dir", repo, "--module", "example.com/bench"); err != nil {
		return nil, fmt.Errorf("kit new: %w", err)
	}
	bin := filepath.Join(tmp, "bin")
	log.Printf("building cmd/api, cmd/benchctl and the reference server")
	if err := run(repo, nil, "go", "build", "-o", bin+"/", "./cmd/api", "./cmd/benchctl"); err != nil {
		return nil, err
	}
	if err := run("scripts/bench/reference", nil, "go", "build", "-o", filepath.Join(bin, "reference"), "."); err != nil {
		return nil, err
	}

	redisURL := o.redis
	res = &requestResult{concurrency: o.concurrency, rounds: o.rounds, round: o.roundTime}
	if path, err := exec.LookPath("redis-server"); err == nil {
		port := freePort()
		cmd := exec.Command(path, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
		if err := cmd.Start(); err != nil {
			return nil, err
		}
		cleanups = append(cleanups, func() { stop(cmd) })
		redisURL = fmt.Sprintf("redis://127.0.0.1:%d/0", port)
		res.privRedis = true
		if err := waitFor(func() error { _, err := redisCalls(redisURL); return err }); err != nil {
			return nil, fmt.Errorf("private redis-server: %w", err)
		}
	}

	pgHost := strings.TrimSuffix(strings.SplitN(strings.TrimPrefix(o.pg, "postgres://"), "/", 2)[0], "")
	hostPort := pgHost[strings.LastIndex(pgHost, "@")+1:]
	api := &side{name: "api", db: fmt.Sprintf("kitbench_api_%d", os.Getpid())}
	ref := &side{name: "reference", db: fmt.Sprintf("kitbench_ref_%d", os.Getpid())}
	res.api, res.ref = api, ref
	benchctl := filepath.Join(bin, "benchctl")
	for _, s := range []*side{api, ref} {
		if _, err := psql(o.pg, "CREATE DATABASE "+s.db); err != nil {
			return nil, err
		}
		db := s.db
		cleanups = append(cleanups, func() { _, _ = psql(o.pg, "DROP DATABASE IF EXISTS "+db+" WITH (FORCE)") })
		env := []string{
			"APP_ENV=development",
			"DATABASE_URL=postgres://bench_app@" + hostPort + "/" + s.db + "?sslmode=disable",
			"MIGRATION_DATABASE_URL=" + strings.Replace(o.pg, "/postgres?", "/"+s.db+"?", 1),
			"REDIS_URL=" + redisURL,
			"PASSWORD_BREACH_CHECK=false",
			"LOG_LEVEL=warn",
		}
		for _, args := range [][]string{{"db", "create-role"}, {"migrate", "up"}, {"seed"}} {
			if err := runQuiet(repo, env, benchctl, args...); err != nil && !(args[0] == "db" && strings.Contains(err.Error(), "exists")) {
				return nil, fmt.Errorf("benchctl %s: %w", strings.Join(args, " "), err)
			}
		}
	}

	seed := make([]byte, ed25519.SeedSize)
	for i := range seed {
		seed[i] = byte(i*7 + 1)
	}
	pub := ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey)
	const kid = "bench"
	lim := "1000000000/1m"
	apiPort, refPort := freePort(), freePort()
	apiEnv := []string{
		"APP_ENV=development",
		"DATABASE_URL=postgres://bench_app@" + hostPort + "/" + api.db + "?sslmode=disable",
		"REDIS_URL=" + redisURL,
		fmt.Sprintf("HTTP_ADDR=127.0.0.1:%d", apiPort),
		"METRICS_ADDR=off",
		"LOG_LEVEL=warn",
		"API_DOCS=false",
		"PASSWORD_BREACH_CHECK=false",
		"JWT_SIGNING_KEY=" + kid + ":" + base64.StdEncoding.EncodeToString(seed),
		// The limits stay on (each request still counts in Redis) but so
		// high that the load never reaches them.
		"RATE_LIMIT_DEFAULT=" + lim, "RATE_LIMIT_FREE=" + lim, "RATE_LIMIT_PRO=" + lim, "RATE_LIMIT_ENTERPRISE=" + lim,
	}
	api.cmd = exec.Command(filepath.Join(bin, "api"))
	api.cmd.Env = append(os.Environ(), apiEnv...)
	api.url = fmt.Sprintf("http://127.0.0.1:%d", apiPort)
	ref.cmd = exec.Command(filepath.Join(bin, "reference"), "-addr", fmt.Sprintf("127.0.0.1:%d", refPort))
	ref.cmd.Env = append(os.Environ(),
		"DATABASE_URL=postgres://bench_app@"+hostPort+"/"+ref.db+"?sslmode=disable",
		"JWT_PUBLIC_KEY="+kid+":"+base64.StdEncoding.EncodeToString(pub))
	ref.url = fmt.Sprintf("http://127.0.0.1:%d", refPort)
	for _, s := range []*side{api, ref} {
		s.cmd.Stdout, s.cmd.Stderr = os.Stderr, os.Stderr
		if err := s.cmd.Start(); err != nil {
			return nil, err
		}
		cmd := s.cmd
		cleanups = append(cleanups, func() { stop(cmd) })
	}
	if err := waitFor(func() error { return get(api.url + "/health/ready") }); err != nil {
		return nil, fmt.Errorf("api not ready: %w", err)
	}
	if err := waitFor(func() error { return get(ref.url + "/health") }); err != nil {
		return nil, fmt.Errorf("reference not ready: %w", err)
	}

	token, tenant, err := login(api.url)
	if err != nil {
		return nil, err
	}
	path := "/api/v1/tenants/" + tenant + "/projects"
	body, err := fetchBody(api.url+path, token)
	if err != nil {
		return nil, err
	}
	refBody, err := fetchBody(ref.url+path, token)
	if err != nil {
		return nil, err
	}
	if !sameJSONShape(body, refBody) {
		return nil, fmt.Errorf("the reference answers differently:\napi: %s\nref: %s", body, refBody)
	}
	res.bodyBytes = len(body)

	redis0, err := redisCalls(redisURL)
	if err != nil {
		return nil, err
	}
	xact0 := map[*side]int64{}
	for _, s := range []*side{api, ref} {
		if xact0[s], err = xactCommit(o.pg, s.db); err != nil {
			return nil, err
		}
	}

	client := &http.Client{Transport: &http.Transport{
		MaxIdleConns: o.concurrency * 2, MaxIdleConnsPerHost: o.concurrency * 2, DisableCompression: true,
	}}
	for _, s := range []*side{api, ref} {
		log.Printf("warming up %s for %s", s.name, o.warmup)
		load(client, s, s.url+path, token, o.concurrency, o.warmup, false)
	}
	for i := range o.rounds {
		for _, s := range []*side{api, ref} {
			log.Printf("round %d/%d: %s for %s at concurrency %d", i+1, o.rounds, s.name, o.roundTime, o.concurrency)
			t0, err := procTicks(s.cmd.Process.Pid)
			if err != nil {
				return nil, err
			}
			load(client, s, s.url+path, token, o.concurrency, o.roundTime, true)
			t1, err := procTicks(s.cmd.Process.Pid)
			if err != nil {
				return nil, err
			}
			s.cpuTicks += t1 - t0
		}
	}
	redis1, err := redisCalls(redisURL)
	if err != nil {
		return nil, err
	}
	// Stopping the servers ends their database sessions, which flushes the
	// sessions' statistics to pg_stat_database.
	for _, s := range []*side{api, ref} {
		stop(s.cmd)
	}
	time.Sleep(700 * time.Millisecond)
	for _, s := range []*side{api, ref} {
		x, err := xactCommit(o.pg, s.db)
		if err != nil {
			return nil, err
		}
		s.xacts = x - xact0[s]
		sort.Slice(s.lat, func(i, j int) bool { return s.lat[i] < s.lat[j] })
	}
	// Only the api talks to Redis (the private one), so the deltas are its.
	api.redisCmd = map[string]int64{}
	for k, v := range redis1 {
		d := v - redis0[k]
		switch {
		case k == "":
			api.redisRTs = d - 1 // the INFO that read redis1
		case d > 0:
			api.redisCmd[k] = d
			api.redis += d
		}
	}
	if !res.privRedis {
		log.Printf("warning: no redis-server on PATH; Redis calls include everything else on %s", redisURL)
	}
	if !o.skipWorker {
		// The api's database and the private Redis, now that the servers
		// have stopped.
		if res.worker, err = benchWorker(o, repo, bin, apiEnv); err != nil {
			return nil, fmt.Errorf("worker: %w", err)
		}
	}
	return res, nil
}

// load drives url from c connections for d and, if measured, records the
// latencies and counts into s.
func load(client *http.Client, s *side, url, token string, c int, d time.Duration, measured bool) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	for range c {
		wg.Go(func() {
			var lat []time.Duration
			var n, bad int64
			for time.Now().Before(deadline) {
				req, _ := http.NewRequest(http.MethodGet, url, nil)
				req.Header.Set("Authorization", "Bearer "+token)
				t := time.Now()
				resp, err := client.Do(req)
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if err == nil && resp.StatusCode != http.StatusOK {
						err = errors.New(resp.Status)
					}
				}
				n++
				if err != nil {
					bad++
					continue
				}
				lat = append(lat, time.Since(t))
			}
			mu.Lock()
			s.requests += n
			if measured {
				s.measured += n - bad
				s.errors += bad
				s.lat = append(s.lat, lat...)
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	if measured {
		s.elapsed += time.Since(start)
	}
}

func login(base string) (token, tenant string, err error) {
	body := `{"email":"owner@acme.example","password":"demo-owner-password"}`
	resp, err := http.Post(base+"/api/v1/auth/login", "application/json", strings.NewReader(body))
	if err != nil {
		return "", "", err
	}
	defer resp.Body.Close()
	var out struct {
		AccessToken string `json:"access_token"`
		TenantID    string `json:"tenant_id"`
	}
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || json.Unmarshal(b, &out) != nil || out.AccessToken == "" {
		return "", "", fmt.Errorf("login: %s %s", resp.Status, b)
	}
	return out.AccessToken, out.TenantID, nil
}

func fetchBody(url, token string) ([]byte, error) {
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET %s: %s %s", url, resp.Status, b)
	}
	return b, err
}

// sameJSONShape reports whether a and b are the same JSON apart from the
// values of ids and timestamps (each server has its own seeded database).
func sameJSONShape(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return shape(x) == shape(y)
}

func shape(v any) string {
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var sb strings.Builder
		for _, k := range keys {
			val := shape(v[k])
			if k == "id" || k == "created_by" || strings.HasSuffix(k, "_at") {
				val = "*"
			}
			fmt.Fprintf(&sb, "%s:%s,", k, val)
		}
		return "{" + sb.String() + "}"
	case []any:
		var sb strings.Builder
		for _, e := range v {
			sb.WriteString(shape(e) + ",")
		}
		return "[" + sb.String() + "]"
	default:
		return fmt.Sprint(v)
	}
}

func get(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		return errors.New(resp.Status)
	}
	return nil
}

func waitFor(f func() error) error {
	var err error
	for range 100 {
		if err = f(); err == nil {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return err
}

func freePort() int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func stop(cmd *exec.Cmd) {
	if cmd.Process == nil || cmd.ProcessState != nil {
		return
	}
	_ = cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
}

// procTicks is utime+stime of pid, in clock ticks.
func procTicks(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// Fields after the command name, which is in parentheses and may hold
	// spaces; utime and stime are fields 14 and 15 of the whole line.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("short /proc/%d/stat", pid)
	}
	u, err1 := strconv.ParseInt(f[11], 10, 64)
	s, err2 := strconv.ParseInt(f[12], 10, 64)
	return u + s, errors.Join(err1, err2)
}

func psql(url, sql string) (string, error) {
	out, err := exec.Command("psql", url, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("psql %q: %v: %s", sql, err, out)
	}
	return strings.TrimSpace(string(out)), nil
}

func xactCommit(pg, db string) (int64, error) {
	out, err := psql(pg, "SELECT xact_commit FROM pg_stat_database WHERE datname = '"+db+"'")
	if err != nil {
		return 0, err
	}
	return strconv.ParseInt(out, 10, 64)
}

// redisCalls is INFO commandstats as calls per command, leaving out INFO
// itself (which only this program sends), plus, under the key "" (no
// command has that name), total_reads_processed from INFO stats: the reads
// of client requests, which counts round trips, where commandstats also
// counts each command a Lua script runs.
func redisCalls(url string) (map[string]int64, error) {
	addr := strings.TrimPrefix(url, "redis://")
	addr, _, _ = strings.Cut(addr, "/")
	if i := strings.LastIndex(addr, "@"); i >= 0 {
		addr = addr[i+1:]
	}
	conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	// One request, so one read: the reads count moves by one per call.
	if _, err := io.WriteString(conn, "*3\r\n$4\r\nINFO\r\n$5\r\nstats\r\n$12\r\ncommandstats\r\n"); err != nil {
		return nil, err
	}
	r := bufio.NewReader(conn)
	head, err := r.ReadString('\n')
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(head, "$") {
		return nil, fmt.Errorf("redis INFO: %q", head)
	}
	n, err := strconv.Atoi(strings.TrimSpace(head[1:]))
	if err != nil {
		return nil, err
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(r, buf); err != nil {
		return nil, err
	}
	calls := map[string]int64{}
	for line := range strings.Lines(string(buf)) {
		line = strings.TrimSpace(line)
		if v, ok := strings.CutPrefix(line, "total_reads_processed:"); ok {
			if calls[""], err = strconv.ParseInt(v, 10, 64); err != nil {
				return nil, err
			}
			continue
		}
		name, rest, ok := strings.Cut(line, ":calls=")
		if !ok || !strings.HasPrefix(name, "cmdstat_") || name == "cmdstat_info" {
			continue
		}
		v, _, _ := strings.Cut(rest, ",")
		c, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, err
		}
		calls[strings.TrimPrefix(name, "cmdstat_")] = c
	}
	if _, ok := calls[""]; !ok {
		return nil, errors.New("redis INFO stats has no total_reads_processed (Redis 6 or later has)")
	}
	return calls, nil
}
