import { expect, test } from "@playwright/test";
import { advanceServerClock, expectPinStep, latestCode, open, submitCode, submitNumber, uniqueNumber, shown } from "./helpers";

// The suite's server runs with EMULATOR_CODE_TTL=20 (scripts/test.sh): codes expire fast, and
// instead of waiting the tests move time: the server's with /dev/clock (the login follows the
// emulator's clock), the page's with Playwright's fake clock.

test("an expired code says so and offers a new one (JavaScript on)", async ({ page }) => {
  const number = uniqueNumber();
  await page.clock.install();
  await open(page, "/login");
  await submitNumber(page, number.typed);
  await expectPinStep(page, number.e164);
  await expect(page.getByText(/The code expires in 0:(1\d|20)/)).toBeVisible();
  await advanceServerClock(page.request, 21);
  await page.clock.runFor(21_000);
  await expect(page.getByRole("alert")).toContainText("That code has expired");
  await page.getByRole("button", { name: "Use a different number" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByLabel("Phone number")).toHaveValue(new RegExp(`${number.e164.slice(-6)}$`));
});

test.describe("JavaScript off", () => {
  test.use({ javaScriptEnabled: false });

  test("an expired code sends you back to the phone step with the reason", async ({ page }) => {
    const number = uniqueNumber();
    await open(page, "/login", false);
    await submitNumber(page, number.typed);
    await expectPinStep(page, number.e164);
    const code = await latestCode(page.request, number.e164);
    await advanceServerClock(page.request, 21);
    await submitCode(page, code);
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByRole("alert")).toContainText("expired");
  });
});

for (const js of [true, false]) {
  test(`a second browser asking for the same number is refused, and the owner still signs in (JavaScript ${js ? "on" : "off"})`, async ({ browser }) => {
    const number = uniqueNumber();
    const owner = await (await browser.newContext()).newPage();
    await open(owner, "/login");
    await submitNumber(owner, number.typed);
    await expectPinStep(owner, number.e164);
    const code = await latestCode(owner.request, number.e164);

    const other = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
    await open(other, "/login", js);
    await submitNumber(other, number.typed);
    await expect(other.getByRole("alert")).toContainText("A code was just sent to this number. Use it in the browser where you asked for it");
    await expect(other).toHaveURL(/\/login$/);
    const sent: { to: string }[] = await (await other.request.get("/dev/messages")).json();
    expect(sent.filter((m) => m.to === number.e164)).toHaveLength(1);

    await submitCode(owner, code);
    await expect(owner.getByRole("heading", { name: `Hello ${shown(number.e164)}` })).toBeVisible();
  });
}

for (const js of [true, false]) {
  for (const next of ["//evil.example", "https://evil.example/", "/\\evil.example"]) {
    test(`next=${next} never leaves the site (JavaScript ${js ? "on" : "off"})`, async ({ browser }) => {
      const context = await browser.newContext({ javaScriptEnabled: js });
      const page = await context.newPage();
      const number = uniqueNumber();
      await page.goto(`/login?next=${encodeURIComponent(next)}`);
      if (js) await expect(page.locator('main[data-hydrated="true"]')).toBeVisible();
      await submitNumber(page, number.typed);
      await expectPinStep(page, number.e164);
      await submitCode(page, await latestCode(page.request, number.e164));
      await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      await context.close();
    });
  }
}
