#!/usr/bin/env bash
# Refreshes the generated repository's pinned dependency set and the golden
# files together.
#
# The chassis's dependency versions live in one place:
# templates/chassis/go.mod.tmpl, with templates/chassis/go.sum beside it.
# This script renders the chassis, upgrades its requirements, tidies it,
# writes go.mod and go.sum back into the templates, proves that every answer
# set of the matrix still builds with `go mod tidy` changing nothing, and
# rewrites the golden files.
#
# usage: scripts/refresh-deps.sh [patch|minor|tidy]
#   patch  upgrade to the newest patch releases (default)
#   minor  upgrade to the newest minor releases
#   tidy   change no version; only re-tidy go.mod and go.sum
set -euo pipefail

mode="${1:-patch}"
case "$mode" in
  patch) get_flag="-u=patch" ;;
  minor) get_flag="-u" ;;
  tidy)  get_flag="" ;;
  *) echo "refresh-deps: unknown mode \"$mode\"; use patch, minor or tidy" >&2; exit 2 ;;
esac

root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$root"

echo "refresh-deps: building kit" >&2
go build -o "$work/kit" ./cmd/kit

# The answer set that imports the most: every optional module and provider.
"$work/kit" new probe --yes --no-git --dir "$work/probe" --module example.com/probe \
  --oauth google,github,microsoft --example-module 2>/dev/null

(
  cd "$work/probe"
  if [ -n "$get_flag" ]; then
    echo "refresh-deps: go get $get_flag ./..." >&2
    go get "$get_flag" ./...
  fi
  go mod tidy
)

# Write the refreshed set back: only the module line is templated.
sed 's|^module example.com/probe$|module {{ .module }}|' "$work/probe/go.mod" > templates/chassis/go.mod.tmpl
cp "$work/probe/go.sum" templates/chassis/go.sum
git --no-pager diff --stat -- templates/chassis/go.mod.tmpl templates/chassis/go.sum >&2 || true

# Every answer set that changes imports must be tidy with the one set.
go build -o "$work/kit" ./cmd/kit
for args in "--example-module" "--example-module=false" "--oauth google,github,microsoft --example-module=false"; do
  dir="$work/check-$RANDOM"
  # shellcheck disable=SC2086
  "$work/kit" new check --yes --no-git --dir "$dir" --module example.com/check $args 2>/dev/null
  ( cd "$dir" && go mod tidy -diff && go build ./... ) || {
    echo "refresh-deps: the answer set [$args] is not tidy with the refreshed dependency set" >&2
    exit 1
  }
done

echo "refresh-deps: rewriting golden files" >&2
go test ./cmd/kit -run TestGolden -update
echo "refresh-deps: done; review with git diff and run just test" >&2
