import { expect, test, type Page } from "@playwright/test";
import { expectPinStep, expectSignedIn, latestCode, open, submitCode, submitNumber, uniqueNumber } from "./helpers";

// The two steps are reactive components calling server functions: these tests watch the
// network and the page to prove that, beyond what the journey specs check.

/** Makes the emulator's next Verify API call wait `ms` before answering. */
async function holdNextUpstreamCall(page: Page, ms: number): Promise<void> {
  const response = await page.request.post("/dev/faults", { data: { kind: "latency", ms, count: 1 } });
  expect(response.ok()).toBeTruthy();
}

test("the whole journey loads one document: every later step is rendered in the browser", async ({ page }) => {
  const documents: string[] = [];
  page.on("request", (request) => {
    if (request.resourceType() === "document") documents.push(request.url());
  });
  const number = uniqueNumber();
  await open(page, "/login");
  await submitNumber(page, number.typed);
  await expectPinStep(page, number.e164);
  await submitCode(page, await latestCode(page.request, number.e164));
  await expectSignedIn(page, number.e164);
  await page.getByRole("link", { name: "Your account" }).click();
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  expect(documents).toHaveLength(1);
});

test("a wrong code is answered with the server function's data, and no HTML is fetched", async ({ page }) => {
  const number = uniqueNumber();
  await open(page, "/login");
  await submitNumber(page, number.typed);
  await expectPinStep(page, number.e164);
  const code = await latestCode(page.request, number.e164);

  const answers: { url: string; type: string; status: number }[] = [];
  page.on("response", (response) => {
    if (!response.url().includes("/dev/")) {
      answers.push({ url: new URL(response.url()).pathname, type: response.headers()["content-type"] ?? "", status: response.status() });
    }
  });
  await submitCode(page, code === "000000" ? "111111" : "000000");
  await expect(page.getByRole("alert")).toContainText("That code isn't right. You have 2 attempts left.");
  await expect(page.getByLabel("Code")).toBeFocused();
  expect(answers).toEqual([{ url: "/api/finish_login", type: "application/json", status: 401 }]);
  await expect(page.getByLabel("Code")).toHaveAttribute("aria-invalid", "true");

  // The page is live: the right code still signs in.
  await submitCode(page, code);
  await expectSignedIn(page, number.e164);
});

test("light checks answer before any call, and the server stays the authority", async ({ page }) => {
  const calls: string[] = [];
  page.on("request", (request) => {
    if (request.url().includes("/api/")) calls.push(new URL(request.url()).pathname);
  });
  await open(page, "/login");
  await submitNumber(page, "");
  await expect(page.getByRole("alert")).toContainText("Enter your phone number.");
  await submitNumber(page, "07400 abc");
  await expect(page.getByRole("alert")).toContainText("doesn't look like a phone number");
  await expect(page.getByLabel("Phone number")).toBeFocused();
  expect(calls).toEqual([]);
  // Passes the light checks, refused by the server's numbering plan.
  await submitNumber(page, "+999 1234 5678");
  await expect(page.getByRole("alert")).toContainText("country code doesn't exist");
  expect(calls).toEqual(["/api/start_login"]);
});

test("busy states: 'Sending code…' and 'Checking…' while the provider is slow, no double submit", async ({ page }) => {
  const number = uniqueNumber();
  await open(page, "/login");
  let starts = 0;
  page.on("request", (request) => {
    if (request.url().endsWith("/api/start_login")) starts += 1;
  });
  await holdNextUpstreamCall(page, 2_000);
  await page.getByLabel("Phone number").fill(number.typed);
  await page.getByRole("button", { name: "Send code" }).click();
  const sending = page.getByRole("button", { name: "Sending code…" });
  await expect(sending).toBeDisabled();
  await expect(page.locator("form[aria-busy=true]")).toHaveCount(1);
  await page.getByLabel("Phone number").press("Enter");
  await expectPinStep(page, number.e164);
  expect(starts).toBe(1);

  const code = await latestCode(page.request, number.e164);
  await holdNextUpstreamCall(page, 2_000);
  await page.getByLabel("Code").fill(code);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: "Checking…" })).toBeDisabled();
  await expect(page.locator("form[aria-busy=true]")).toHaveCount(1);
  await expectSignedIn(page, number.e164);
});

test("a form submitted before the wasm has loaded still works (plain post, 303)", async ({ page }) => {
  let release: () => void = () => {};
  const wasmHeld = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\.wasm$/, async (route) => {
    await wasmHeld;
    // The first page's request is gone by then (the post loaded a new document).
    await route.continue().catch(() => {});
  });
  const number = uniqueNumber();
  await page.goto("/login");
  await expect(page.locator('main[data-hydrated="false"]')).toBeVisible();
  await submitNumber(page, number.typed);
  await expectPinStep(page, number.e164);
  release();
  await expect(page.locator('main[data-hydrated="true"]')).toBeVisible();
  await submitCode(page, await latestCode(page.request, number.e164));
  await expectSignedIn(page, number.e164);
});

test("the countdowns stop when the code step leaves the page", async ({ page }) => {
  // Counts the intervals the page has running.
  await page.addInitScript(() => {
    const live = new Set<number>();
    const w = window as unknown as { liveIntervals: () => number };
    const set = window.setInterval.bind(window);
    const clear = window.clearInterval.bind(window);
    window.setInterval = ((handler: TimerHandler, timeout?: number, ...args: unknown[]) => {
      const id = set(handler, timeout, ...args);
      live.add(id);
      return id;
    }) as typeof window.setInterval;
    window.clearInterval = (id?: number) => {
      if (id !== undefined) live.delete(id);
      clear(id);
    };
    w.liveIntervals = () => live.size;
  });
  const liveIntervals = () => page.evaluate(() => (window as unknown as { liveIntervals: () => number }).liveIntervals());
  const number = uniqueNumber();
  await open(page, "/login");
  expect(await liveIntervals()).toBe(0);
  await submitNumber(page, number.typed);
  await expectPinStep(page, number.e164);
  // Expiry, "Call me instead", and the provider's own call.
  await expect.poll(liveIntervals).toBe(3);
  await page.getByRole("button", { name: "Use a different number" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByLabel("Phone number")).toHaveValue(new RegExp(`${number.e164.slice(-6)}$`));
  await expect.poll(liveIntervals).toBe(0);
});
