#!/usr/bin/env bash
# Every check, as CI runs it: installs what is missing, then formatting, lints,
# native tests (core, client, emulator), the release build, browser tests
# (wasm-bindgen-test in headless Chromium) and end-to-end tests (emulator +
# release build + Chromium through chromedriver).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh

# Slow shared machines: give the browser runner room.
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-180}"
export WASM_BINDGEN_TEST_DRIVER_TIMEOUT="${WASM_BINDGEN_TEST_DRIVER_TIMEOUT:-60}"

step() { printf '\n==> %s\n' "$*"; }

# Every test run's output is also kept, to print one total at the end.
results="$(mktemp)"
trap 'rm -f "$results"' EXIT
run_tests() { "$@" 2>&1 | tee -a "$results"; }

step "format"
cargo fmt --all --check

step "lints (native and wasm)"
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p landing-block-editor --target wasm32-unknown-unknown --all-targets -- -D warnings

step "release build of the app"
scripts/build.sh
scripts/size.sh

step "zip for a Bitrix24 local static app (scripts/package.sh)"
scripts/package.sh --no-build

step "native tests (pure core, REST client, emulator)"
run_tests cargo test -p landing-block-editor --lib --bins
run_tests cargo test -p emulator

step "browser tests (wasm-bindgen-test, headless Chromium)"
run_tests cargo test -p landing-block-editor --target wasm32-unknown-unknown

step "end-to-end tests (emulator + release build + Chromium; the zip and nginx on loopback)"
cargo build -q -p emulator
LBE_DIST="$PWD/dist" LBE_EMULATOR="$PWD/target/debug/emulator" \
  run_tests cargo test -p e2e --tests -- --test-threads=1
if [ -f target/e2e-logs/fault-matrix.txt ]; then
  step "fault matrix (from the e2e run)"
  cat target/e2e-logs/fault-matrix.txt
fi

awk '/^test result:/ { gsub(";", ""); passed += $4; failed += $6 }
     END { printf "\ntotal: %d passed, %d failed\n", passed, failed }' "$results"
