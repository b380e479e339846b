package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/agencystandard/kit/generator"
	"github.com/agencystandard/kit/internal/catalog"
	"github.com/agencystandard/kit/templates"
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
		Environment map[string]any `yaml:"environment"`
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

	for _, svc := range []string{"worker", "caddy"} {
		if prod.Services[svc].Restart != "unless-stopped" {
			t.Errorf("prod compose: %s restart policy %q, want unless-stopped", svc, prod.Services[svc].Restart)
		}
	}
	if prod.Services["caddy"].Healthcheck == nil {
		t.Error("prod compose: caddy has no health check")
	}

	var dev composeFile
	if err := yaml.Unmarshal(tree["deploy/docker-compose.yml"], &dev); err != nil {
		t.Fatal(err)
	}
	for _, svc := range []string{"postgres", "redis", "jaeger"} {
		if _, ok := dev.Services[svc]; !ok {
			t.Errorf("development compose lacks %s", svc)
		}
	}
	// A cartridge's services come with the cartridge, through its slot.
	if _, ok := dev.Services["mailpit"]; ok {
		t.Error("development compose has mailpit without the email cartridge")
	}
	var withEmail composeFile
	if err := yaml.Unmarshal(generate(t, goldenCases[3].args)["deploy/docker-compose.yml"], &withEmail); err != nil {
		t.Fatal(err)
	}
	for _, svc := range []string{"postgres", "redis", "jaeger", "mailpit"} {
		if _, ok := withEmail.Services[svc]; !ok {
			t.Errorf("development compose with the email cartridge lacks %s", svc)
		}
	}
	// Every image is an exact release, not a moving major tag.
	for _, c := range []composeFile{dev, prod} {
		for svc, s := range c.Services {
			if s.Build == nil && !exactImage.MatchString(s.Image) {
				t.Errorf("compose service %s: image %q is not an exact release", svc, s.Image)
			}
		}
	}
	for _, img := range froms {
		if img != "scratch" && !exactImage.MatchString(img) {
			t.Errorf("Dockerfile: image %q is not an exact release", img)
		}
	}

	// The variables the deploy files set are the app's, and the app's are
	// all documented.
	appVars := envExampleVars(t, tree[".env.example"])
	configDoc := string(tree["docs/configuration.md"])
	for v := range appVars {
		if !strings.Contains(configDoc, "`"+v+"`") {
			t.Errorf(".env.example sets %s, which docs/configuration.md does not document", v)
		}
	}
	for _, svc := range []string{"api", "worker"} {
		for v := range prod.Services[svc].Environment {
			if !appVars[v] {
				t.Errorf("prod compose: %s sets %s, which is not an app variable of .env.example", svc, v)
			}
		}
	}
	envSet := 0
	for _, line := range strings.Split(strings.ReplaceAll(dockerfile, "\\\n", " "), "\n") {
		rest, ok := strings.CutPrefix(line, "ENV ")
		if !ok {
			continue
		}
		for _, kv := range strings.Fields(rest) {
			envSet++
			if k, _, _ := strings.Cut(kv, "="); !appVars[k] {
				t.Errorf("Dockerfile sets %s, which is not an app variable of .env.example", k)
			}
		}
	}
	if envSet == 0 {
		t.Error("the Dockerfile sets no ENV; it should set APP_ENV and HTTP_ADDR")
	}

	caddy := string(tree["deploy/Caddyfile"])
	for _, want := range []string{"reverse_proxy api:" + port, "{$DOMAIN}", "format json", "encode zstd gzip", "Strict-Transport-Security", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy", "-Server"} {
		if !strings.Contains(caddy, want) {
			t.Errorf("Caddyfile lacks %q", want)
		}
	}
}

// exactImage is an image pinned to an exact release: name:major.minor.patch
// with an optional suffix (postgres:15.10-bookworm, caddy:2.8.4-alpine).
var exactImage = regexp.MustCompile(`^[a-z0-9./_-]+:v?\d+\.\d+(\.\d+)?(-[a-z0-9.]+)?$`)

