#!/usr/bin/env bash
# Runs every check: formatting, clippy (server and wasm), unit and integration tests, the
# vendors' Node SDKs against the standalone emulator, and the Playwright suite in Debian's
# Chromium against a debug build on the emulator.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.tools/npm/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# Tests always run on the emulator with in-memory sessions and accounts, whatever a local
# .env says (the SQLite and PostgreSQL stores have tests of their own).
export VERIFY_PROVIDER=emulator SESSION_STORE=memory ACCOUNT_STORE=memory
unset VONAGE_API_KEY VONAGE_API_SECRET VONAGE_BASE_URL VONAGE_WORKFLOW AUTO_CALL_AFTER EMULATOR_API \
  VONAGE_APPLICATION_ID VONAGE_PRIVATE_KEY \
  TWILIO_ACCOUNT_SID TWILIO_AUTH_TOKEN TWILIO_VERIFY_SERVICE_SID TWILIO_BASE_URL

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# fmt, clippy (server and wasm) and every in-process test but the load and fuzz runs.
./scripts/check.sh

step "wasm dependency graph: no server-only crate"
leaked=$(cargo tree -e normal --target wasm32-unknown-unknown -p frontend --prefix none \
  | sed 's/ v[0-9].*//' | sort -u \
  | grep -xE 'phonenumber|reqwest|sqlx|tower-sessions|tower-http|tokio|hyper|axum|leptos_axum' || true)
if [ -n "$leaked" ]; then echo "server-only crates in the wasm graph: $leaked"; exit 1; fi
echo "ok"

step "load and HTTP fuzz runs"
RUST_LOG="${RUST_LOG:-error}" cargo test -p server --test api -- load:: http_fuzz::

step "vendors' official SDKs (Vonage v1, v2 JWT and key/secret, Twilio) against the standalone emulator"
./scripts/sdk_check.sh

step "browser tests (Playwright, Debian Chromium) on the release site"
# Every browser test comes from 127.0.0.1: raise the per-IP budgets (by setting, as any
# operator would) so the suite is not throttled by its own earlier tests. The canary secret
# is in the environment while building, so the scan below proves no build step captures it.
# The site files are the release ones (size-optimised wasm, hashed, precompressed: the
# wasm-release profile sets its own opt-level); the server binary under test is compiled
# without optimisation, which behaves the same and builds in about 5 minutes instead of 11
# on 2 cores. `make run`, `make build` and `make bench` build it optimised.
CANARY="canary-secret-$RANDOM$RANDOM"
# One test number (test_numbers.spec.ts), valid for 30 days from today; the site under its
# other name, localhost, is a host sign-in may return to (protected.spec.ts).
TEST_NUMBERS="07700 900123=246810" TEST_NUMBERS_UNTIL="$(date -u -d '+30 days' +%F)" \
LIMIT_PER_IP=1000/1h LIMIT_CHECKS_PER_IP=1000/5m RESEND_AFTER=5 EMULATOR_CODE_TTL=20 \
  AUTH_REDIRECT_HOSTS=localhost:3000 \
  VONAGE_API_SECRET="$CANARY" CARGO_PROFILE_RELEASE_OPT_LEVEL=0 \
  cargo leptos end-to-end --release --precompress

step "release build scan: no secret, no request id, no server-only crate in the site files"
./scripts/scan_release.sh "$CANARY"

step "all checks passed"
