#!/usr/bin/env bash
# Two builds of the app measured back to back on this machine: the benchmark
# (e2e/src/bin/bench.rs) alternates between them, A B A B ..., so that load on the machine
# falls on both alike, then prints each build's open and save medians and their ratio, per
# network and cache condition (the benchmark's peer runs too, but only the product is compared).
#
#   scripts/bench-compare.sh OLD_DIST NEW_DIST [--rounds N] [--runs M]
#
# Each round runs the benchmark once per build with M pairs per condition (default 2) after its
# warm-up; N rounds (default 4). Example, the build before a change against today's:
#   git worktree add /tmp/old <commit> && (cd /tmp/old && scripts/build.sh)   # older: trunk build --release
#   scripts/build.sh && scripts/bench-compare.sh /tmp/old/dist dist
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: $0 OLD_DIST NEW_DIST [--rounds N] [--runs M]" >&2; exit 2; }
old="$(cd "$1" && pwd)"
new="$(cd "$2" && pwd)"
shift 2
rounds=4
runs=2
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
. scripts/setup.sh
. scripts/peer-sdk.sh
cargo build -q -p emulator -p e2e --bin emulator --bin bench

samples="$(mktemp)"
log="$(mktemp)"
trap 'rm -f "$samples" "$log"' EXIT
for round in $(seq 1 "$rounds"); do
  for build in old new; do
    dist="$old"
    [ "$build" = new ] && dist="$new"
    echo "[compare] round $round/$rounds: $build ($dist)" >&2
    # Exit 1 is a missed budget: the timings still count, and the verdict is shown. Exit 2:
    # the benchmark could not run.
    status=0
    LBE_DIST="$dist" LBE_EMULATOR="$PWD/target/debug/emulator" \
      target/debug/bench --runs "$runs" >/dev/null 2>"$log" || status=$?
    if [ "$status" -gt 1 ]; then
      cat "$log" >&2
      exit "$status"
    fi
    grep '^BUDGET EXCEEDED' "$log" | sed "s/^/[compare] $build: /" >&2 || true
    # One line per run on stderr: "[bench] <condition> Product: open X ms, save Y ms, ...".
    awk -v build="$build" '/^\[bench\] .* Product: open / {
          line = $0
          sub(/^\[bench\] /, "", line)
          cond = line
          sub(/ Product: .*/, "", cond)
          gsub(/[ ,()\/]+/, "_", cond)
          for (i = 1; i <= NF; i++) {
            if ($i == "open") open = $(i + 1)
            if ($i == "save") save = $(i + 1)
          }
          print build, cond, open, save
        }' "$log" >>"$samples"
  done
done

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for cond in $(awk '{ print $2 }' "$samples" | awk '!seen[$0]++'); do
  for what in open save; do
    col=3
    [ "$what" = save ] && col=4
    o=$(awk -v c="$col" -v k="$cond" '$1 == "old" && $2 == k { print $c }' "$samples" | median)
    n=$(awk -v c="$col" -v k="$cond" '$1 == "new" && $2 == k { print $c }' "$samples" | median)
    count=$(awk -v k="$cond" '$1 == "new" && $2 == k' "$samples" | wc -l)
    awk -v w="$what" -v k="$cond" -v o="$o" -v n="$n" -v c="$count" 'BEGIN {
      printf "%-40s %-5s median over %d runs each: old %.0f ms, new %.0f ms, new/old %.2f\n", k, w, c, o, n, n / o }'
  done
done
