#!/usr/bin/env bash
# Builds the release (`scripts/build.sh`) and packs it as the zip Bitrix24 accepts for a
# local static application: index.html and the files it loads at the zip's root. The .gz and
# .br copies stay out (the portal serves the files itself).
#
#   scripts/package.sh              build, then pack target/landing-block-editor.zip
#   scripts/package.sh --no-build   pack the dist/ that is there
#   LBE_ZIP=/path/app.zip scripts/package.sh   another output path
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

if [ "${1:-}" != "--no-build" ]; then
  . scripts/setup.sh
  scripts/build.sh
fi
[ -f dist/index.html ] || { echo "package: dist/index.html is missing (run without --no-build)" >&2; exit 1; }
command -v zip >/dev/null || { echo "package: the zip command is missing (scripts/setup.sh installs it)" >&2; exit 1; }

zip_path="${LBE_ZIP:-target/landing-block-editor.zip}"
case "$zip_path" in /*) ;; *) zip_path="$root/$zip_path" ;; esac
mkdir -p "$(dirname "$zip_path")"
rm -f "$zip_path"
# -X: no extra file attributes; -D: no directory entries; paths relative to dist/.
(cd dist && zip -q -X -D -r "$zip_path" . -x '*.gz' -x '*.br')
printf 'package: %s (%d B)\n' "$zip_path" "$(wc -c < "$zip_path")"
