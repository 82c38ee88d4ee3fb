import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { expectPinStep, expectSignedIn, latestCode, open, submitCode, submitNumber, uniqueNumber } from "./helpers";

// Silent authentication first (VONAGE_WORKFLOW=silent_auth,sms,voice), on a server of its own
// (playwright.config.ts): the emulator's check_url stands for the mobile network.

test.describe("JavaScript on", () => {
  test("signs in with no code typed", async ({ page }) => {
    const number = uniqueNumber();
    await open(page, "/login");
    await submitNumber(page, number.typed);
    // The code step opens check_url, which sends the browser back to /login/silent.
    await expectSignedIn(page, number.e164);
    const response = await page.request.get("/dev/messages");
    const messages: { to: string; channel: string }[] = await response.json();
    expect(messages.filter((m) => m.to === number.e164).map((m) => m.channel)).toEqual(["silent_auth"]);
  });

  test("when the mobile network cannot confirm, a text follows and the page says so", async ({ page }) => {
    const number = uniqueNumber();
    const unreachable = await page.request.post("/dev/reachability", {
      data: { number: number.e164, silent_auth: false },
    });
    expect(unreachable.ok()).toBeTruthy();
    await open(page, "/login");
    await submitNumber(page, number.typed);
    await expectPinStep(page, number.e164);
    await expect(page.getByText("Your mobile network couldn't confirm your number")).toBeVisible();
    await expect(page.getByText("We sent a text message with a 6-digit code")).toBeVisible();
    await submitCode(page, await latestCode(page.request, number.e164));
    await expectSignedIn(page, number.e164);
  });
});

test.describe("JavaScript on, the network out of reach", () => {
  test("coming back without a result leaves the silent step, not a loop; it passes axe and offers a code", async ({ page }) => {
    // The check address cannot be reached (Wi-Fi, no mobile data): a browser error page.
    await page.route("**/silent-auth/**", (route) => route.abort());
    const number = uniqueNumber();
    await open(page, "/login");
    const failed = page.waitForEvent("requestfailed", (request) => request.url().includes("/silent-auth/"));
    await submitNumber(page, number.typed);
    await failed;
    await expect(page).toHaveURL(/^chrome-error:/); // Chromium's page for an unreachable site
    await page.goBack();
    await expect(page.getByRole("heading", { name: "Confirming your number" })).toBeVisible();
    await expect(page).toHaveURL(/\/verify$/);
    await expect(page.getByText(/we'll send a code in 1:0\d|we'll send a code in 0:5\d/)).toBeVisible();
    const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    expect(results.violations.map((v) => v.id), "axe on the silent step").toEqual([]);
    await page.getByRole("button", { name: "Send me a code instead" }).click();
    await expectPinStep(page, number.e164);
    await expect(page.getByText(/We've sent a code to/)).toBeVisible();
    await submitCode(page, await latestCode(page.request, number.e164));
    await expectSignedIn(page, number.e164);
  });
});

test.describe("JavaScript off", () => {
  test.use({ javaScriptEnabled: false });

  test("follows the link, then asks for a code, and signs in with it", async ({ page }) => {
    const number = uniqueNumber();
    await open(page, "/login", false);
    await submitNumber(page, number.typed);
    await expect(page.getByRole("heading", { name: "Confirming your number" })).toBeVisible();
    await page.getByRole("link", { name: "Confirm with my mobile network" }).click();
    await expect(page).toHaveURL(/\/login\/silent/);
    await expect(page.getByText("Your browser didn't bring the confirmation back")).toBeVisible();
    await page.getByRole("button", { name: "Send me a code instead" }).click();
    await expectPinStep(page, number.e164);
    await expect(page.getByText(/We've sent a code to/)).toBeVisible();
    await submitCode(page, await latestCode(page.request, number.e164));
    await expectSignedIn(page, number.e164);
  });

  test("a code can be asked for straight away", async ({ page }) => {
    const number = uniqueNumber();
    await open(page, "/login", false);
    await submitNumber(page, number.typed);
    await page.getByRole("button", { name: "Send me a code instead" }).click();
    await expectPinStep(page, number.e164);
    await submitCode(page, await latestCode(page.request, number.e164));
    await expectSignedIn(page, number.e164);
  });
});