func TestCIWorkflowIsSound(t *testing.T) {
	tree := generate(t, goldenCases[1].args)
	type step struct {
		Name string            `yaml:"name"`
		Uses string            `yaml:"uses"`
		Run  string            `yaml:"run"`
		With map[string]string `yaml:"with"`
		Env  map[string]string `yaml:"env"`
	}
	var wf struct {
		On          map[string]any    `yaml:"on"`
		Permissions map[string]string `yaml:"permissions"`
		Jobs        map[string]struct {
			RunsOn   string `yaml:"runs-on"`
			Timeout  int    `yaml:"timeout-minutes"`
			Services map[string]struct {
				Image string `yaml:"image"`
			} `yaml:"services"`
			Steps []step `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(tree[".github/workflows/ci.yml"], &wf); err != nil {
		t.Fatalf("ci.yml does not parse: %v", err)
	}
	if _, ok := wf.On["pull_request"]; !ok {
		t.Error("ci.yml does not run on pull requests")
	}
	if wf.Permissions["contents"] != "read" {
		t.Errorf("ci.yml permissions = %v, want contents: read only", wf.Permissions)
	}
	pinnedAction := regexp.MustCompile(`^[\w.-]+/[\w.-]+@v\d+\.\d+\.\d+$`)
	want := map[string][]string{
		"lint":  {"gofmt -l", "go mod tidy -diff", "go vet ./...", "golangci/golangci-lint-action", "v2.15.0", "golang.org/x/vuln/cmd/govulncheck@v1.1.4"},
		"test":  {"go run ./cmd/billing-apictl migrate up", "go run ./cmd/billing-apictl migrate down -all", "go test -race ./..."},
		"build": {"go build ./...", "docker build -f deploy/Dockerfile"},
	}
	for name, wants := range want {
		job, ok := wf.Jobs[name]
		if !ok {
			t.Errorf("ci.yml has no %s job", name)
			continue
		}
		if job.RunsOn == "" || job.Timeout == 0 || len(job.Steps) == 0 {
			t.Errorf("job %s: runs-on %q, timeout %d, %d steps; want all set", name, job.RunsOn, job.Timeout, len(job.Steps))
		}
		var all strings.Builder
		for _, s := range job.Steps {
			if s.Uses != "" && !pinnedAction.MatchString(s.Uses) {
				t.Errorf("job %s: action %q is not pinned to an exact version", name, s.Uses)
			}
			if s.Uses == "" && s.Run == "" {
				t.Errorf("job %s: step %q neither uses an action nor runs a command", name, s.Name)
			}
			fmt.Fprintf(&all, "%s\n%s\n%s\n%v\n", s.Name, s.Uses, s.Run, s.With)
		}
		for _, w := range wants {
			if !strings.Contains(all.String(), w) {
				t.Errorf("job %s lacks %q", name, w)
			}
		}
		if job.Steps[0].Uses == "" || !strings.HasPrefix(job.Steps[0].Uses, "actions/checkout@") {
			t.Errorf("job %s does not start by checking out the code", name)
		}
	}
	test := wf.Jobs["test"]
	for _, svc := range []string{"postgres", "redis"} {
		if !exactImage.MatchString(test.Services[svc].Image) {
			t.Errorf("test job: service %s image %q is missing or not pinned to an exact release", svc, test.Services[svc].Image)
		}
	}
	// The migration check runs as the owner and creates the runtime role, as
	// a deployment does.
	for _, s := range test.Steps {
		if strings.Contains(s.Run, "migrate down -all") && (s.Env["MIGRATION_DATABASE_URL"] == "" || s.Env["DATABASE_URL"] == "" || !strings.Contains(s.Run, "db create-role")) {
			t.Errorf("the migrations check lacks its roles: env %v", s.Env)
		}
	}
	if _, ok := tree[".golangci.yml"]; !ok {
		t.Error("the lint configuration CI uses is not generated")
	}
}

// envExampleVars returns the variables .env.example sets or shows commented
// out ("# KEY=value").
func envExampleVars(t *testing.T, src []byte) map[string]bool {
	t.Helper()
	re := regexp.MustCompile(`(?m)^(?:# )?([A-Z][A-Z0-9_]*)=`)
	vars := map[string]bool{}
	for _, m := range re.FindAllStringSubmatch(string(src), -1) {
		vars[m[1]] = true
	}
	if !vars["DATABASE_URL"] || !vars["JWT_SIGNING_KEY"] {
		t.Fatalf(".env.example variables %v lack DATABASE_URL or JWT_SIGNING_KEY", vars)
	}
	return vars
}

// hasModule reports whether go.mod requires a module under prefix.
func hasModule(goMod []byte, prefix string) bool {
	return strings.Contains(string(goMod), "\t"+prefix)
}

func TestDeployAnswerSelectsTheFiles(t *testing.T) {
	compose := []string{"deploy/docker-compose.yml", "deploy/docker-compose.prod.yml", "deploy/Caddyfile"}
	kubernetes := []string{"deploy/kubernetes/base/kustomization.yaml", "deploy/kubernetes/overlays/production/kustomization.yaml", "docs/kubernetes.md"}
	for _, tc := range []struct {
		deploy                string
		wantCompose, wantKube bool
	}{
		{"", true, true},
		{"compose", true, false},
		{"kubernetes", false, true},
		{"compose,kubernetes", true, true},
	} {
		t.Run("deploy="+tc.deploy, func(t *testing.T) {
			args := []string{"new", "demo", "--yes", "--module", "example.com/demo"}
			if tc.deploy != "" {
				args = append(args, "--deploy", tc.deploy)
			}
			tree := generate(t, args)
			for _, f := range compose {
				if _, ok := tree[f]; ok != tc.wantCompose {
					t.Errorf("%s generated: %v, want %v", f, ok, tc.wantCompose)
				}
			}
			for _, f := range kubernetes {
				if _, ok := tree[f]; ok != tc.wantKube {
					t.Errorf("%s generated: %v, want %v", f, ok, tc.wantKube)
				}
			}
			for p := range tree {
				if strings.HasPrefix(p, "deploy/kubernetes/") && !tc.wantKube {
					t.Errorf("%s generated without kubernetes", p)
				}
			}
			if up := strings.Contains(string(tree["justfile"]), "\nup:\n"); up != tc.wantCompose {
				t.Errorf("justfile has the compose recipe up: %v, want %v", up, tc.wantCompose)
			}
			if _, ok := tree["deploy/Dockerfile"]; !ok {
				t.Error("deploy/Dockerfile is not generated; every target builds the image")
			}
			// The manifests' test is a module of its own: the service's
			// go.mod never requires the Kubernetes libraries.
			if hasModule(tree["go.mod"], "k8s.io/") || hasModule(tree["go.mod"], "sigs.k8s.io/") {
				t.Error("go.mod requires Kubernetes modules")
			}
			kubeMod, ok := tree["deploy/kubernetes/go.mod"]
			if ok != tc.wantKube {
				t.Errorf("deploy/kubernetes/go.mod generated: %v, want %v", ok, tc.wantKube)
			}
			if ok {
				if !strings.HasPrefix(string(kubeMod), "module example.com/demo/deploy/kubernetes\n") {
					t.Errorf("deploy/kubernetes/go.mod does not name the module under the service's:\n%s", kubeMod)
				}
				for _, m := range []string{"k8s.io/api", "sigs.k8s.io/kustomize/api", "sigs.k8s.io/yaml"} {
					if !hasModule(kubeMod, m+" ") {
						t.Errorf("deploy/kubernetes/go.mod does not require %s", m)
					}
				}
				if _, ok := tree["deploy/kubernetes/go.sum"]; !ok {
					t.Error("deploy/kubernetes/go.sum is not generated")
				}
				for _, f := range []string{"justfile", ".github/workflows/ci.yml"} {
					if !strings.Contains(string(tree[f]), "deploy/kubernetes") {
						t.Errorf("%s does not run the manifests' test", f)
					}
				}
			}
		})
	}
}

// A repository generated before the deploy question existed, updated
// without a terminal to ask on: plain update names the new question and its
// default and changes nothing; update --yes (what CI runs) takes the
// default, both targets, and adds the Kubernetes files.
func TestUpdateDefaultsTheDeployAnswer(t *testing.T) {
	rs, err := generator.LoadReleases(templates.History())
	if err != nil {
		t.Fatal(err)
	}
	var before *generator.Release
	for i := range rs {
		if rs[i].Version == "v0.3.0" {
			before = &rs[i]
		}
	}
	if before == nil {
		t.Fatal("release v0.3.0 is not in the history")
	}
	work := t.TempDir()
	old := filepath.Join(work, "templates")
	extractRelease(t, *before, old)
	repo := filepath.Join(work, "demo")
	t.Setenv(catalog.EnvTemplates, old)
	if code, out := kitRun(t, "new", "demo", "--yes", "--no-git", "--module", "example.com/demo", "--dir", repo); code != 0 {
		t.Fatalf("kit new with v0.3.0's templates: exit %d\n%s", code, out)
	}
	os.Unsetenv(catalog.EnvTemplates)
	state, err := os.ReadFile(filepath.Join(repo, generator.StateFile))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(state), "deploy:") {
		t.Fatalf("v0.3.0 already records a deploy answer:\n%s", state)
	}

	code, out := kitRun(t, "update", "--dir", repo)
	if code == 0 || !strings.Contains(out, "--deploy") || !strings.Contains(out, "default: compose, kubernetes") {
		t.Errorf("kit update without a terminal or --yes: exit %d, want a failure naming --deploy and its default\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(repo, "deploy/kubernetes")); err == nil {
		t.Error("the failed update wrote deploy/kubernetes")
	}
	if code, out := kitRun(t, "update", "--yes", "--dir", repo); code != 0 {
		t.Fatalf("kit update --yes without a terminal: exit %d\n%s", code, out)
	}
	state, err = os.ReadFile(filepath.Join(repo, generator.StateFile))
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Answers map[string]any `yaml:"answers"`
	}
	if err := yaml.Unmarshal(state, &s); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(s.Answers["deploy"]); got != "[compose kubernetes]" {
		t.Errorf("recorded deploy answer = %s, want [compose kubernetes]", got)
	}
	for _, f := range []string{"deploy/docker-compose.yml", "deploy/kubernetes/base/kustomization.yaml", "docs/kubernetes.md"} {
		if _, err := os.Stat(filepath.Join(repo, f)); err != nil {
			t.Errorf("after the update: %v", err)
		}
	}
}

// k8sObject holds the parts of the Kubernetes objects of deploy/kubernetes
// that must agree with the code. Strict decoding into the API types runs in
// the generated repository's own checks; here the values are compared.
type k8sObject struct {
	Kind     string `yaml:"kind"`
	Metadata struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
	Spec struct {
		Template struct {
			Spec k8sPodSpec `yaml:"spec"`
		} `yaml:"template"`
		Metrics []struct {
			Type     string `yaml:"type"`
			External struct {
				Metric struct {
					Name string `yaml:"name"`
				} `yaml:"metric"`
			} `yaml:"external"`
		} `yaml:"metrics"`
		Ingress []struct {
			From  []any `yaml:"from"`
			Ports []struct {
				Port int `yaml:"port"`
			} `yaml:"ports"`
		} `yaml:"ingress"`
	} `yaml:"spec"`
}

type k8sPodSpec struct {
	SecurityContext struct {
		RunAsNonRoot   bool `yaml:"runAsNonRoot"`
		RunAsUser      int  `yaml:"runAsUser"`
		RunAsGroup     int  `yaml:"runAsGroup"`
		SeccompProfile struct {
			Type string `yaml:"type"`
		} `yaml:"seccompProfile"`
	} `yaml:"securityContext"`
	Containers []struct {
		Name    string   `yaml:"name"`
		Command []string `yaml:"command"`
		Ports   []struct {
			Name          string `yaml:"name"`
			ContainerPort int    `yaml:"containerPort"`
		} `yaml:"ports"`
		Env []struct {
			Name      string `yaml:"name"`
			ValueFrom struct {
				SecretKeyRef struct {
					Name     string `yaml:"name"`
					Key      string `yaml:"key"`
					Optional bool   `yaml:"optional"`
				} `yaml:"secretKeyRef"`
			} `yaml:"valueFrom"`
		} `yaml:"env"`
		StartupProbe   *k8sProbe `yaml:"startupProbe"`
		ReadinessProbe *k8sProbe `yaml:"readinessProbe"`
		LivenessProbe  *k8sProbe `yaml:"livenessProbe"`
		Resources      struct {
			Requests map[string]string `yaml:"requests"`
			Limits   map[string]string `yaml:"limits"`
		} `yaml:"resources"`
		SecurityContext struct {
			AllowPrivilegeEscalation *bool `yaml:"allowPrivilegeEscalation"`
			ReadOnlyRootFilesystem   bool  `yaml:"readOnlyRootFilesystem"`
			Capabilities             struct {
				Drop []string `yaml:"drop"`
			} `yaml:"capabilities"`
		} `yaml:"securityContext"`
	} `yaml:"containers"`
}

type k8sProbe struct {
	HTTPGet struct {
		Path string `yaml:"path"`
		Port string `yaml:"port"`
	} `yaml:"httpGet"`
}

func k8sObjects(t *testing.T, tree map[string][]byte) map[string]k8sObject {
	t.Helper()
	objs := map[string]k8sObject{}
	for p, data := range tree {
		if !strings.HasPrefix(p, "deploy/kubernetes/base/") || p == "deploy/kubernetes/base/kustomization.yaml" {
			continue
		}
		dec := yaml.NewDecoder(strings.NewReader(string(data)))
		for {
			var o k8sObject
			if err := dec.Decode(&o); err != nil {
				if errors.Is(err, io.EOF) {
					break
				}
				t.Fatalf("%s: %v", p, err)
			}
			objs[o.Kind+"/"+o.Metadata.Name] = o
		}
	}
	return objs
}

// configVars returns the variables the generated config package reads, and
// those it requires in production.
func configVars(t *testing.T, tree map[string][]byte, oauth []string) (reads, required map[string]bool) {
	t.Helper()
	reads, required = map[string]bool{}, map[string]bool{}
	src := string(tree["internal/platform/config/config.go"]) + string(tree["internal/platform/config/runtime.go"])
	for _, m := range regexp.MustCompile(`r\.\w+\("([A-Z][A-Z0-9_]+)"`).FindAllStringSubmatch(src, -1) {
		reads[m[1]] = true
	}
	for _, p := range oauth {
		reads["OAUTH_"+strings.ToUpper(p)+"_CLIENT_ID"] = true
		reads["OAUTH_"+strings.ToUpper(p)+"_CLIENT_SECRET"] = true
	}
	for _, m := range regexp.MustCompile(`r\.fail\("([A-Z_]+)", "is required in production`).FindAllStringSubmatch(src, -1) {
		required[m[1]] = true
	}
	if len(required) < 2 || len(reads) < 20 {
		t.Fatalf("the config's variables were not found: reads %v, required %v", reads, required)
	}
	// No default in production: the database and Redis.
	required["DATABASE_URL"], required["REDIS_URL"] = true, true
	return reads, required
}

func TestKubernetesManifestsAgreeWithTheCode(t *testing.T) {
	tree := generate(t, goldenCases[1].args) // billing-api, port 9090, three OAuth providers
	const name, port = "billing-api", 9090
	objs := k8sObjects(t, tree)
	reads, required := configVars(t, tree, []string{"google", "github", "microsoft"})

	// The ports and paths the code defines.
	config := string(tree["internal/platform/config/config.go"]) + string(tree["internal/platform/config/runtime.go"])
	for _, want := range []string{`"HTTP_ADDR", ":9090"`, `"METRICS_ADDR", ":9464"`, `"WORKER_METRICS_ADDR", ":9465"`} {
		if !strings.Contains(config, want) {
			t.Errorf("config no longer reads %s; the manifests' ports follow it", want)
		}
	}
	health := string(tree["internal/platform/health/health.go"])
	for _, p := range []string{"/health/startup", "/health/ready", "/health/live"} {
		if !strings.Contains(health, `Path: "`+p+`"`) {
			t.Errorf("the health package serves no %s", p)
		}
	}
	if !strings.Contains(string(tree["internal/platform/metrics/serve.go"]), `LivePath = "/health/live"`) {
		t.Error("the metrics listener serves no /health/live")
	}
	if !strings.Contains(string(tree["internal/platform/metrics/queue.go"]), `QueueDepthName = "jobs_queue_depth"`) {
		t.Error("the worker exports no jobs_queue_depth")
	}
	if !strings.Contains(string(tree["deploy/Dockerfile"]), "USER 65532:65532") {
		t.Error("the image's user is not 65532")
	}

	type want struct {
		command              string
		ports                map[string]int
		startup, ready, live string
		probePort            string
		secrets              []string
	}
	base := []string{}
	for v := range required {
		base = append(base, v)
	}
	wants := map[string]want{
		"Deployment/" + name + "-api": {
			command: "/app/api", ports: map[string]int{"http": port, "metrics": 9464},
			startup: "/health/startup", ready: "/health/ready", live: "/health/live", probePort: "http", secrets: base,
		},
		"Deployment/" + name + "-worker": {
			command: "/app/worker", ports: map[string]int{"metrics": 9465},
			startup: "/health/live", live: "/health/live", probePort: "metrics", secrets: base,
		},
		"Job/" + name + "-migrate": {
			command: "/app/" + name + "ctl", secrets: append(slices.Clone(base), "MIGRATION_DATABASE_URL"),
		},
	}
	for key, w := range wants {
		o, ok := objs[key]
		if !ok {
			t.Errorf("no %s", key)
			continue
		}
		pod := o.Spec.Template.Spec
		sc := pod.SecurityContext
		if !sc.RunAsNonRoot || sc.RunAsUser != 65532 || sc.RunAsGroup != 65532 || sc.SeccompProfile.Type != "RuntimeDefault" {
			t.Errorf("%s: pod securityContext %+v", key, sc)
		}
		if len(pod.Containers) != 1 {
			t.Fatalf("%s: %d containers", key, len(pod.Containers))
		}
		c := pod.Containers[0]
		if len(c.Command) == 0 || c.Command[0] != w.command {
			t.Errorf("%s: command %v, want %s", key, c.Command, w.command)
		}
		csc := c.SecurityContext
		if csc.AllowPrivilegeEscalation == nil || *csc.AllowPrivilegeEscalation || !csc.ReadOnlyRootFilesystem || !slices.Equal(csc.Capabilities.Drop, []string{"ALL"}) {
			t.Errorf("%s: container securityContext %+v", key, csc)
		}
		if c.Resources.Requests["cpu"] == "" || c.Resources.Requests["memory"] == "" || c.Resources.Limits["memory"] == "" {
			t.Errorf("%s: resources %+v", key, c.Resources)
		}
		ports := map[string]int{}
		for _, p := range c.Ports {
			ports[p.Name] = p.ContainerPort
		}
		if len(w.ports) > 0 && fmt.Sprint(ports) != fmt.Sprint(w.ports) {
			t.Errorf("%s: ports %v, want %v", key, ports, w.ports)
		}
		for _, pr := range []struct {
			name string
			p    *k8sProbe
			want string
		}{{"startup", c.StartupProbe, w.startup}, {"readiness", c.ReadinessProbe, w.ready}, {"liveness", c.LivenessProbe, w.live}} {
			switch {
			case pr.want == "" && pr.p != nil:
				t.Errorf("%s: unexpected %s probe", key, pr.name)
			case pr.want != "" && (pr.p == nil || pr.p.HTTPGet.Path != pr.want || pr.p.HTTPGet.Port != w.probePort):
				t.Errorf("%s: %s probe %+v, want %s on %s", key, pr.name, pr.p, pr.want, w.probePort)
			}
		}
		set := map[string]bool{}
		for _, e := range c.Env {
			if !reads[e.Name] {
				t.Errorf("%s sets %s, which the config does not read", key, e.Name)
			}
			ref := e.ValueFrom.SecretKeyRef
			if ref.Name != name+"-secrets" || ref.Key != e.Name {
				t.Errorf("%s: %s is not from the Secret %s-secrets: %+v", key, e.Name, name, ref)
			}
			if !ref.Optional {
				set[e.Name] = true
			}
			if e.Name == "MIGRATION_DATABASE_URL" && key != "Job/"+name+"-migrate" {
				t.Errorf("%s holds the owner's MIGRATION_DATABASE_URL", key)
			}
		}
		for _, v := range w.secrets {
			if !set[v] {
				t.Errorf("%s does not set %s from the Secret (required)", key, v)
			}
		}
	}

	// The ConfigMap sets only variables the config reads, and no secret.
	var kust struct {
		ConfigMapGenerator []struct {
			Literals []string `yaml:"literals"`
		} `yaml:"configMapGenerator"`
	}
	if err := yaml.Unmarshal(tree["deploy/kubernetes/base/kustomization.yaml"], &kust); err != nil {
		t.Fatal(err)
	}
	for _, g := range kust.ConfigMapGenerator {
		for _, l := range g.Literals {
			k, _, _ := strings.Cut(l, "=")
			if !reads[k] || required[k] || strings.Contains(k, "SECRET") || k == "MIGRATION_DATABASE_URL" {
				t.Errorf("the ConfigMap sets %s: not a setting the config reads, or a secret", k)
			}
		}
	}

	// Only the api's port is open to all; metrics only from monitoring.
	np := objs["NetworkPolicy/"+name+"-api"]
	var open []int
	for _, in := range np.Spec.Ingress {
		for _, p := range in.Ports {
			if len(in.From) == 0 {
				open = append(open, p.Port)
			} else if p.Port != 9464 {
				t.Errorf("the api's NetworkPolicy admits port %d from selected peers", p.Port)
			}
		}
	}
	if !slices.Equal(open, []int{port}) {
		t.Errorf("the api's NetworkPolicy opens %v to everyone, want [%d]", open, port)
	}
	for _, in := range objs["NetworkPolicy/"+name+"-worker"].Spec.Ingress {
		if len(in.From) == 0 {
			t.Error("the worker's NetworkPolicy admits everyone")
		}
	}

	// The worker scales on CPU and on its queue-depth gauge.
	var kinds []string
	for _, m := range objs["HorizontalPodAutoscaler/"+name+"-worker"].Spec.Metrics {
		kinds = append(kinds, m.Type+":"+m.External.Metric.Name)
	}
	if !slices.Equal(kinds, []string{"Resource:", "External:jobs_queue_depth"}) {
		t.Errorf("the worker's HPA metrics = %v", kinds)
	}
}
