#!/usr/bin/env bash
# Measures the frontend developer's loop under what `make dev` runs (`cargo leptos watch
# --hot-reload`, on the site and reload ports of Cargo.toml, 3000 and 3001, or LEPTOS_SITE_ADDR
# and LEPTOS_RELOAD_PORT): end2end/devloop/measure.mjs edits a page component and a server
# function, waits for the browser to reload itself and reverts, then checks whether view edits
# are patched into the open page without a reload. Other builds on the machine slow every
# figure: the load average is printed before and after.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.tools/npm/node_modules/.bin:$HOME/.cargo/bin:$PATH"
./scripts/setup.sh test
export VERIFY_PROVIDER=emulator SESSION_STORE=memory ACCOUNT_STORE=memory
addr="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
if curl -fsS -o /dev/null "http://$addr/" 2>/dev/null; then
  echo "devloop: something already serves http://$addr (make dev?): stop it, or set LEPTOS_SITE_ADDR and LEPTOS_RELOAD_PORT" >&2
  exit 1
fi
mkdir -p target
log=target/devloop-watch.log
load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "devloop: load average (1, 5, 15 min) before: $(load) on $(nproc) cores"
# No `cargo leptos build` first: it compiles leptos without LEPTOS_WATCH, which watch then
# compiles again (the view markers hot reload needs exist only with it).
setsid cargo leptos watch --hot-reload >"$log" 2>&1 &
watch_pid=$!
trap 'kill -- -$watch_pid 2>/dev/null || true' EXIT
started=$SECONDS
until curl -fsS -o /dev/null "http://$addr/login" 2>/dev/null; do
  if ! kill -0 "$watch_pid" 2>/dev/null; then
    tail -n 30 "$log"; echo "devloop: cargo leptos watch stopped; see $log" >&2; exit 1
  fi
  if [ $((SECONDS - started)) -gt 3600 ]; then
    echo "devloop: cargo leptos watch did not serve within an hour; see $log" >&2; exit 1
  fi
  sleep 0.5
done
echo "devloop: first build and start took $((SECONDS - started)) s (a few seconds once target/server-dev and target/front are built)"
(cd end2end && DEVLOOP_URL="http://$addr" DEVLOOP_LOG="$PWD/../$log" node devloop/measure.mjs)
echo "devloop: load average (1, 5, 15 min) after: $(load)"
