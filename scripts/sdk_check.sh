#!/usr/bin/env bash
# The vendors' official Node SDKs (sdk-check/, pinned by its package-lock.json) against the
# standalone emulator: starts `server emulator` on a free loopback port with a Vonage
# application (a key pair made here), runs sdk-check/verify_sdks.test.mjs, stops the emulator.
# Uses the debug server binary `cargo test -p server --tests` builds (scripts/check.sh builds
# it; the same command here is a no-op after it). `scripts/setup.sh test` installs the packages.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d sdk-check/node_modules/@vonage/server-sdk ]; then
  echo "sdk-check packages missing: run ./scripts/setup.sh test" >&2
  exit 1
fi
cargo test -p server --tests --no-run --quiet
bin="${CARGO_TARGET_DIR:-target}/debug/server"

work=$(mktemp -d)
emulator_pid=""
cleanup() {
  if [ -n "$emulator_pid" ]; then kill "$emulator_pid" 2>/dev/null || true; wait "$emulator_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/private.key" 2>/dev/null
openssl rsa -in "$work/private.key" -pubout -out "$work/public.pem" 2>/dev/null
application_id="$(cat /proc/sys/kernel/random/uuid)"

# Port 0: the emulator binds a free port and prints it.
EMULATOR_API_KEY=sdk-key EMULATOR_API_SECRET=sdk-secret \
  EMULATOR_APPLICATION_ID="$application_id" EMULATOR_PUBLIC_KEY="$work/public.pem" \
  RUST_LOG="${RUST_LOG:-error}" \
  "$bin" emulator --addr 127.0.0.1:0 >"$work/emulator.out" 2>"$work/emulator.err" &
emulator_pid=$!
url=""
for _ in $(seq 100); do
  url=$(sed -n 's/^emulator listening on //p' "$work/emulator.out")
  [ -n "$url" ] && break
  if ! kill -0 "$emulator_pid" 2>/dev/null; then cat "$work/emulator.err" >&2; exit 1; fi
  sleep 0.1
done
if [ -z "$url" ]; then echo "the emulator did not start" >&2; cat "$work/emulator.err" >&2; exit 1; fi

# TWILIO_EDGE / TWILIO_REGION would rewrite the Twilio client's host.
env -u TWILIO_EDGE -u TWILIO_REGION EMULATOR_URL="$url" SDK_API_KEY=sdk-key SDK_API_SECRET=sdk-secret \
  SDK_APPLICATION_ID="$application_id" SDK_PRIVATE_KEY="$work/private.key" \
  node --test sdk-check/
