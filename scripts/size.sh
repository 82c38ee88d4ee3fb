#!/usr/bin/env bash
# Prints the release bundle sizes (raw and brotli -q 11 via Node's zlib): wasm, js, css, their
# total, and the SSR HTML of /login fetched from a running server (BASE_URL, optional).
set -euo pipefail
cd "$(dirname "$0")/.."
PKG=target/site/pkg
[ -f "$PKG/passwordless.wasm" ] || { echo "no build in $PKG: run make build first" >&2; exit 1; }
html_file=""
if [ -n "${BASE_URL:-}" ]; then
  html_file=$(mktemp)
  curl -sf "$BASE_URL/login" -o "$html_file"
fi
node - "$PKG/passwordless.wasm" "$PKG/passwordless.js" "$PKG/passwordless.css" $html_file <<'JS'
const fs = require("fs"), zlib = require("zlib");
const br = (b) => zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
let raw = 0, brotli = 0;
for (const [i, file] of process.argv.slice(2).entries()) {
  const bytes = fs.readFileSync(file);
  const name = i === 3 ? "/login HTML" : file.split("/").pop();
  console.log(`${name.padEnd(20)} raw=${String(bytes.length).padStart(8)}  brotli=${String(br(bytes)).padStart(7)}`);
  if (i < 3) { raw += bytes.length; brotli += br(bytes); }
}
console.log(`${"wasm+js+css".padEnd(20)} raw=${String(raw).padStart(8)}  brotli=${String(brotli).padStart(7)}  (goal: brotli <= 153600)`);
JS
[ -n "$html_file" ] && rm -f "$html_file"
exit 0
