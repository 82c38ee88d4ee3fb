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
