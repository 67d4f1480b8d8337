#!/usr/bin/env bash
# The release build: `trunk build --release` with the standard library rebuilt for the wasm,
# as the Leptos book's binary-size chapter advises (`-Z build-std`, panics that abort at once
# without formatting a message). Only the release wasm is built this way: tests, lints and
# `trunk serve` keep the prebuilt standard library and readable panic messages.
#
# These are unstable cargo/rustc features and this machine has one (stable) toolchain, so
# RUSTC_BOOTSTRAP=1 unlocks them for this build alone; it gets a target directory of its own
# because that variable changes how build scripts (proc-macro2's) see the compiler, and
# sharing target/ would rebuild every macro crate back and forth. What it saves is in README
# "Size". `LBE_PLAIN_STD=1` builds with the prebuilt standard library instead.
#
#   scripts/build.sh            dist/ (then the post-build hook's .gz/.br)
#   scripts/build.sh ARGS...    more arguments for trunk build
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh

if [ "${LBE_PLAIN_STD:-}" = 1 ]; then
  exec trunk build --release "$@"
fi
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="$PWD/target/release-std"
export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zfmt-debug=none -Zlocation-detail=none"
exec trunk build --release "$@"
