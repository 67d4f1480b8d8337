#!/usr/bin/env bash
# The performance benchmark (not a test): builds the release app and the emulator when asked,
# then drives the emulator's editor in headless Chromium (e2e/src/bin/bench.rs) and prints the
# download sizes, REST requests, open and save timings and memory, each against its budget.
# Exits 1 when a budget is exceeded.
#
#   scripts/bench.sh                 build (trunk build --release), then 10 timed runs
#   scripts/bench.sh --no-build      use the dist/ that is there
#   scripts/bench.sh --runs 20       more runs (any further arguments go to the benchmark)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh

if [ "${1:-}" = "--no-build" ]; then
  shift
else
  trunk build --release
fi
cargo build -q -p emulator -p e2e --bin emulator --bin bench
LBE_DIST="${LBE_DIST:-$PWD/dist}" LBE_EMULATOR="${LBE_EMULATOR:-$PWD/target/debug/emulator}" \
  target/debug/bench "$@"
