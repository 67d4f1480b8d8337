#!/usr/bin/env bash
# Prints the gzipped size of what ships (dist/): first what the editor's page loads (wasm,
# js, js snippets, css, html), then the settings bundle that only the app's own page loads.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob globstar
line() {
  local raw gz
  raw=$(wc -c < "$1")
  gz=$(gzip -9 -c "$1" | wc -c)
  printf '%-60s %8d B raw %8d B gzip\n' "${1#dist/}" "$raw" "$gz" >&2
  echo "$gz"
}
total=0
for f in dist/*.wasm dist/*.js dist/snippets/**/*.js dist/*.css dist/*.html; do
  case "$(basename "$f")" in settings*) continue ;; esac
  total=$((total + $(line "$f")))
done
printf 'total gzip (the editor page): %d B (%d.%d KiB)\n' "$total" $((total / 1024)) $(((total % 1024) * 10 / 1024))
settings=0
for f in dist/settings*; do
  case "$f" in *.gz | *.br) continue ;; esac # the build's precompressed copies
  settings=$((settings + $(line "$f")))
done
if [ "$settings" -gt 0 ]; then
  printf 'settings bundle (only the app'"'"'s own page loads it): %d B gzip\n' "$settings"
fi
