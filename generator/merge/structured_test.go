package merge

import (
	"strings"
	"testing"
)

func TestGoMod(t *testing.T) {
	base := `module example.com/demo

go 1.26

require (
	github.com/labstack/echo/v4 v4.16.0
	github.com/uptrace/bun v1.3.0
	github.com/old/dep v1.0.0
)

require golang.org/x/text v0.30.0 // indirect
`
	ours := `module example.com/demo

go 1.26

require (
	github.com/labstack/echo/v4 v4.16.0
	github.com/uptrace/bun v1.3.0
	github.com/old/dep v1.0.0
	github.com/shopspring/decimal v1.4.0
	golang.org/x/text v0.32.0
)

replace github.com/uptrace/bun => ../bun

exclude github.com/bad/mod v1.0.0
`
	theirs := `module example.com/demo

go 1.27

require (
	github.com/labstack/echo/v4 v4.17.0
	github.com/uptrace/bun v1.3.0
	github.com/hibiken/asynq v0.26.0
)

require golang.org/x/text v0.31.0 // indirect
`
	got, err := GoMod(base, ours, theirs)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"go 1.27",                                  // higher go directive
		"github.com/labstack/echo/v4 v4.17.0",      // template bump
		"github.com/hibiken/asynq v0.26.0",         // template addition
		"github.com/shopspring/decimal v1.4.0",     // user addition
		"golang.org/x/text v0.32.0",                // user's higher version wins
		"replace github.com/uptrace/bun => ../bun", // user's replace kept
		"exclude github.com/bad/mod v1.0.0",        // user's exclude kept
	} {
		if !strings.Contains(got, want) {
			t.Errorf("merged go.mod lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "github.com/old/dep") {
		t.Errorf("a requirement the template dropped and the user kept unchanged survived:\n%s", got)
	}
	if strings.Contains(got, "v4.16.0") {
		t.Errorf("old echo version left:\n%s", got)
	}
	if _, err := GoMod(base, "module (", theirs); err == nil || !strings.Contains(err.Error(), "your go.mod does not parse") {
		t.Errorf("broken user go.mod: err = %v", err)
	}
	// Merging again is a no-op.
	again, err := GoMod(base, got, theirs)
	if err != nil || again != got {
		t.Errorf("not idempotent:\n%s\nvs\n%s", got, again)
	}
}

func TestGoSum(t *testing.T) {
	got := GoSum("b h1:x\na h1:y\n", "c h1:z\na h1:y\n")
	if got != "a h1:y\nb h1:x\nc h1:z\n" {
		t.Errorf("got %q", got)
	}
}

func TestKeyValue(t *testing.T) {
	base := `# Server
HTTP_ADDR=:8080
LOG_LEVEL=info
OLD=1
KEEP_CHANGED=a
`
	ours := `# Server
HTTP_ADDR=:9999
LOG_LEVEL=info
OLD=1
KEEP_CHANGED=mine
MY_VAR=x
`
	theirs := `# Server
HTTP_ADDR=:8080
LOG_LEVEL=debug
KEEP_CHANGED=kit

# Redis connection
REDIS_URL=redis://127.0.0.1:6379/0
# OAUTH_GOOGLE_CLIENT_ID=
`
	want := `# Server
HTTP_ADDR=:9999
LOG_LEVEL=debug
KEEP_CHANGED=mine
MY_VAR=x

# Redis connection
REDIS_URL=redis://127.0.0.1:6379/0
# OAUTH_GOOGLE_CLIENT_ID=
`
	got := KeyValue(base, ours, theirs)
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if again := KeyValue(base, got, theirs); again != got {
		t.Errorf("not idempotent:\n%s", again)
	}
}
