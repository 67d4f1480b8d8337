#!/usr/bin/env bash
# The development loop: installs what is missing, starts the Sites editor
# emulator and `trunk serve` (live reload), and prints the editor URL.
# Ctrl+C stops everything it started. Arguments go to the emulator, e.g.
# `scripts/dev.sh --fresh-install --user editor` (see emulator/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh

EDITOR_ADDR="${EDITOR_ADDR:-127.0.0.1:8090}"
APP_HOST_ADDR="${APP_HOST_ADDR:-127.0.0.1:8091}"
TRUNK_PORT="${TRUNK_PORT:-8080}"
STATE_FILE="${STATE_FILE:-emulator-state.json}"

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

say "building the emulator"
cargo build -q -p emulator
mkdir -p dist
if [ ! -f dist/index.html ]; then
  say "first build of the app"
  trunk build
fi

# The portal opens the handler with a POST, which trunk serve refuses (405):
# trunk forwards /handler/ to the emulator's app host, which answers any POST
# with the index.html that trunk serve keeps writing (live-reload script included).
target/debug/emulator \
  --addr "$EDITOR_ADDR" \
  --app-addr "$APP_HOST_ADDR" \
  --app-dir dist \
  --app-handler "http://127.0.0.1:$TRUNK_PORT/handler/" \
  --state "$STATE_FILE" "$@" &
pids+=($!)

trunk serve --port "$TRUNK_PORT" \
  --proxy-backend "http://$APP_HOST_ADDR/" --proxy-rewrite /handler/ &
pids+=($!)

# Print the address once both servers answer (the first build takes a while).
for _ in $(seq 1 600); do
  if curl -sf -o /dev/null "http://$EDITOR_ADDR/" && curl -sf -o /dev/null "http://127.0.0.1:$TRUNK_PORT/"; then
    break
  fi
  sleep 1
done
cat <<MSG

  Sites editor emulator:  http://$EDITOR_ADDR/
  Point at a block, click More, choose "Block editor".
  The app's own page (installation, bindings): the Applications button in its header.
  The app itself (trunk serve, live reload): http://127.0.0.1:$TRUNK_PORT/
  Emulator state is kept in $STATE_FILE. Ctrl+C stops everything.

MSG
wait -n "${pids[@]}"
