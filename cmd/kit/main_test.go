package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/agencystandard/kit/internal/cmd/root"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"kit": func() { os.Exit(int(root.Main())) },
	})
}

// TestScripts runs testdata/script/*.txtar. Scripts that build and test a
// generated repository are marked [short] and share this machine's Go module
// and build caches, so that only the first one pays for downloads.
func TestScripts(t *testing.T) {
	goEnv := goEnvVars(t, "GOMODCACHE", "GOCACHE", "GOPROXY", "GOSUMDB", "GONOSUMDB", "GOPRIVATE", "GOFLAGS", "GOTOOLCHAIN")
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("..", "..", "testdata", "script"),
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Setup: func(env *testscript.Env) error {
			for k, v := range goEnv {
				env.Setenv(k, v)
			}
			// The generated repository's tests and binaries reach the local
			// services through these; pass the caller's settings along.
			for _, k := range []string{"TEST_DATABASE_URL", "TEST_REDIS_URL", "PGHOST", "PGUSER", "PGPORT"} {
				if v, ok := os.LookupEnv(k); ok {
					env.Setenv(k, v)
				}
			}
			env.Setenv("GOPATH", filepath.Join(filepath.Dir(goEnv["GOMODCACHE"])))
			env.Setenv("NO_COLOR", "1")
			repo, err := filepath.Abs(filepath.Join("..", ".."))
			if err != nil {
				return err
			}
			env.Setenv("KIT_REPO", repo)
			port, err := freePort()
			if err != nil {
				return err
			}
			env.Setenv("PORT", fmt.Sprint(port))
			// The generated api's metrics listener, a port of its own too.
			metricsPort, err := freePort()
			if err != nil {
				return err
			}
			env.Setenv("METRICS_PORT", fmt.Sprint(metricsPort))
			// A database of the script's own, dropped when the script ends.
			db := fmt.Sprintf("kit_script_%d_%d", os.Getpid(), port)
			env.Setenv("E2E_DB", db)
			env.Defer(func() { dropDatabase(db) })
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"httpget":     cmdHTTPGet,
			"createdb":    cmdCreateDB,
			"treeequal":   cmdTreeEqual,
			"waitfile":    cmdWaitFile,
			"copytree":    cmdCopyTree,
			"appendfile":  cmdAppendFile,
			"prependfile": cmdPrependFile,
			"replace":     cmdReplace,
			"jsonvalid":   cmdJSONValid,
		},
	})
}

// goEnvVars reads the go command's view of the named variables, so scripts
// use the same caches as the test run itself.
func goEnvVars(t *testing.T, names ...string) map[string]string {
	t.Helper()
	out, err := exec.Command("go", append([]string{"env"}, names...)...).Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	vals := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	env := map[string]string{}
	for i, n := range names {
		if i < len(vals) && vals[i] != "" {
			env[n] = vals[i]
		}
	}
	return env
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// cmdHTTPGet: httpget [-wait duration] url status [body-regexp]
// It retries until the deadline when -wait is given (a server starting up).
func cmdHTTPGet(ts *testscript.TestScript, neg bool, args []string) {
	wait := time.Duration(0)
	if len(args) > 1 && args[0] == "-wait" {
		d, err := time.ParseDuration(args[1])
		ts.Check(err)
		wait, args = d, args[2:]
	}
	if len(args) < 2 || len(args) > 3 {
		ts.Fatalf("usage: httpget [-wait duration] url status [body-regexp]")
	}
	deadline := time.Now().Add(wait)
	client := &http.Client{Timeout: 5 * time.Second}
	for {
		resp, err := client.Get(args[0])
		if err != nil {
			if time.Now().Before(deadline) {
				time.Sleep(200 * time.Millisecond)
				continue
			}
			ts.Fatalf("GET %s: %v", args[0], err)
		}
		var body bytes.Buffer
		body.ReadFrom(resp.Body)
		resp.Body.Close()
		ts.Logf("GET %s: %s %s", args[0], resp.Status, body.String())
		ok := fmt.Sprint(resp.StatusCode) == args[1]
		if ok && len(args) == 3 {
			ok = regexp.MustCompile(args[2]).Match(body.Bytes())
		}
		if ok == neg {
			ts.Fatalf("GET %s: got %s %q", args[0], resp.Status, body.String())
		}
		return
	}
}

// cmdCreateDB: createdb name — creates a database on the local PostgreSQL.
func cmdCreateDB(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 || neg {
		ts.Fatalf("usage: createdb name")
	}
	out, err := psql(fmt.Sprintf(`CREATE DATABASE "%s"`, args[0]))
	if err != nil {
		ts.Fatalf("create database %s: %v\n%s", args[0], err, out)
	}
}

func dropDatabase(name string) {
	psql(fmt.Sprintf(`DROP DATABASE IF EXISTS "%s" WITH (FORCE)`, name))
}

// psql runs one statement as the postgres user of the local server (or the
// one PGHOST/PGPORT/PGUSER name).
func psql(stmt string) ([]byte, error) {
	args := []string{"-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", "postgres", "-c", stmt}
	if os.Getenv("PGHOST") == "" {
		args = append([]string{"-h", "127.0.0.1"}, args...)
	}
	if os.Getenv("PGUSER") == "" {
		args = append([]string{"-U", "postgres"}, args...)
	}
	return exec.Command("psql", args...).CombinedOutput()
}

// cmdWaitFile: waitfile path timeout — waits until a file exists.
func cmdWaitFile(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 || neg {
		ts.Fatalf("usage: waitfile path timeout")
	}
	d, err := time.ParseDuration(args[1])
	ts.Check(err)
	for deadline := time.Now().Add(d); ; time.Sleep(50 * time.Millisecond) {
		if _, err := os.Stat(ts.MkAbs(args[0])); err == nil {
			return
		}
		if time.Now().After(deadline) {
			ts.Fatalf("%s did not appear within %s", args[0], d)
		}
	}
}

// cmdJSONValid: jsonvalid file — fails unless the file holds one JSON value.
func cmdJSONValid(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 || neg {
		ts.Fatalf("usage: jsonvalid file")
	}
	var v any
	if err := json.Unmarshal([]byte(ts.ReadFile(args[0])), &v); err != nil {
		ts.Fatalf("%s is not JSON: %v", args[0], err)
	}
}
