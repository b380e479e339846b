#!/usr/bin/env bash
# Refreshes the generated repository's pinned dependency set and the golden
# files together.
#
# The chassis's dependency versions live in one place:
# templates/chassis/go.mod.tmpl, with templates/chassis/go.sum.tmpl beside it.
# A cartridge's dependencies are part of the same set, inside
# {{ if has "CARTRIDGE" .cartridges }} blocks, so a repository requires them
# only once the cartridge is installed and every answer set is tidy.
#
# This script renders the chassis alone and with the cartridges, upgrades
# their requirements, tidies both, writes go.mod and go.sum back into the
# templates (the lines both share as they are, the others in conditional
# blocks), proves that every answer set of the matrix still builds with
# `go mod tidy` changing nothing, and rewrites the golden files.
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

# The cartridges whose Go dependencies the set carries. Each is diffed
# against the chassis alone, so their dependency blocks must not overlap:
# with a second cartridge that imports modules, extend the diff below.
cartridge="email"

root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$root"

echo "refresh-deps: building kit" >&2
go build -o "$work/kit" ./cmd/kit

# The answer set that imports the most: every optional module and provider,
# without and with the cartridge.
new_probe() { # dir [kit new flags...]
  local dir="$1"; shift
  "$work/kit" new probe --yes --no-git --dir "$dir" --module example.com/probe \
    --oauth google,github,microsoft --example-module "$@" 2>/dev/null
}
new_probe "$work/probe"
new_probe "$work/probe-cart" --cartridge "$cartridge"

for dir in "$work/probe" "$work/probe-cart"; do
  (
    cd "$dir"
    if [ -n "$get_flag" ]; then
      echo "refresh-deps: go get $get_flag ./... in $(basename "$dir")" >&2
      go get "$get_flag" ./...
    fi
    go mod tidy
  )
done

# conditional BASE WITH: BASE's lines, with WITH's differences in blocks
# that render only when the cartridge is installed (and BASE's lines that
# WITH lacks in blocks that render only when it is not). The actions sit at
# the start of the block's first line and of the line after it, so no
# whitespace needs trimming (go.mod's lines start with a tab).
conditional() {
  local if_in="{{ if has \"$cartridge\" .cartridges }}"
  local if_out="{{ if not (has \"$cartridge\" .cartridges) }}"
  diff \
    --unchanged-group-format='%=' \
    --new-group-format="$if_in%>{{ end }}" \
    --old-group-format="$if_out%<{{ end }}" \
    --changed-group-format="$if_in%>{{ else }}%<{{ end }}" \
    "$1" "$2" || [ $? -eq 1 ]
}

# Write the refreshed set back: the module line is templated.
for dir in "$work/probe" "$work/probe-cart"; do
  sed -i 's|^module example.com/probe$|module {{ .module }}|' "$dir/go.mod"
done
conditional "$work/probe/go.mod" "$work/probe-cart/go.mod" > templates/chassis/go.mod.tmpl
conditional "$work/probe/go.sum" "$work/probe-cart/go.sum" > templates/chassis/go.sum.tmpl
git --no-pager diff --stat -- templates/chassis/go.mod.tmpl templates/chassis/go.sum.tmpl >&2 || true

# The templates must render exactly what go mod tidy wrote (tidy -diff
# alone forgives formatting).
go build -o "$work/kit" ./cmd/kit
for flags in "" "--cartridge $cartridge"; do
  dir="$work/render-$RANDOM"
  # shellcheck disable=SC2086
  new_probe "$dir" $flags
  want="$work/probe"; [ -n "$flags" ] && want="$work/probe-cart"
  sed 's|^module {{ .module }}$|module example.com/probe|' "$want/go.mod" | cmp -s - "$dir/go.mod" &&
    cmp -s "$want/go.sum" "$dir/go.sum" || {
    echo "refresh-deps: go.mod/go.sum rendered with [$flags] differ from the tidied ones" >&2
    exit 1
  }
done

# Every answer set that changes imports must be tidy with the one set.
for args in "--example-module" "--example-module=false" "--oauth google,github,microsoft --example-module=false" \
  "--example-module --cartridge $cartridge" "--example-module=false --cartridge $cartridge"; do
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
