#!/usr/bin/env bash
# The performance benchmark (not a test): builds the release app and the emulator when asked,
# installs the official @bitrix24/b24jssdk for the plain-JavaScript peer (bench/peer/) into a
# cache outside the clone, then runs e2e/src/bin/bench/: the product and the peer side by side
# in headless Chromium, on loopback and on an emulated office link, cold and warm cache. Prints
# the download sizes, REST requests, the side-by-side table and memory; exits 1 when a budget
# of the product is exceeded, 2 when the benchmark could not run.
#
#   scripts/bench.sh                 build (scripts/build.sh), then 5 pairs per condition
#   scripts/bench.sh --no-build      use the dist/ that is there
#   scripts/bench.sh --runs 10       more pairs (any further arguments go to the benchmark)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh

if [ "${1:-}" = "--no-build" ]; then
  shift
else
  scripts/build.sh
fi

. scripts/peer-sdk.sh
cargo build -q -p emulator -p e2e --bin emulator --bin bench
LBE_DIST="${LBE_DIST:-$PWD/dist}" LBE_EMULATOR="${LBE_EMULATOR:-$PWD/target/debug/emulator}" \
  target/debug/bench "$@"
