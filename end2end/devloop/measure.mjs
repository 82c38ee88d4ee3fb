// Save → browser, measured in Debian's Chromium against `cargo leptos watch --hot-reload`
// (what `make dev` runs), started by scripts/devloop.sh. Run by `make devloop`.
//
// 1. Full reloads. For a view edit and a server-function edit: open /login, edit the source,
//    wait until cargo-leptos has rebuilt and the page has reloaded itself (and shows the edit,
//    for view edits), then revert and wait again. One line per case: every timing, the median.
// 2. Hot reload. View edits raced against that reload: was the open page patched in place
//    first, and after how long? For each edit, whether the served page carries the
//    `<!--hot-reload|ID|open-->` marker of the `view!` that holds it: without it there is
//    nothing to patch (see "Hot reload" in README.md).
// With DEVLOOP_LOG (the watch's output), each case also shows where the rebuild time goes:
// cargo for the server and for the wasm, and wasm-bindgen, as medians over its saves.
import { chromium } from "@playwright/test";
import { readFileSync, writeFileSync, statSync } from "node:fs";

const BASE = process.env.DEVLOOP_URL ?? "http://127.0.0.1:3000";
const ROUNDS = Number(process.env.DEVLOOP_ROUNDS ?? 3);
const LOG = process.env.DEVLOOP_LOG;

// Edits are computed from the current text, so they survive unrelated changes to the files.
const replace = (from, to) => (text) => (text.includes(from) ? text.replace(from, to) : null);
// A statement at the top of `start_login`'s body: changes the server function only.
const intoStartLogin = (line) => (text) => {
  const at = text.indexOf("pub async fn start_login(");
  const body = at < 0 ? -1 : text.indexOf("{\n", text.indexOf(") -> ", at));
  return body < 0 ? null : text.slice(0, body + 2) + line + text.slice(body + 2);
};

const LOGIN = "../app/src/pages/login.rs";
const RELOAD_CASES = [
  {
    name: "view edit (login heading, app/src/pages/login.rs)",
    file: LOGIN,
    edit: replace("<h1>{t!(i18n, login.title)}</h1>", '<h1>{t!(i18n, login.title)}" (devloop)"</h1>'),
    shows: "Sign in (devloop)",
  },
  {
    name: "server function edit (start_login, app/core/src/auth/api.rs)",
    file: "../app/core/src/auth/api.rs",
    edit: intoStartLogin("    let _devloop = ();\n"),
    shows: null,
  },
];
const HOT_CASES = [
  { ...RELOAD_CASES[0], name: "text in the login heading (inside <Suspense>)", anchor: "<h1>{t!(i18n, login.title)}</h1>" },
  {
    name: "markup above the login form (outside <Suspense>)",
    file: LOGIN,
    edit: replace(
      "<Title text=t_string!(i18n, login.title) />",
      '<Title text=t_string!(i18n, login.title) />\n        <p>"Patched (devloop)"</p>',
    ),
    shows: "Patched (devloop)",
    anchor: "<Title text=t_string!(i18n, login.title) />",
  },
];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const secs = (xs) => xs.map((t) => t.toFixed(2)).join(" ");

// The id leptos gives a `view!`: its file (from the workspace root, `/` → `-`) and the line
// of its `view!`; cargo-leptos sends patches under the same id.
function viewId(file, text, anchor) {
  const at = text.indexOf(anchor);
  const start = text.lastIndexOf("view!", at);
  const line = text.slice(0, start).split("\n").length;
  return `${file.replace(/^\.\.\//, "").replaceAll("/", "-")}-${line}`;
}

