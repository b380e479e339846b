package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// No Docker engine runs where kit is tested, so the deploy files of a
// generated repository are checked statically: they parse, images are
// pinned, containers run as non-root with health checks, and the ports and
// variables agree with the rest of the repository.

var pinnedImage = regexp.MustCompile(`^[a-z0-9./_-]+:[A-Za-z0-9._-]*[0-9][A-Za-z0-9._-]*$`)

type composeFile struct {
	Services map[string]struct {
		Image       string         `yaml:"image"`
		Build       any            `yaml:"build"`
		Restart     string         `yaml:"restart"`
		EnvFile     []string       `yaml:"env_file"`
		Healthcheck map[string]any `yaml:"healthcheck"`
		Entrypoint  []string       `yaml:"entrypoint"`
		Expose      []string       `yaml:"expose"`
		DependsOn   map[string]struct {
			Condition string `yaml:"condition"`
		} `yaml:"depends_on"`
	} `yaml:"services"`
}

func TestDeployFilesAreSound(t *testing.T) {
	tree := generate(t, goldenCases[1].args) // port 9090, project billing-api
	const port = "9090"

	dockerfile := string(tree["deploy/Dockerfile"])
	var froms []string
	for _, line := range strings.Split(dockerfile, "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "FROM" {
			froms = append(froms, f[1])
		}
	}
	if len(froms) < 2 {
		t.Fatalf("Dockerfile is not multi-stage: FROM %v", froms)
	}
	for _, img := range froms {
		if img != "scratch" && !pinnedImage.MatchString(img) {
			t.Errorf("Dockerfile: image %q is not pinned to a version", img)
		}
	}
	for _, want := range []string{
		"USER 65532:65532", "CGO_ENABLED=0", "EXPOSE " + port, "ca-certificates.crt",
		`CMD ["/app/probe", "http://127.0.0.1:` + port + `/health/live"]`,
	} {
		if !strings.Contains(dockerfile, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	if froms[len(froms)-1] != "scratch" {
		t.Errorf("final stage %q is not a minimal image", froms[len(froms)-1])
	}
	if _, ok := tree["cmd/probe/main.go"]; !ok {
		t.Error("the HEALTHCHECK's probe command is not generated")
	}

	for _, name := range []string{"deploy/docker-compose.yml", "deploy/docker-compose.prod.yml"} {
		var c composeFile
		if err := yaml.Unmarshal(tree[name], &c); err != nil {
			t.Fatalf("%s does not parse: %v", name, err)
		}
		if len(c.Services) == 0 {
			t.Fatalf("%s has no services", name)
		}
		for svc, s := range c.Services {
			if s.Build == nil && !pinnedImage.MatchString(s.Image) {
				t.Errorf("%s: service %s image %q is not pinned to a version", name, svc, s.Image)
			}
		}
	}

	var prod composeFile
	yaml.Unmarshal(tree["deploy/docker-compose.prod.yml"], &prod)
	for _, svc := range []string{"caddy", "api", "worker", "migrate", "postgres", "redis"} {
		if _, ok := prod.Services[svc]; !ok {
			t.Errorf("prod compose lacks service %s", svc)
		}
	}
	for _, svc := range []string{"api", "worker", "migrate"} {
		s := prod.Services[svc]
		if len(s.EnvFile) == 0 {
			t.Errorf("prod compose: %s does not read the environment file holding the app's variables", svc)
		}
	}
	for _, svc := range []string{"caddy", "api", "worker", "postgres", "redis"} {
		if prod.Services[svc].Restart == "" {
			t.Errorf("prod compose: %s has no restart policy", svc)
		}
	}
	for _, svc := range []string{"api", "postgres", "redis"} {
		if prod.Services[svc].Healthcheck == nil {
			t.Errorf("prod compose: %s has no health check", svc)
		}
	}
	// Metrics listeners (METRICS_ADDR, WORKER_METRICS_ADDR) are reachable on
	// the compose network for a scraper, never published through Caddy.
	for svc, port := range map[string]string{"api": "9464", "worker": "9465"} {
		if !slices.Contains(prod.Services[svc].Expose, port) {
			t.Errorf("prod compose: %s does not expose its metrics port %s", svc, port)
		}
	}
	if caddy := string(tree["deploy/Caddyfile"]); strings.Contains(caddy, "9464") || strings.Contains(caddy, "9465") {
		t.Error("Caddyfile routes to a metrics port")
	}
	if !json.Valid(tree["deploy/grafana/dashboard.json"]) {
		t.Error("deploy/grafana/dashboard.json is missing or not JSON")
	}
	if got := prod.Services["api"].DependsOn["migrate"].Condition; got != "service_completed_successfully" {
		t.Errorf("prod compose: api starts before migrations finish (condition %q)", got)
	}
	if ep := prod.Services["migrate"].Entrypoint; len(ep) < 3 || ep[0] != "/app/billing-apictl" || ep[1] != "migrate" {
		t.Errorf("prod compose: migrate entrypoint %v", ep)
	}

	caddy := string(tree["deploy/Caddyfile"])
	for _, want := range []string{"reverse_proxy api:" + port, "{$DOMAIN}", "format json", "encode zstd gzip", "Strict-Transport-Security"} {
		if !strings.Contains(caddy, want) {
			t.Errorf("Caddyfile lacks %q", want)
		}
	}
}

func TestCIWorkflowIsSound(t *testing.T) {
	tree := generate(t, goldenCases[1].args)
	var wf struct {
		On   map[string]any `yaml:"on"`
		Jobs map[string]struct {
			Services map[string]struct {
				Image string `yaml:"image"`
			} `yaml:"services"`
			Steps []struct {
				Name string            `yaml:"name"`
				Uses string            `yaml:"uses"`
				Run  string            `yaml:"run"`
				With map[string]string `yaml:"with"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(tree[".github/workflows/ci.yml"], &wf); err != nil {
		t.Fatalf("ci.yml does not parse: %v", err)
	}
	job, ok := wf.Jobs["test"]
	if !ok {
		t.Fatal("ci.yml has no test job")
	}
	for _, svc := range []string{"postgres", "redis"} {
		if !pinnedImage.MatchString(job.Services[svc].Image) {
			t.Errorf("service %s image %q is missing or unpinned", svc, job.Services[svc].Image)
		}
	}
	var all strings.Builder
	for _, s := range job.Steps {
		if s.Uses != "" && !regexp.MustCompile(`@v\d+`).MatchString(s.Uses) {
			t.Errorf("action %q is not pinned to a version", s.Uses)
		}
		fmt.Fprintf(&all, "%s\n%s\n%s\n%v\n", s.Name, s.Uses, s.Run, s.With)
	}
	for _, want := range []string{
		"go mod tidy -diff", "go vet ./...", "golangci-lint-action", "v2.15.0", "govulncheck",
		"go run ./cmd/billing-apictl migrate down -all", "go test -race ./...", "go build ./...",
	} {
		if !strings.Contains(all.String(), want) {
			t.Errorf("ci.yml lacks %q", want)
		}
	}
	if _, ok := tree[".golangci.yml"]; !ok {
		t.Error("the lint configuration CI uses is not generated")
	}
}
