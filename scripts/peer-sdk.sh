#!/usr/bin/env bash
# Sourced by scripts/bench.sh and scripts/bench-compare.sh (after scripts/setup.sh): installs the
# official @bitrix24/b24jssdk for the benchmark's plain-JavaScript peer (bench/peer/) into the
# tools cache, outside the clone and never committed, and exports LBE_PEER_SDK, its browser build.
# Major version 2, as e2e/tests/e2e/sdk.rs uses it.
LBE_PEER_SDK_SPEC="@bitrix24/b24jssdk@^2"
LBE_PEER_SDK_DIR="$LBE_TOOLS/b24jssdk"
export LBE_PEER_SDK="${LBE_PEER_SDK:-$LBE_PEER_SDK_DIR/node_modules/@bitrix24/b24jssdk/dist/umd/index.min.js}"
if [ ! -f "$LBE_PEER_SDK" ]; then
  echo "[bench] installing $LBE_PEER_SDK_SPEC into $LBE_PEER_SDK_DIR" >&2
  mkdir -p "$LBE_PEER_SDK_DIR"
  npm install --silent --no-audit --no-fund --prefix "$LBE_PEER_SDK_DIR" "$LBE_PEER_SDK_SPEC" >/dev/null
fi
[ -f "$LBE_PEER_SDK" ] || { echo "[bench] no SDK browser build at $LBE_PEER_SDK" >&2; exit 2; }
