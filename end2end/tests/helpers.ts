import { expect, type APIRequestContext, type Page } from "@playwright/test";

// Helpers split into find / act / check, so specs read as user journeys.

/** A fresh, valid UK mobile number so tests never share a live code: a random base per
 * worker process plus a counter, over 100 000 numbers (+44 7400 1xxxxx). */
const base = Math.floor(Math.random() * 100000);
let counter = 0;
export function uniqueNumber(): { typed: string; e164: string } {
  counter += 1;
  const suffix = String((base + counter * 7919) % 100000).padStart(5, "0");
  return { typed: `07400 1${suffix}`, e164: `+4474001${suffix}` };
}

// --- find ---------------------------------------------------------------

/** The newest code the emulator "sent" to `e164`, read from the dev outbox JSON. */
export async function latestCode(request: APIRequestContext, e164: string): Promise<string> {
  let code: string | undefined;
  await expect
    .poll(async () => {
      const response = await request.get("/dev/messages");
      expect(response.ok()).toBeTruthy();
      const messages: { to: string; code: string }[] = await response.json();
      code = messages.find((m) => m.to === e164)?.code;
      return code;
    })
    .toBeTruthy();
  return code as string;
}

// --- act ----------------------------------------------------------------

/** Moves the server's time forward `secs` seconds: the emulator's `/dev/clock`, which the
 * login's own timers follow, so expiry and "send again" countdowns need no real wait. */
export async function advanceServerClock(request: APIRequestContext, secs: number): Promise<void> {
  const response = await request.post("/dev/clock", { data: { advance_secs: secs } });
  expect(response.ok()).toBeTruthy();
}

/** Opens `path` and, when JavaScript is on, waits until the app has hydrated. */
export async function open(page: Page, path: string, js = true): Promise<void> {
  await page.goto(path);
  if (js) {
    await expect(page.locator('main[data-hydrated="true"]')).toBeVisible();
  }
}

/** Types a number on the phone step and submits it. */
export async function submitNumber(page: Page, typed: string): Promise<void> {
  await page.getByLabel("Phone number").fill(typed);
  await page.getByRole("button", { name: "Send code" }).click();
}

/** Types a code on the PIN step and submits it. */
export async function submitCode(page: Page, code: string): Promise<void> {
  await page.getByLabel("Code").fill(code);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Runs the whole login for a fresh number and returns it. */
export async function signIn(page: Page, js = true): Promise<{ typed: string; e164: string }> {
  const number = uniqueNumber();
  await open(page, "/login", js);
  await submitNumber(page, number.typed);
  await expectPinStep(page, number.e164);
  await submitCode(page, await latestCode(page.request, number.e164));
  await expectSignedIn(page, number.e164);
  return number;
}

// --- check --------------------------------------------------------------

/** The PIN step is shown for `e164` (displayed in international format). */
export async function expectPinStep(page: Page, e164: string): Promise<void> {
  await expect(page).toHaveURL(/\/verify$/);
  await expect(page.getByRole("heading", { name: "Enter your code" })).toBeVisible();
  const digits = e164.replace(/\D/g, "");
  await expect(page.locator(".number")).toHaveText(new RegExp(digits.slice(-6, -3) + ".*" + digits.slice(-3) + "$"));
}

/** A UK number as the pages show it: `+447400123123` → `+44 7400 123123`. */
export function shown(e164: string): string {
  return e164.replace(/^\+44(\d{4})(\d{6})$/, "+44 $1 $2");
}

/** The home page greets `e164` (in international format) and offers a Log out button. */
export async function expectSignedIn(page: Page, e164: string): Promise<void> {
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { name: `Hello ${shown(e164)}` })).toBeVisible();
  await expect(page.getByRole("button", { name: "Log out" })).toBeVisible();
}

/** The home page offers to sign in. */
export async function expectSignedOut(page: Page): Promise<void> {
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Log out" })).toHaveCount(0);
}
