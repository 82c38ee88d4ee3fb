#!/usr/bin/env bash
# Measures the frontend developer's loop: `cargo leptos watch` (what `make dev` runs) on
# 127.0.0.1:3000, then end2end/devloop/measure.mjs edits a page component and a server
# function, waits for the browser to reload itself, and reverts. Needs ports 3000 and 3001.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.tools/npm/node_modules/.bin:$HOME/.cargo/bin:$PATH"
./scripts/setup.sh test
export VERIFY_PROVIDER=emulator SESSION_STORE=memory
cargo leptos build
log=target/devloop-watch.log
# DEVLOOP_HOT=1: `--hot-reload` as well, and report whether view edits are patched in place.
hot=""; [ "${DEVLOOP_HOT:-}" = 1 ] && hot="--hot-reload"
setsid cargo leptos watch $hot >"$log" 2>&1 &
watch_pid=$!
trap 'kill -- -$watch_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
  curl -fsS -o /dev/null http://127.0.0.1:3000/login 2>/dev/null && break
  sleep 0.5
done
curl -fsS -o /dev/null http://127.0.0.1:3000/login || { echo "watch did not serve; see $log"; exit 1; }
(cd end2end && node devloop/measure.mjs)
