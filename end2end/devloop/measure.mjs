// Save → browser reloaded, measured in Debian's Chromium against `cargo leptos watch`.
// For each case: open /login, edit a source file, wait until cargo-leptos has rebuilt and the
// page has reloaded itself (and shows the edit, for view edits), then revert and wait again.
// Prints one line per case with every timing and the median. Run by `make devloop`.
import { chromium } from "@playwright/test";
import { readFileSync, writeFileSync } from "node:fs";

const BASE = process.env.DEVLOOP_URL ?? "http://127.0.0.1:3000";
const ROUNDS = Number(process.env.DEVLOOP_ROUNDS ?? 3);
const CASES = [
  {
    name: "view edit (login heading, app/src/pages/login.rs)",
    file: "../app/src/pages/login.rs",
    from: '<h1>"Sign in"</h1>',
    to: '<h1>"Sign in (devloop)"</h1>',
    shows: "Sign in (devloop)",
  },
  {
    name: "server function edit (start_login, app/core/src/auth/api.rs)",
    file: "../app/core/src/auth/api.rs",
    from: 'form_redirect(&session, result, "/verify", "/login", Some(number)).await',
    to: 'form_redirect(&session, result, "/verify", "/login", Some(number.clone())).await',
    shows: null,
  },
];

// With `cargo leptos watch --hot-reload` (DEVLOOP_HOT=1), a view edit may be patched into the
// page before the full reload: note how long until the new text shows without a page load.
const HOT = process.env.DEVLOOP_HOT === "1";
const patched = [];

async function timedReload(page, write, shows) {
  const reloaded = page.waitForEvent("load", { timeout: 600_000 });
  const started = performance.now();
  write();
  if (HOT && shows) {
    const first = await Promise.race([
      reloaded.then(() => "reload"),
      page.getByText(shows).first().waitFor({ timeout: 600_000 }).then(() => "patch"),
    ]);
    if (first === "patch") patched.push((performance.now() - started) / 1000);
  }
  await reloaded;
  if (shows) await page.getByText(shows).first().waitFor({ timeout: 60_000 });
  return (performance.now() - started) / 1000;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const originals = new Map(CASES.map((c) => [c.file, readFileSync(c.file, "utf8")]));
try {
  const page = await browser.newPage();
  await page.goto(`${BASE}/login`);
  for (const c of CASES) {
    const original = originals.get(c.file);
    if (!original.includes(c.from)) throw new Error(`${c.file} no longer contains ${c.from}`);
    const times = [];
    for (let round = 0; round < ROUNDS; round++) {
      times.push(await timedReload(page, () => writeFileSync(c.file, original.replace(c.from, c.to)), c.shows));
      times.push(await timedReload(page, () => writeFileSync(c.file, original), null));
    }
    console.log(`devloop: ${c.name}: save → reloaded ${times.map((t) => t.toFixed(2)).join(" ")} s, median ${median(times).toFixed(2)} s`);
    if (HOT && c.shows) {
      console.log(`devloop: hot reload patched the page before reloading it in ${patched.length} of ${ROUNDS} edits` +
        (patched.length ? `, after ${patched.map((t) => t.toFixed(2)).join(" ")} s` : ""));
    }
  }
} finally {
  for (const [file, text] of originals) writeFileSync(file, text);
  await browser.close();
}
