import { expect, test } from "@playwright/test";
import { advanceServerClock, expectPinStep, expectSignedIn, latestCode, open, shown, submitCode, submitNumber, uniqueNumber } from "./helpers";

// The suite's server runs with RESEND_AFTER=5 (scripts/test.sh).

test("send again calls after the countdown, and the same code still works", async ({ page }) => {
  const number = uniqueNumber();
  await page.clock.install();
  await open(page, "/login");
  await submitNumber(page, number.typed);
  await expectPinStep(page, number.e164);
  const code = await latestCode(page.request, number.e164);

  const callMe = page.getByRole("button", { name: /Call me instead/ });
  await expect(callMe).toBeDisabled();
  await expect(callMe).toHaveText(/in 0:0\d/);
  // Past the countdown on both sides without waiting it out.
  await advanceServerClock(page.request, 6);
  await page.clock.runFor(6_000);
  await expect(callMe).toBeEnabled();
  await callMe.click();
  await expect(page.getByRole("status")).toContainText("We're calling");

  const messages: { to: string; channel: string; code: string }[] = await (await page.request.get("/dev/messages")).json();
  const call = messages.find((m) => m.to === number.e164);
  expect(call?.channel).toBe("voice");
  expect(call?.code).toBe(code);
  await expect(page.getByText("Code sent by text and by phone call")).toBeVisible();

  await submitCode(page, code);
  await expectSignedIn(page, number.e164);
});

for (const js of [true, false]) {
  test(`use a different number returns to the phone step, filled in (JavaScript ${js ? "on" : "off"})`, async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: js });
    const page = await context.newPage();
    const number = uniqueNumber();
    await open(page, "/login", js);
    await submitNumber(page, number.typed);
    await expectPinStep(page, number.e164);
    await page.getByRole("button", { name: "Use a different number" }).click();
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByLabel("Phone number")).toHaveValue(new RegExp(`${number.e164.slice(-6)}$`));
    await context.close();
  });
}

test("the account page sends you to sign in and back", async ({ page }) => {
  const number = uniqueNumber();
  await page.goto("/account");
  await expect(page).toHaveURL(/\/login\?next=\/account$/);
  await expect(page.locator('main[data-hydrated="true"]')).toBeVisible();
  await submitNumber(page, number.typed);
  await expectPinStep(page, number.e164);
  await submitCode(page, await latestCode(page.request, number.e164));
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
  await expect(page.getByText(shown(number.e164))).toBeVisible();
});

test.describe("JavaScript off", () => {
  test.use({ javaScriptEnabled: false });

  test("send again works as a plain form: too early says when, then calls", async ({ page }) => {
    const number = uniqueNumber();
    await open(page, "/login", false);
    await submitNumber(page, number.typed);
    await expectPinStep(page, number.e164);
    await page.getByRole("button", { name: /Call me instead/ }).click();
    await expect(page.getByRole("status")).toContainText("You can ask for a new code in");
    await advanceServerClock(page.request, 6);
    await page.getByRole("button", { name: /Call me instead/ }).click();
    await expect(page.getByRole("status")).toContainText("We're calling");
  });
});
