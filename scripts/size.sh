#!/usr/bin/env bash
# What a first visit to /login costs on the wire: starts the release server (after
# `cargo leptos build --release --precompress`) on a free loopback port, fetches /login and
# every /pkg file the page names (the js loader, the wasm it preloads, the css), once with
# `Accept-Encoding: br` (what browsers send) and once without, and prints the bytes of each
# answer's body as sent. Also prints each file's brotli size from disk for reference.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=target/release/server
compgen -G "target/site/pkg/passwordless*.wasm" >/dev/null && [ -x "$BIN" ] \
  || { echo "no release build: run make build first" >&2; exit 1; }
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export VERIFY_PROVIDER=emulator SESSION_STORE=memory RUST_LOG=warn
export LEPTOS_OUTPUT_NAME=passwordless LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg
export LEPTOS_SITE_ADDR="127.0.0.1:$PORT" LEPTOS_ENV=PROD LEPTOS_HASH_FILES=true
"$BIN" >target/size-server.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null && break
  sleep 0.1
done
node - "http://127.0.0.1:$PORT" <<'JS'
const http = require("http"), fs = require("fs"), zlib = require("zlib");
const base = process.argv[2];
// Raw bytes of the body as sent (no decoding), and the headers.
const get = (path, encoding) => new Promise((resolve, reject) => {
  const headers = encoding ? { "accept-encoding": encoding } : {};
  http.get(base + path, { headers }, (res) => {
    const chunks = [];
    res.on("data", (c) => chunks.push(c));
    res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
  }).on("error", reject);
});
const brotli = (b) => zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
(async () => {
  const page = await get("/login", "br");
  const html = (page.headers["content-encoding"] === "br" ? zlib.brotliDecompressSync(page.body) : page.body).toString();
  const files = [...new Set([...html.matchAll(/(?:href|src)="(\/pkg\/[^"]+)"/g)].map((m) => m[1]))];
  if (!files.some((f) => f.endsWith(".wasm"))) throw new Error("no wasm named by /login");
  const rows = [["/login (HTML)", page, await get("/login")]];
  for (const file of files) rows.push([file, await get(file, "br"), await get(file)]);
  let wire = 0, raw = 0;
  console.log(`${"first visit to /login".padEnd(44)} ${"br on the wire".padStart(15)} ${"raw".padStart(9)}  encoding  cache-control`);
  for (const [name, br, plain] of rows) {
    if (br.status !== 200 || plain.status !== 200) throw new Error(`${name}: HTTP ${br.status}/${plain.status}`);
    wire += br.body.length; raw += plain.body.length;
    console.log(`${name.padEnd(44)} ${String(br.body.length).padStart(15)} ${String(plain.body.length).padStart(9)}  ${(br.headers["content-encoding"] ?? "none").padEnd(8)}  ${br.headers["cache-control"] ?? "-"}`);
  }
  console.log(`${"total".padEnd(44)} ${String(wire).padStart(15)} ${String(raw).padStart(9)}  (goal: br <= 167936 = 164 KB; full hydration before: 243,268)`);
  const wasm = files.find((f) => f.endsWith(".wasm"));
  const onDisk = fs.readFileSync("target/site" + wasm);
  console.log(`wasm on disk: ${onDisk.length} B raw, ${brotli(onDisk)} B brotli -q 11`);
})().catch((e) => { console.error(e.message); process.exit(1); });
JS
