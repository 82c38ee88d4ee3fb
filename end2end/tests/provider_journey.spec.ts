import { expect, test } from "@playwright/test";
import { advanceServerClock, expectPinStep, expectSignedIn, latestCode, open, submitCode, submitNumber, uniqueNumber } from "./helpers";

// The main journey, run once per client the app has (projects in playwright.config.ts): the
// main server speaks Vonage v2 to its emulator, the others Vonage v1 and Twilio. The servers
// run with RESEND_AFTER=5.

test("signs in, asks for the call, and the code read out signs in", async ({ page }) => {
  const number = uniqueNumber();
  await page.clock.install();
  await open(page, "/login");
  await submitNumber(page, number.typed);
  await expectPinStep(page, number.e164);
  const code = await latestCode(page.request, number.e164);

  const callMe = page.getByRole("button", { name: /Call me instead/ });
  // Past the "send again" countdown on both sides without waiting it out.
  await advanceServerClock(page.request, 6);
  await page.clock.runFor(6_000);
  await expect(callMe).toBeEnabled();
  await callMe.click();
  await expect(page.getByRole("status")).toContainText("We're calling");
  const messages: { to: string; channel: string; code: string }[] = await (await page.request.get("/dev/messages")).json();
  const newest = messages.find((m) => m.to === number.e164);
  expect(newest?.channel).toBe("voice");
  expect(newest?.code).toBe(code);

  await submitCode(page, code);
  await expectSignedIn(page, number.e164);
});

test("says when the provider will call by itself, or that it never will", async ({ page }, testInfo) => {
  const number = uniqueNumber();
  await open(page, "/login");
  await submitNumber(page, number.typed);
  await expectPinStep(page, number.e164);
  const announcement = page.locator("#scheduled-call");
  if (testInfo.project.name === "twilio") {
    // Twilio never moves to a call by itself: nothing to announce.
    await expect(announcement).toHaveCount(0);
  } else {
    await expect(announcement).toContainText(/we'll call you in \d:\d\d/);
  }
});
