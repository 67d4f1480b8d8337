#!/usr/bin/env bash
# Installs what building, serving and testing this project needs, skipping what is
# already present. Source it (". scripts/setup.sh") to also get the tools on PATH.
set -euo pipefail

LBE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Tools installed from npm live outside the clone so that fresh clones reuse them.
LBE_TOOLS="${LBE_TOOLS:-$HOME/.cache/landing-block-editor}"
export PATH="$HOME/.cargo/bin:$LBE_TOOLS/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true

TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132.0.0

say() { printf '[setup] %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# The wasm-bindgen CLI must match the library in Cargo.lock exactly.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$LBE_ROOT/Cargo.lock"
}

# Release-profile LTO makes installing the CLIs twice as slow and buys nothing here.
quick_install() {
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 cargo install "$@"
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
# The release build rebuilds the standard library from its sources (scripts/build.sh).
if ! rustup component list --installed | grep -q '^rust-src'; then
  say "adding the rust-src component"
  rustup component add rust-src
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (several minutes)"
  quick_install --locked "trunk@$TRUNK_VERSION"
fi

WB_VERSION="$(wasm_bindgen_version)"
if [ -z "$WB_VERSION" ]; then
  say "Cargo.lock names no wasm-bindgen version"; exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WB_VERSION" ] \
  || ! command -v wasm-bindgen-test-runner >/dev/null; then
  say "installing wasm-bindgen-cli $WB_VERSION (a few minutes)"
  # Not --locked: the CLI's own lockfile names a crate version the registry lacks.
  quick_install --force wasm-bindgen-cli --version "$WB_VERSION"
fi

# Minifies the wasm-bindgen glue in release builds (scripts/post-build.sh).
TERSER_VERSION=5.51.2
if [ "$(terser --version 2>/dev/null)" != "terser $TERSER_VERSION" ]; then
  say "installing terser $TERSER_VERSION into $LBE_TOOLS"
  mkdir -p "$LBE_TOOLS"
  npm install --silent --no-audit --no-fund --prefix "$LBE_TOOLS" "terser@$TERSER_VERSION" >/dev/null
fi

if ! wasm-opt --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then
  say "installing wasm-opt (binaryen $BINARYEN_VERSION) into $LBE_TOOLS"
  mkdir -p "$LBE_TOOLS"
  npm install --silent --no-audit --no-fund --prefix "$LBE_TOOLS" "binaryen@$BINARYEN_VERSION" >/dev/null
fi

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  say "installing Chromium and chromedriver"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi

export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"

# Hosting and packaging (deploy/nginx, scripts/package.sh, the post-build hook): nginx with the
# brotli_static module, the brotli and zip tools. The tests run an nginx of their own on free
# loopback ports, so installing the package must not start the system's service on port 80.
LBE_NGINX_BROTLI_MODULE=/usr/lib/nginx/modules/ngx_http_brotli_static_module.so
deploy_packages=()
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || deploy_packages+=(nginx)
[ -f "$LBE_NGINX_BROTLI_MODULE" ] || deploy_packages+=(libnginx-mod-http-brotli-static)
command -v brotli >/dev/null || deploy_packages+=(brotli)
command -v zip >/dev/null || deploy_packages+=(zip)
command -v unzip >/dev/null || deploy_packages+=(unzip)
if [ "${#deploy_packages[@]}" -gt 0 ]; then
  say "installing ${deploy_packages[*]}"
  (
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      # Debian's convention for "start no service on install"; removed when this ends.
      trap 'as_root rm -f /usr/sbin/policy-rc.d' EXIT
      printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
      as_root chmod +x /usr/sbin/policy-rc.d
    fi
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${deploy_packages[@]}" >/dev/null
  )
fi
export LBE_NGINX="${LBE_NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"
