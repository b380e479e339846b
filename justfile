# kit's development tasks. `just --list` shows them.

set shell := ["bash", "-euo", "pipefail", "-c"]

version := `git describe --tags --always --dirty 2>/dev/null || echo dev`

# Build the kit binary into ./dist/kit.
build:
    go build -trimpath -ldflags "-X github.com/agencystandard/kit/internal/build.Version={{version}}" -o dist/kit ./cmd/kit

# Run every test, including the end-to-end scripts that build and test
# generated repositories against the local PostgreSQL and Redis.
test:
    go test -timeout 60m ./...

# The quick loop: unit, golden and script tests, without the slow end-to-end runs.
test-short:
    go test -short ./...

# Rewrite the golden trees in testdata/golden after an intended template change.
golden-update:
    go test ./cmd/kit -run TestGolden -update

# Refresh the generated repository's pinned dependencies, then the golden files.
deps-refresh mode="patch":
    go run ./scripts/refresh-deps -mode {{mode}}
    go test ./cmd/kit -run TestGolden -update

# Static checks: formatting, vet, staticcheck.
lint:
    test -z "$(gofmt -l $(git ls-files '*.go'))" || { gofmt -l $(git ls-files '*.go'); exit 1; }
    go vet ./...
    go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

# Check the release configuration.
release-check:
    go run github.com/goreleaser/goreleaser/v2@v2.14.3 check

# The generated api's request path against a minimal reference server,
# `kit new` files/s (and cookiecutter's, if installed) and `kit update`;
# needs the local PostgreSQL and Redis (redis-server on PATH is used for a
# private instance).
# Run the benchmarks into docs/performance.md (`just bench quick`: a short run).
bench mode="full":
    go run ./scripts/bench {{ if mode == "quick" { "-quick" } else { "" } }}
