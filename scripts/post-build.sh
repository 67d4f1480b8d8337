#!/usr/bin/env bash
# trunk's post_build hook (Trunk.toml): runs in the workspace on trunk's staging directory,
# just before it becomes dist/.
# - release: minifies the wasm-bindgen glue with terser (trunk minifies only its own assets;
#   about 2.1 KiB less gzip), then writes NAME.gz (gzip -9) and NAME.br (brotli -q 11) next
#   to every file a browser downloads, for hosts that serve precompressed files (deploy/nginx:
#   gzip_static, brotli_static). Compressing once at build time costs nothing per request and
#   allows the slowest, smallest settings.
# - debug (trunk serve): trunk appends an inline live-reload script, which the page's CSP
#   refuses; the development build's policy lets inline scripts run. Release builds never do.
set -euo pipefail
stage="${TRUNK_STAGING_DIR:?run by trunk as the post_build hook in Trunk.toml}"
html="$stage/index.html"
[ -f "$html" ] || { echo "post-build: no $html" >&2; exit 1; }

if [ "${TRUNK_PROFILE:-}" != release ]; then
  sed -i "s/script-src 'self'/script-src 'self' 'unsafe-inline'/" "$html"
  exit 0
fi

for tool in brotli terser; do
  if ! command -v "$tool" >/dev/null; then
    echo "post-build: $tool is missing (scripts/setup.sh installs it)" >&2
    exit 1
  fi
done

# Each wasm-bindgen glue (NAME.js beside NAME_bg.wasm: the editor's and the settings bundle's).
# Only minified: what wasm-bindgen wrote is never rewritten, so the glue and the wasm always
# match whatever wasm-bindgen's layout is.
shopt -s nullglob
glues=0
for wasm in "$stage"/*_bg.wasm; do
  glue="${wasm%_bg.wasm}.js"
  [ -f "$glue" ] || { echo "post-build: no glue $glue for $wasm" >&2; exit 1; }
  terser "$glue" --module --compress --mangle --output "$glue.min"
  mv "$glue.min" "$glue"
  glues=$((glues + 1))
done
[ "$glues" -gt 0 ] || { echo "post-build: no wasm in $stage" >&2; exit 1; }
find "$stage" -type f \( -name '*.html' -o -name '*.js' -o -name '*.wasm' -o -name '*.css' \
  -o -name '*.svg' -o -name '*.json' \) -print0 |
  while IFS= read -r -d '' file; do
    gzip -9 --no-name --keep --force "$file"
    brotli --quality=11 --keep --force "$file"
  done
