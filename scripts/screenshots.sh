#!/usr/bin/env bash
# Makes the README's pictures: the end-to-end tests of the health check and the live preview
# take them in Chromium (1280x900, the emulator's slider) and this copies them to docs/.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
[ "${1:-}" = "--no-build" ] || scripts/build.sh
cargo build -q -p emulator
LBE_DIST="$PWD/dist" LBE_EMULATOR="$PWD/target/debug/emulator" \
  cargo test -p e2e --tests -- --test-threads=1 health::template_content preview::preview_shows
mkdir -p docs/screenshots
cp target/screenshots/health.png target/screenshots/preview.png docs/screenshots/
echo "docs/screenshots/health.png docs/screenshots/preview.png updated"
