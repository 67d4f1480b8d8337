#!/usr/bin/env bash
# Prints the gzipped size of what ships (dist/: wasm, js, css, html).
set -euo pipefail
cd "$(dirname "$0")/.."
total=0
for f in dist/*.wasm dist/*.js dist/*.css dist/*.html; do
  [ -f "$f" ] || continue
  raw=$(wc -c < "$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  total=$((total + gz))
  printf '%-60s %8d B raw %8d B gzip\n' "$(basename "$f")" "$raw" "$gz"
done
printf 'total gzip: %d B (%d.%d KiB)\n' "$total" $((total / 1024)) $(((total % 1024) * 10 / 1024))
