#!/usr/bin/env bash
# The quick loop: formatting, clippy (server and wasm), and every in-process test (unit,
# model-based, store conformance, the server over HTTP on loopback) without the browser,
# the load run or the HTTP fuzz run. `make test` runs all of them.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.tools/npm/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export VERIFY_PROVIDER=emulator SESSION_STORE=memory ACCOUNT_STORE=memory
unset VONAGE_API_KEY VONAGE_API_SECRET VONAGE_BASE_URL VONAGE_WORKFLOW AUTO_CALL_AFTER EMULATOR_API \
  VONAGE_APPLICATION_ID VONAGE_PRIVATE_KEY \
  TWILIO_ACCOUNT_SID TWILIO_AUTH_TOKEN TWILIO_VERIFY_SERVICE_SID TWILIO_BASE_URL

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
started=$SECONDS

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy: server (ssr) and app tests"
cargo clippy -p server -p host -p emulator -p app -p app-core -p bench --features app/ssr --all-targets -- -D warnings

step "clippy: wasm (hydrate)"
cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

step "unit, model and service tests (no browser, no load, no fuzz)"
cargo test -p app-core --features ssr
cargo test -p app --features ssr
RUST_LOG="${RUST_LOG:-error}" cargo test -p emulator -p host
RUST_LOG="${RUST_LOG:-error}" cargo test -p server --tests -- --skip load:: --skip http_fuzz::

step "checked in $((SECONDS - started)) s"
