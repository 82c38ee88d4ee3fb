#!/usr/bin/env bash
# Installs what building (`setup.sh build`) or testing (`setup.sh test`) needs. Idempotent:
# every step checks first and skips what is already present at the pinned version.
#   - the wasm32 target                       (rustup)
#   - cargo-leptos 0.3.11                     (crates.io, --ignore-rust-version: see README)
#   - wasm-bindgen CLI == the locked crate    (crates.io)
#   - wasm-opt from npm binaryen 132          (Debian's binaryen 108 breaks the wasm)
#   - OpenSSL headers and pkg-config        (Debian's libssl-dev; webauthn-rs verifies passkeys with OpenSSL)
#   - test only: end2end and sdk-check npm packages, Debian's chromium, redis-server,
#     postgresql and nginx (when root)
set -euo pipefail
cd "$(dirname "$0")/.."

MODE="${1:-build}"
CARGO_LEPTOS_VERSION="0.3.11"
BINARYEN_VERSION="132.0.0"
TOOLS="$PWD/.tools"
export PATH="$TOOLS/npm/node_modules/.bin:$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

if ! { command -v pkg-config >/dev/null 2>&1 && pkg-config --exists openssl; }; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing Debian's libssl-dev and pkg-config (webauthn-rs links OpenSSL)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libssl-dev pkg-config >/dev/null
  else
    echo "OpenSSL headers are missing: install Debian's packages (sudo apt-get install libssl-dev pkg-config)." >&2
    exit 1
  fi
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 15 minutes on 2 cores, once)"
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --ignore-rust-version
fi

BINDGEN_VERSION="$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"$/\1/p')"
if ! wasm-bindgen --version 2>/dev/null | grep -q "$BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $BINDGEN_VERSION (must equal the locked crate)"
  # No --locked: the CLI's lockfile names a webpki-roots version that is not in the index.
  cargo install wasm-bindgen-cli --version "$BINDGEN_VERSION"
fi

if ! wasm-opt --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then
  say "installing wasm-opt from npm binaryen@$BINARYEN_VERSION into .tools/"
  mkdir -p "$TOOLS/npm"
  npm install --silent --no-audit --no-fund --prefix "$TOOLS/npm" "binaryen@$BINARYEN_VERSION"
fi

if [ "$MODE" = "test" ]; then
  if [ ! -d end2end/node_modules/@playwright/test ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
    say "installing end2end npm packages"
    (cd end2end && npm ci --silent --no-audit --no-fund)
  fi
  if [ ! -d sdk-check/node_modules/@vonage/server-sdk ] || [ sdk-check/package-lock.json -nt sdk-check/node_modules/.package-lock.json ]; then
    say "installing sdk-check npm packages (the vendors' SDKs the emulator is tested with)"
    (cd sdk-check && npm ci --silent --no-audit --no-fund)
  fi
  if ! command -v "${CHROMIUM_PATH:-/usr/bin/chromium}" >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
      say "installing Debian's chromium for the browser tests"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
      echo "Chromium is missing: install Debian's chromium package (sudo apt-get install chromium) or set CHROMIUM_PATH." >&2
      exit 1
    fi
  fi
fi
if [ "$MODE" = "test" ] || [ "$MODE" = "bench" ]; then
  # The scale-out tests start their own Redis on a free loopback port (and make a private CA
  # with the openssl CLI for the TLS test).
  if ! command -v "${REDIS_SERVER:-redis-server}" >/dev/null 2>&1 || ! command -v openssl >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
      say "installing Debian's redis-server for the scale-out tests"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server openssl >/dev/null
      # Only the binary is needed; the tests never use the system service.
      (systemctl disable --now redis-server >/dev/null 2>&1 || service redis-server stop >/dev/null 2>&1) || true
    else
      echo "redis-server or openssl is missing: install Debian's packages (sudo apt-get install redis-server openssl) or set REDIS_SERVER." >&2
      exit 1
    fi
  fi
  # The account-store tests start their own PostgreSQL cluster on a free loopback port.
  if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
      say "installing Debian's postgresql for the account-store tests"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
      # Only the binaries are needed; the tests never use the system service.
      (systemctl disable --now postgresql >/dev/null 2>&1 || service postgresql stop >/dev/null 2>&1) || true
    else
      echo "PostgreSQL is missing: install Debian's package (sudo apt-get install postgresql)." >&2
      exit 1
    fi
  fi
fi
if [ "$MODE" = "test" ]; then
  # The forward-authentication test puts its own nginx (`auth_request`) in front of a small
  # upstream on loopback.
  if ! command -v "${NGINX:-nginx}" >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
    if [ "$(id -u)" = 0 ]; then
      say "installing Debian's nginx for the forward-authentication test"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
      # Only the binary is needed; the test never uses the system service.
      (systemctl disable --now nginx >/dev/null 2>&1 || service nginx stop >/dev/null 2>&1) || true
    else
      echo "nginx is missing: install Debian's package (sudo apt-get install nginx) or set NGINX." >&2
      exit 1
    fi
  fi
fi
say "tools ready"