async function timedReload(page, write, shows, hot) {
  const reloaded = page.waitForEvent("load", { timeout: 600_000 });
  const started = performance.now();
  write();
  let patched = null;
  if (hot) {
    const first = await Promise.race([
      reloaded.then(() => "reload"),
      page.getByText(shows).first().waitFor({ timeout: 600_000 }).then(() => "patch"),
    ]);
    if (first === "patch") patched = (performance.now() - started) / 1000;
  }
  await reloaded;
  if (shows) await page.getByText(shows).first().waitFor({ timeout: 60_000 });
  return { reload: (performance.now() - started) / 1000, patched };
}

const logSize = () => (LOG ? statSync(LOG).size : 0);
// " (medians: cargo server …, cargo wasm …, wasm-bindgen …)" for the saves logged since `from`.
function buildTimes(from) {
  if (!LOG) return "";
  const text = readFileSync(LOG).subarray(from).toString("utf8").replace(/\x1b\[[0-9;]*m/g, "");
  const times = { server: [], wasm: [], bindgen: [] };
  let last = null;
  for (const line of text.split("\n")) {
    let m;
    if ((m = line.match(/Finished `[^`]+` profile .* in (?:(\d+)m )?([\d.]+)s/))) last = Number(m[1] ?? 0) * 60 + Number(m[2]);
    else if (last !== null && /Cargo finished cargo build --package=server/.test(line)) (times.server.push(last), (last = null));
    else if (last !== null && /Cargo finished cargo build --package=frontend/.test(line)) (times.wasm.push(last), (last = null));
    else if ((m = line.match(/Finished generating JS\/WASM for front in ([\d.]+)(ms|s)/))) times.bindgen.push(Number(m[1]) / (m[2] === "ms" ? 1000 : 1));
  }
  const m = (xs) => (xs.length ? `${median(xs).toFixed(2)} s` : "n/a");
  return ` (medians: cargo server ${m(times.server)}, cargo wasm ${m(times.wasm)}, wasm-bindgen ${m(times.bindgen)})`;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const files = [...new Set([...RELOAD_CASES, ...HOT_CASES].map((c) => c.file))];
const originals = new Map(files.map((f) => [f, readFileSync(f, "utf8")]));
try {
  const page = await browser.newPage();
  await page.goto(`${BASE}/login`);
  for (const c of RELOAD_CASES) {
    const original = originals.get(c.file);
    const edited = c.edit(original);
    if (edited === null) throw new Error(`${c.file}: the edit for "${c.name}" no longer applies`);
    const times = [];
    const from = logSize();
    for (let round = 0; round < ROUNDS; round++) {
      times.push((await timedReload(page, () => writeFileSync(c.file, edited), c.shows, false)).reload);
      times.push((await timedReload(page, () => writeFileSync(c.file, original), null, false)).reload);
    }
    console.log(`devloop: ${c.name}: save → reloaded ${secs(times)} s, median ${median(times).toFixed(2)} s` +
      buildTimes(from));
  }
  for (const c of HOT_CASES) {
    const original = originals.get(c.file);
    const edited = c.edit(original);
    if (edited === null) {
      console.log(`devloop: hot reload, ${c.name}: skipped (the edit no longer applies to ${c.file})`);
      continue;
    }
    const id = viewId(c.file, original, c.anchor);
    const html = await page.content();
    const hasMarker = html.includes(`<!--hot-reload|${id}|open-->`);
    const patched = [];
    for (let round = 0; round < ROUNDS; round++) {
      const r = await timedReload(page, () => writeFileSync(c.file, edited), c.shows, true);
      if (r.patched !== null) patched.push(r.patched);
      await timedReload(page, () => writeFileSync(c.file, original), null, false);
    }
    const within = patched.filter((t) => t <= 1).length;
    console.log(`devloop: hot reload, ${c.name}: patched in place in ${patched.length} of ${ROUNDS} edits` +
      (patched.length ? ` (${within} within 1 s), after ${secs(patched)} s` : "") +
      `; view ${id} ${hasMarker ? "has" : "has NO"} hot-reload marker in the served page`);
  }
} finally {
  for (const [file, text] of originals) writeFileSync(file, text);
  await browser.close();
}
