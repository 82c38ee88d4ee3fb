#!/usr/bin/env bash
# Scans the release site (target/site: wasm, js, css) for anything that must never ship:
# the build-time canary secret, secret/id field names, and server-only crates in the wasm.
# Run after a release build made with VONAGE_API_SECRET set to the canary (scripts/test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
CANARY="${1:?usage: scan_release.sh CANARY}"
SITE=target/site
fail=0
check_absent() { # pattern, description
  if grep -rqaF -- "$1" "$SITE"; then
    echo "FAIL: $2 ($1) found in $SITE: $(grep -rlaF -- "$1" "$SITE" | paste -sd' ')"
    fail=1
  else
    echo "ok: no $2"
  fi
}
compgen -G "$SITE/pkg/passwordless*.wasm" >/dev/null || { echo "no release build in $SITE"; exit 1; }
check_absent "$CANARY" "build-time secret"
check_absent "api_secret" "API secret field"
check_absent "request_id" "provider request id field"
check_absent "VONAGE_API" "credential variable names"
for crate in phonenumber reqwest sqlx tower_sessions; do
  check_absent "$crate" "server-only crate '$crate' in the bundle"
done
[ "$fail" = 0 ] && echo "release scan: clean" || exit 1
